"""The result pane: response, logs, metrics and errors of the last invoke."""
