"""The invoke controller between the window and core's Invoker."""
