"""Dialogs opened from the menus: settings, deploy, about."""
