"""The API pane: serving the project's routes from the window."""
