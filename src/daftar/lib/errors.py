"""Errors that services raise; views and the API turn each into one HTTP status.

The messages are written for the officer who will read them on the screen.
"""

from __future__ import annotations


class DaftarError(Exception):
    """Base: a request that was understood but cannot be carried out."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(DaftarError):
    """The input is wrong; nothing was changed (HTTP 400)."""

    status = 400


class NotFound(DaftarError):
    """Missing, or not visible to this person: the two are never told apart (HTTP 404)."""

    status = 404


class Conflict(DaftarError):
    """The object moved on since the person last looked at it (HTTP 409)."""

    status = 409
