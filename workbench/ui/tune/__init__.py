"""The Load and Tune tabs and the dock holding them with the Tests view."""
