"""One record in each of sharing's tables, for the tests that need every table filled."""

from __future__ import annotations


def insert_sharing_rows(db) -> None:
    if db.table("sharing_config").count:
        return
    db.table("sharing_config").insert({"key": "server", "value": "https://dav.example.org/",
                                       "updated_at": "2026-11-25T12:00:00+00:00"})
    db.table("sharing_collections").insert({
        "kind": "task", "url": "https://dav.example.org/jane/als-care-x-medicines/",
        "sync_token": "http://radicale.org/ns/sync/1"})
    db.table("sharing_items").insert({
        "uid": "dose-1-2026-11-26.1-1b4e28ba-2fa1-41d2-883f-0016d3cca427@x.invalid",
        "kind": "task", "href": "https://dav.example.org/jane/m/dose-1.ics",
        "etag": '"abc"', "fingerprint": "ab12", "status": "NEEDS-ACTION",
        "medicine_id": 1, "occurrence_key": "2026-11-26T08:00",
        "starts_at": "2026-11-26T14:00:00+00:00", "sequence": 0})
    db.table("sharing_cards").insert({
        "uid": "contact-1-1b4e28ba-2fa1-41d2-883f-0016d3cca427@x.invalid", "contact_id": 1,
        "href": "https://dav.example.org/jane/c/contact-1.vcf", "etag": '"def"',
        "base": "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dr. Maya Patel\r\nEND:VCARD\r\n",
        "remote": "", "state": ""})
    db.table("sharing_notes").insert({
        "action": "also_ticked", "uid": "dose-1-x@x.invalid",
        "message": "Also ticked on Ana's phone at 08:12.",
        "noted_at": "2026-11-25T12:00:00+00:00", "medicine_id": 1,
        "occurrence_key": "2026-11-26T08:00", "entry_id": 1, "seen_at": None})
    db.table("sharing_phones").insert({"name": "Ana's iPhone", "caregiver_id": None,
                                       "account": "ana", "client": "iPhone or iPad"})
    if db.table("dose_entries").count:  # a source belongs to a dose record
        db.table("dose_sources").insert({
            "entry_id": db.execute("SELECT min(id) FROM dose_entries").fetchone()[0],
            "device": "Ana's iPhone", "account": "ana", "client": "iPhone or iPad",
            "phone_time": "2026-11-26T13:12:00+00:00", "time_from": "phone",
            "synced_at": "2026-11-26T13:30:00+00:00"})
