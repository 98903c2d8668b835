"""File names every system can create: Windows, macOS and Linux. Pure functions.

Windows is the strictest. It cannot create a file whose name

- is a device name, whatever the extension and letter case: CON, PRN, AUX, NUL,
  COM0-COM9, LPT0-LPT9 (and COM¹²³/LPT¹²³), so ``Con.vcf`` and ``prn.py`` fail;
- holds one of ``< > : " / \\ | ? *`` or a control character;
- ends in a dot or a space.

``windows_name_problem(name)`` says, in plain words, why Windows cannot create ``name``
(``None`` when it can). ``safe_file_name(text, suffix, fallback=...)`` turns text a person
typed (a contact's name) into a name to suggest in a save dialog: letters, digits,
spaces, ``-`` and ``_`` only, no device name, at most ``MAX_STEM`` characters before
the suffix. Every file name the app suggests is made here.
"""

from __future__ import annotations

__all__ = ["MAX_STEM", "RESERVED_NAMES", "safe_file_name", "windows_name_problem"]

RESERVED_NAMES: frozenset[str] = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"{port}{n}" for port in ("COM", "LPT") for n in (*"0123456789", "¹", "²", "³")})
"""Windows device names (upper case); reserved with any extension."""

FORBIDDEN_CHARACTERS = '<>:"/\\|?*'

MAX_STEM = 100
"""Characters before the suffix: well under the 255 a name may have on every system."""


def windows_name_problem(name: str) -> str | None:
    """Why Windows cannot create a file called ``name`` (one path part), or None."""
    if not name:
        return "the name is empty"
    bad = sorted({ch for ch in name if ch in FORBIDDEN_CHARACTERS or ord(ch) < 32})
    if bad:
        return "it holds " + " ".join(repr(ch) for ch in bad)
    if name[-1] in ". ":
        return "it ends in a dot or a space"
    device = name.split(".", 1)[0].rstrip(" ").upper()
    if device in RESERVED_NAMES:
        return f"{device} is a device name on Windows"
    return None


def safe_file_name(text: str, suffix: str, *, fallback: str) -> str:
    """``text`` as a file name with ``suffix`` (``".vcf"``) that every system can create.

    Characters other than letters, digits, ``-`` and ``_`` become spaces; runs of spaces
    become one. Empty text gives ``fallback``; a Windows device name ("Con") gets
    `` fallback`` added ("Con contact.vcf").
    """
    kept = "".join(ch if (ch.isalnum() and ch.isprintable()) or ch in "-_" else " "
                   for ch in text)
    stem = " ".join(kept.split())[:MAX_STEM].rstrip() or fallback
    if stem.upper() in RESERVED_NAMES:
        stem = f"{stem} {fallback}"
    return stem + suffix
