"""The dose-history export and ``recorded_days`` on wider households than
``test_history_export_one_read``'s (a review's differential, kept): records written in
one zone and another and read in a third, near DST changes, as-needed doses corrected
up to three times (moved and moved back, withdrawn after a move), medicines added mid
period, ending, stopped, given at intervals or switched to as needed, periods past both
ends of the records and ending today at midday. Two checks: the export equals a day
view per day; and, not through the day view at all, each as-needed record chain given
in the period shows exactly once, at its final time, with its corrected flag."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import test_history_export_one_read as T
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from medicine_builders import NEW_YORK, at, medicine, version

from caregiver_app.domain.amount import Dose
from caregiver_app.domain.doses import DoseEntry, EntryKind, correction_of
from caregiver_app.domain.localtime import day_bounds, to_utc
from caregiver_app.domain.medicines import StatusChange
from caregiver_app.domain.regimens import AsNeededRegimen, DailyRegimen, IntervalRegimen
from caregiver_app.domain.schedule import occurrences
from caregiver_app.domain.vocab import MedicineStatus, SkipReason

ZONES = [
    NEW_YORK,
    ZoneInfo("Asia/Tokyo"),
    ZoneInfo("Europe/London"),
    ZoneInfo("America/Los_Angeles"),
]
BASES = [date(2026, 1, 5), date(2026, 2, 25), date(2026, 10, 20)]
SPAN = 40


def meds_for(first):
    out = T._medicines(first)
    out.append(
        medicine(
            IntervalRegimen(first, 3, (time(2, 30),)),
            id=None,
            start=first,
            generic_name="interval-0230",
        )
    )
    out.append(
        medicine(
            DailyRegimen(first, (time(1, 30), time(23, 30))),
            id=None,
            start=first,
            generic_name="nightly",
        )
    )
    prn = AsNeededRegimen(first + timedelta(days=15), timedelta(hours=6), 2)
    daily = DailyRegimen(first, (time(9),))
    out.append(
        medicine(
            daily,
            id=None,
            start=first,
            generic_name="switcher",
            versions=(
                version(daily, valid_from=first),
                version(prn, valid_from=first + timedelta(days=15)),
            ),
        )
    )
    out.append(
        medicine(
            DailyRegimen(first, (time(10),)),
            id=None,
            start=first,
            generic_name="late-added",
            added_at=to_utc(datetime.combine(first + timedelta(days=8), time(13), tzinfo=NEW_YORK)),
        )
    )
    out.append(
        medicine(
            DailyRegimen(first, (time(11),)),
            id=None,
            start=first,
            generic_name="ended",
            end_date=first + timedelta(days=20),
        )
    )
    out.append(
        medicine(
            AsNeededRegimen(first, timedelta(hours=2), None),
            id=None,
            start=first,
            generic_name="stopped-prn",
            status_history=(
                StatusChange(at(first + timedelta(days=12), 15), MedicineStatus.STOPPED, "x"),
            ),
        )
    )
    return out


def write(home, meds, first, last, zone, records, unscheduled):
    repo = home.repo
    start, end = day_bounds(first, zone)[0], day_bounds(last, zone)[1]
    due = [o for m in meds for o in occurrences(m, start, end, zone, actual={})]
    seen = set(k for k in home.seen)
    for pick, minutes, kind, fix, fixmin in records:
        if not due:
            break
        occ = due[pick % len(due)]
        key = occ.key if kind != "orphan" else f"{occ.nominal.date().isoformat()}T03:17"
        if (occ.medicine_id, key) in seen:
            continue
        seen.add((occ.medicine_id, key))
        home.seen.add((occ.medicine_id, key))
        if kind == "skipped":
            entry = DoseEntry(
                medicine_id=occ.medicine_id,
                kind=EntryKind.SKIPPED,
                occurrence_key=key,
                due_at=occ.due,
                recorded_at=occ.due + timedelta(hours=1),
                recorded_by_id=2,
                skip_reason=SkipReason.REFUSED,
                note="n",
            )
        else:
            g = occ.due + timedelta(minutes=minutes)
            entry = DoseEntry(
                medicine_id=occ.medicine_id,
                kind=EntryKind.GIVEN,
                occurrence_key=key,
                due_at=occ.due,
                given_at=g,
                recorded_at=g + timedelta(minutes=3),
                recorded_by_id=1,
                amount=occ.dose,
                caregiver_id=1,
            )
        chain_fix(repo, repo.add_entry(entry), fix, fixmin)
    names = ["lorazepam", "riluzole", "switcher", "stopped-prn", "nightly"]
    pool = [m for m in meds if m.generic_name in names]
    for day, minute, fixes, mi in unscheduled:
        med = pool[mi % len(pool)]
        moment = to_utc(
            datetime.combine(first + timedelta(days=day), time(0), tzinfo=zone)
        ) + timedelta(minutes=minute)
        saved = repo.add_entry(
            DoseEntry(
                medicine_id=med.id,
                kind=EntryKind.GIVEN,
                given_at=moment,
                recorded_at=moment,
                recorded_by_id=1,
                amount=Dose(1, "tablet"),
                caregiver_id=2,
                note="+1",
            )
        )
        for fix, fm in fixes:
            saved = chain_fix(repo, saved, fix, fm) or saved


def chain_fix(repo, saved, fix, minutes):
    later = saved.recorded_at + timedelta(hours=2)
    chain = repo.chain(saved.id)
    if fix == "retime" and chain.effective is not None and chain.effective.kind is EntryKind.GIVEN:
        return repo.add_entry(
            correction_of(
                chain,
                recorded_at=later,
                given_at=chain.effective.given_at + timedelta(minutes=minutes),
            )
        )
    if fix == "withdraw":
        return repo.add_entry(
            correction_of(chain, recorded_at=later, kind=EntryKind.ENTERED_IN_ERROR, note="w")
        )
    if fix == "skip" and chain.effective is not None and chain.effective.kind is EntryKind.GIVEN:
        return repo.add_entry(
            correction_of(
                chain,
                recorded_at=later,
                kind=EntryKind.SKIPPED,
                given_at=None,
                amount=None,
                caregiver_id=None,
                skip_reason=SkipReason.ASLEEP,
            )
        )
    return None


rec = st.tuples(
    st.integers(0, 10000),
    st.integers(-36 * 60, 40 * 60),
    st.sampled_from(["given", "skipped", "orphan"]),
    st.sampled_from([None, "retime", "withdraw", "skip"]),
    st.integers(-48 * 60, 48 * 60),
)
unsch = st.tuples(
    st.integers(0, SPAN - 1),
    st.integers(0, 24 * 60 - 1),
    st.lists(
        st.tuples(
            st.sampled_from(["retime", "withdraw", "retime"]), st.integers(-50 * 60, 50 * 60)
        ),
        max_size=3,
    ),
    st.integers(0, 10),
)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    base=st.sampled_from(BASES),
    zone_a=st.sampled_from(ZONES),
    zone_b=st.sampled_from(ZONES),
    zone_c=st.sampled_from(ZONES),
    records_a=st.lists(rec, max_size=30),
    records_b=st.lists(rec, max_size=30),
    un_a=st.lists(unsch, max_size=12),
    un_b=st.lists(unsch, max_size=8),
    period=st.tuples(st.integers(-3, SPAN + 3), st.integers(0, SPAN + 6)),
    now_min=st.integers(-24 * 60 * SPAN, 48 * 60),
    now_at_end=st.booleans(),
    now_mid=st.integers(0, 24 * 60 - 1),
)
def test_the_export_is_a_day_view_per_day_on_wide_households(
    qtbot,
    tmp_path,
    base,
    zone_a,
    zone_b,
    zone_c,
    records_a,
    records_b,
    un_a,
    un_b,
    period,
    now_min,
    now_at_end,
    now_mid,
):
    home = T._home(at(base + timedelta(days=SPAN), 12))
    home.seen = set()
    meds = [
        home.repo.add_medicine(m, by=1, at=at(base - timedelta(days=1), 12)) for m in meds_for(base)
    ]
    half = base + timedelta(days=SPAN // 2)
    write(home, meds, base, half, zone_a, records_a, [u for u in un_a])
    write(home, meds, half, base + timedelta(days=SPAN - 1), zone_b, records_b, un_b)
    first = base + timedelta(days=period[0])
    last = first + timedelta(days=period[1])
    home.zone[0] = zone_c
    if now_at_end:  # a period ending today, now mid-day
        home.clock.moment = to_utc(datetime.combine(last, time(0), tzinfo=zone_c)) + timedelta(
            minutes=now_mid
        )
    else:
        home.clock.moment = at(base + timedelta(days=SPAN), 12) + timedelta(minutes=now_min)
    T._same_as_before(home, first, last, tmp_path / "h.csv")
    home.db.close()


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    base=st.sampled_from(BASES),
    zone_a=st.sampled_from(ZONES),
    zone_c=st.sampled_from(ZONES),
    un_a=st.lists(unsch, max_size=15),
    period=st.tuples(st.integers(-3, SPAN + 3), st.integers(0, SPAN + 6)),
)
def test_each_as_needed_chain_shows_once_at_its_final_time(
    qtbot, base, zone_a, zone_c, un_a, period
):
    home = T._home(at(base + timedelta(days=SPAN), 12))
    home.seen = set()
    meds = [
        home.repo.add_medicine(m, by=1, at=at(base - timedelta(days=1), 12)) for m in meds_for(base)
    ]
    write(home, meds, base, base + timedelta(days=SPAN - 1), zone_a, [], un_a)
    first = base + timedelta(days=period[0])
    last = first + timedelta(days=period[1])
    home.zone[0] = zone_c
    start, end = day_bounds(first, zone_c)[0], day_bounds(last, zone_c)[1]
    roots = [
        r[0]
        for r in home.db.execute(
            "SELECT id FROM dose_entries WHERE occurrence_key IS NULL AND corrects_id IS NULL"
        ).fetchall()
    ]
    truth = []
    for r in roots:
        c = home.repo.chain(r)
        e = c.effective
        if e is not None and e.given_at is not None and start <= e.given_at < end:
            truth.append((r, e.given_at, c.corrected))
    got = [
        (x.chain.first.id, x.chain.effective.given_at, x.chain.corrected)
        for d in home.book.recorded_days(first, last)
        for x in d.extra
        if x.chain.key is None
    ]
    assert sorted(got) == sorted(truth)
    got_day = [
        (x.chain.first.id, x.chain.effective.given_at, x.chain.corrected)
        for n in range((last - first).days + 1)
        for x in home.book.day(first + timedelta(days=n)).extra
        if x.chain.key is None
    ]
    assert sorted(got_day) == sorted(truth)
    home.db.close()
