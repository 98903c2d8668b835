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


class NotSaved(ValidationError):
    """Nothing was saved because the computer could not write the records: the disk is
    full, the drive is read-only, another program holds the file. Not the input's fault:
    the same input saves once the cause is gone, so forms keep what was typed.

    ``reason`` completes "… because ___" ("the disk is full"); ``advice`` says what to do.
    As a ValidationError its message goes to the form's general message line.
    """

    FIELD = "not_saved"

    def __init__(self, reason: str, advice: str, *, what: str = "This was not saved"):
        self.reason = reason
        self.advice = advice
        super().__init__({self.FIELD: self.sentence(what)})

    def sentence(self, what: str) -> str:
        """``what`` ("This dose was not recorded") with the reason and the advice."""
        return f"{what}, because {self.reason}. {self.advice}"
