"""The one exception actions raise when they refuse a request."""


class Refused(Exception):
    """An action refused: the message is Chinese, shown to the user as is; nothing changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Conflict(Refused):
    """Refused because of where the object stands (its state), not because of what was
    asked: the same request may succeed later or elsewhere. The API answers 409."""
