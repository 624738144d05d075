"""Entry script of the desktop bundle: the same `lambda-workbench` command as the wheel's."""

from workbench.cli import entry

entry()
