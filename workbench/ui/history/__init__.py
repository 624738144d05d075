"""The history pane and its compare dialog."""
