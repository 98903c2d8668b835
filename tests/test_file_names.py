"""Every file in the repository, and every file name the app suggests, can exist on Windows.

Git for Windows refuses to check out a file Windows cannot create ("invalid path"), so
one such name (``domain/prn.py`` once) keeps the whole app off Windows.
"""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caregiver_app.domain.articles import load_library
from caregiver_app.domain.file_names import (
    MAX_STEM,
    RESERVED_NAMES,
    safe_file_name,
    windows_name_problem,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", [
    "prn.py", "PRN", "Con.vcf", "con", "nul.tar.gz", "AUX .txt", "com1.log", "LPT9",
    "COM¹.txt", "a<b", "a>b", "a:b", 'a"b', "a|b", "a?b", "a*b", "a\\b", "tab\there",
    "ends.", "ends ", ""])
def test_names_windows_cannot_create_are_found(name: str) -> None:
    assert windows_name_problem(name) is not None


@pytest.mark.parametrize("name", [
    "as_needed.py", "test_prn.py", "console.py", "Conrad.vcf", "nullable", "COM10",
    "auxiliary.md", ".gitignore", "Mum's #2 backups", "Ana Müller.vcf", "李伟.vcf"])
def test_ordinary_names_pass(name: str) -> None:
    assert windows_name_problem(name) is None


def test_every_file_in_the_repository_can_be_checked_out_on_windows() -> None:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode("utf-8").split("\0")
    paths = [p for p in listed if p]
    assert len(paths) > 200  # the sweep really looked at the repository
    problems = {f"{path} ({problem})" for path in paths for part in path.split("/")
                if (problem := windows_name_problem(part))}
    assert not problems, "Windows cannot create: " + ", ".join(sorted(problems))


def test_a_contact_named_like_a_device_gets_a_name_windows_can_create() -> None:
    assert safe_file_name("Con", ".vcf", fallback="contact") == "Con contact.vcf"
    assert safe_file_name("  nul ", ".vcf", fallback="contact") == "nul contact.vcf"
    assert safe_file_name("Dr. Ada Lee, MD", ".vcf", fallback="contact") == "Dr Ada Lee MD.vcf"
    assert safe_file_name("???", ".vcf", fallback="contact") == "contact.vcf"
    assert safe_file_name("Ana Müller", ".vcf", fallback="contact") == "Ana Müller.vcf"


@given(st.text(max_size=300), st.sampled_from([".vcf", ".pdf", ".ics", ".csv", ".json"]))
def test_any_text_makes_a_file_name_windows_can_create(text: str, suffix: str) -> None:
    name = safe_file_name(text, suffix, fallback="contact")
    assert windows_name_problem(name) is None
    assert name.endswith(suffix)
    assert 0 < len(name) - len(suffix) <= MAX_STEM + len(" contact")


@given(st.sampled_from(sorted(RESERVED_NAMES)), st.sampled_from(["lower", "upper", "title"]))
def test_device_names_in_any_case_are_made_safe(device: str, case: str) -> None:
    name = safe_file_name(getattr(device, case)(), ".vcf", fallback="contact")
    assert windows_name_problem(name) is None


def test_every_fixed_name_the_app_suggests_can_be_created() -> None:
    from caregiver_app.services.printing.service import PrintKind, PrintService

    articles = load_library(ROOT / "resources" / "articles").articles
    suggested = [safe_file_name(article.id, ".pdf", fallback="article") for article in articles]
    service = SimpleNamespace(today=lambda: date(2026, 12, 6))
    suggested += [PrintService.suggested_name(service, kind) for kind in PrintKind]
    suggested += ["care-team.vcf", "medicine-times.ics", "als-care-records-2026-12-06.json",
                  "dose-history-2026-11-07-to-2026-12-06.csv"]
    assert len(articles) > 10 and len(suggested) == len(articles) + len(PrintKind) + 4
    assert [name for name in suggested if windows_name_problem(name)] == []
