"""The code editor: tabs, find bar, JSON editor and crash recovery."""
