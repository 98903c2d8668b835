"""Errors the domain raises. Each carries text meant for the caregiver."""

from __future__ import annotations

from collections.abc import Mapping


class CaregiverAppError(Exception):
    """Base of every error the app expects and can explain."""


class ValidationError(CaregiverAppError):
    """Input that cannot be saved. ``errors`` maps a field name to a plain message.

    Forms show each message next to its field; nothing is saved while any remain.
    """

    def __init__(self, errors: Mapping[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {msg}" for field, msg in self.errors.items()))


class NotFound(CaregiverAppError):
    """A record that was asked for does not exist."""
