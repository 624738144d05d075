"""Errors that carry a sentence meant for the user."""


class WorkbenchError(Exception):
    """Something the user can act on; str(error) is the sentence to show.

    Raised by the core for bad input, missing tools and unreachable services.
    The CLI prints it on stderr and exits 2; the window shows it in a banner.
    """


class Cancelled(WorkbenchError):
    """The user cancelled a long operation."""

    def __init__(self, what: str = "The operation") -> None:
        super().__init__(f"{what} was cancelled.")
