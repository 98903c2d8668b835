"""The CSV export writes its times from the fields, not through strftime (which imports
the time module at each call); the text must be strftime's, which stays the oracle."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from caregiver_app.domain.exports import _when

_ZONES = [ZoneInfo(z) for z in ("America/Chicago", "Europe/London", "Asia/Kolkata",
                                "Australia/Lord_Howe", "Pacific/Chatham", "UTC")]


@settings(max_examples=500, deadline=None)
@given(st.datetimes(min_value=datetime(1, 1, 3), max_value=datetime(9999, 12, 29),
                    timezones=st.just(UTC)),
       st.sampled_from(_ZONES))
def test_times_read_as_strftime_writes_them(moment, zone):
    local = moment.astimezone(zone)
    assert _when(moment, zone)[0] == f"{local:%Y-%m-%d %H:%M}"
