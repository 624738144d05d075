"""Headless core: never imports Qt."""
