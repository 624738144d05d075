"""The event pane: saved events and the template picker."""
