"""The exported vCard file read back by two readers that are not ours: vobject on its own
(as Radicale and khard use it, without the importer's tolerances) and ez-vcard (the Java
library behind DAVx5 and many Android apps)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from test_vcard import FULL

from caregiver_app.domain.contacts import Contact, Role
from caregiver_app.domain.phones import Phone, PhoneKind, dial_text
from caregiver_app.services.vcard import export_vcard_file, read_vcards, write_vcards

HERE = Path(__file__).resolve().parent
EZ_VCARD = (Path("/usr/share/java/ez-vcard.jar"), Path("/usr/share/java/vinnie.jar"))

JAPANESE = Contact(
    name="安藤 ロイド", role=Role.PHARMACY, organisation="渋谷薬局",
    phones=(Phone(PhoneKind.OFFICE, "+81354567890", "204"),),
    address="東京都渋谷区桜丘町26-1 セルリアンタワー6階\n〒150-8512",
    notes="処方箋はファックスで送ってください。土曜日は午前中のみ営業しています。")
TEAM = [FULL, JAPANESE,
        replace(FULL, name="Ben Okafor", notes="Tuesdays, Thursdays; gym 2–4", phones=(
            Phone(PhoneKind.MOBILE, "+13125550151", "7"),), emergency=False)]


def _lines(text: str) -> list[str]:
    assert text.endswith("\r\n")
    return text[:-2].split("\r\n")


def test_every_line_is_at_most_75_octets_and_unfolds_to_the_same_text():
    text = write_vcards(TEAM)
    lines = _lines(text)
    assert max(len(line.encode("utf-8")) for line in lines) <= 75
    # the Japanese lines were folded (by octets), never inside a character
    assert any(line.startswith(" ") and "\u3000" not in line and any(
        ord(ch) > 0x3000 for ch in line) for line in lines)
    assert [c.contact for c in read_vcards(text.encode("utf-8"), region="US")] == TEAM


def test_vobject_alone_keeps_every_extension_and_field():
    """What Radicale and khard see: vobject with no help from the importer."""
    import vobject

    text = write_vcards(TEAM)
    cards = list(vobject.readComponents(text))
    assert [c.fn.value for c in cards] == [c.name for c in TEAM]
    for card, contact in zip(cards, TEAM, strict=True):
        assert [t.value for t in card.contents["tel"]] == [dial_text(p) for p in contact.phones]
        assert card.adr.value.street == contact.address
        assert card.contents["x-alscc-notes"][0].value == contact.notes
    assert [t.value for t in cards[1].contents["tel"]] == ["+81 3-5456-7890,204"]


needs_ez_vcard = pytest.mark.skipif(
    shutil.which("java") is None or not all(p.exists() for p in EZ_VCARD),
    reason="ez-vcard is not installed: `make readers` installs it (Debian/Ubuntu)")


def _ez_vcard(path: Path) -> list[list[tuple[str, str, str, str]]]:
    """ez-vcard's reading of ``path``: per card, (name, group, value, types)."""
    done = subprocess.run(
        ["java", "-cp", ":".join(str(p) for p in EZ_VCARD),
         str(HERE / "readers" / "ReadVCards.java"), str(path)],
        capture_output=True, text=True, encoding="utf-8", timeout=120, check=True)
    cards: list[list[tuple[str, str, str, str]]] = []
    for row in done.stdout.splitlines():
        name, group, value, *types = row.split("\t")
        value = value.replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")
        if name == "BEGIN":
            cards.append([])
        cards[-1].append((name, group, value, types[0] if types else ""))
    return cards


@pytest.mark.slow
@needs_ez_vcard
def test_ez_vcard_reads_every_extension_and_field(tmp_path):
    path = tmp_path / "care-team.vcf"
    export_vcard_file(path, TEAM)
    cards = _ez_vcard(path)
    assert len(cards) == len(TEAM)
    for props, contact in zip(cards, TEAM, strict=True):
        values = {}
        for name, _group, value, _types in props:
            values.setdefault(name, []).append(value)
        assert values["BEGIN"] == ["3.0"]
        assert values["FN"] == [contact.name]
        assert values["TEL"] == [dial_text(p) for p in contact.phones]  # extensions kept
        assert values["ADR"] == [contact.address]
        assert values["ORG"] == [contact.organisation]
        assert values["NOTE"][0].startswith(contact.notes)
    ada, japanese, ben = cards
    assert ("TEL", "item3", "+1 312-555-0199", "[work, voice]") in ada
    assert ("X-ABLABEL", "item3", "After hours", "") in ada
    assert ("TEL", "", "+81 3-5456-7890,204", "[work, voice]") in japanese
    assert ("NOTE", "", JAPANESE.notes, "") in japanese  # unfolded whole
    assert ("TEL", "", "+1 312-555-0151,7", "[cell, voice]") in ben
