"""The main window: entry point, window, actions, layout and status bar."""
