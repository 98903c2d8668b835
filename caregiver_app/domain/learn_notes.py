"""What the Learn tab says about a note on an article: saved, cleared, or typed over.

Plain rules, no Qt: the tab shows these sentences under the note.
"""

from __future__ import annotations

SAVED = "Saved on this computer."
CLEARED = "Note cleared."
#: The undo keys as written in the sentences below; the tab passes the system's own
#: notation (⌘Z on macOS).
UNDO_KEYS = "Ctrl+Z"


def stored_note(text: str) -> str:
    """What the records keep for a note typed as ``text``: blank keeps nothing."""
    return text if text.strip() else ""


def lost_much(before: str, after: str) -> bool:
    """The note was cleared or typed over: less than half of what was kept before is
    left (the person is told how to get it back)."""
    old, new = before.strip(), after.strip()
    return bool(old) and len(new) < len(old) / 2


def after_saving(before: str, after: str, *, undo_keys: str = UNDO_KEYS) -> str | None:
    """The line under a note just saved over ``before``, when it lost much of it
    ("Note cleared. Ctrl+Z …"); None when the usual state line will do."""
    if not lost_much(before, after):
        return None
    return (f"{CLEARED if not after.strip() else SAVED} {undo_keys} in the note brings "
            "back what was removed.")


def note_state(text: str, *, can_undo: bool, undo_keys: str = UNDO_KEYS) -> str:
    """The line under a note as it stands: saved, cleared (and how to bring it back),
    or nothing for an empty note never typed in."""
    if text.strip():
        return SAVED
    if can_undo:
        return f"{CLEARED} {undo_keys} in the note brings it back."
    return ""
