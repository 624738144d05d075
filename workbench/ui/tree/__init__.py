"""The project tree: files and functions of the open project."""
