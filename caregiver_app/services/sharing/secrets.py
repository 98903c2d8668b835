"""The sharing server's password, in the operating system's keyring (``keyring``: the
Secret Service on Linux, the Keychain on macOS, the Credential Manager on Windows).

It is never written to the records, the settings file, the logs, a backup or an
export: only here. ``keyring`` is imported when a password is asked for or kept, which
happens only when sharing is set up or runs.
"""

from __future__ import annotations

from caregiver_app.domain.sharing import password_not_kept
from caregiver_app.services.sharing.transport import ShareError, worded

SERVICE = "ALS Care Companion sharing"


def _name(server: str, username: str) -> str:
    return f"{username}@{server}"


def _no_keyring(exc: Exception) -> ShareError:
    return ShareError("This computer has no keyring to keep the sharing password in "
                      f"safely ({type(exc).__name__}), so sharing cannot run. On Linux, "
                      "a desktop's keyring (GNOME Keyring or KWallet) keeps it.",
                      retry=False)


def password(server: str, username: str) -> str | None:
    """The kept password, or None when none is kept."""
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(SERVICE, _name(server, username))
    except KeyringError as exc:
        raise _no_keyring(exc) from exc


def keep_password(server: str, username: str, secret: str) -> None:
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(SERVICE, _name(server, username), secret)
    except KeyringError as exc:
        raise _no_keyring(exc) from exc


def forget_password(server: str, username: str) -> None:
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(SERVICE, _name(server, username))
    except PasswordDeleteError:
        pass  # none was kept
    except KeyringError as exc:
        raise _no_keyring(exc) from exc


def needed_password(server: str, username: str) -> str:
    """The kept password; ShareError when there is none to use."""
    found = password(server, username)
    if not found:
        raise worded(password_not_kept, retry=False)
    return found


__all__ = ["SERVICE", "forget_password", "keep_password", "needed_password", "password"]
