"""A keyring kept in memory for the sharing tests: no test touches the developer's own
keyring. Installed with ``keyring.set_keyring`` (the library's own seam)."""

from __future__ import annotations

import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self):
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.kept.get((service, username))

    def set_password(self, service, username, password):
        self.kept[(service, username)] = password

    def delete_password(self, service, username):
        if self.kept.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture
def memory_keyring(monkeypatch):
    """The keyring the app uses, in memory; the one in use before comes back after
    (without asking the system for one: monkeypatch puts back the library's own
    not-yet-chosen state)."""
    import keyring.core

    ring = MemoryKeyring()
    monkeypatch.setattr(keyring.core, "_keyring_backend", ring)
    assert keyring.get_keyring() is ring
    return ring
