"""The Tests view: saved events with expectations as regression tests."""
