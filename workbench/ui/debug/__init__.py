"""The window's debugger: breakpoints in the editor margin, the Debug pane and its controller."""
