"""Saved events as regression tests: expectation files, matching, the runner, JUnit XML."""
