"""Debugging a handler in place: a Debug Adapter Protocol client and debugpy launches."""
