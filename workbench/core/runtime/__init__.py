"""The workbench playing the Lambda service: Runtime API server and execution environments."""
