"""The arithmetic shortcuts of the statistics agree with the slow, obvious computation."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from mlplanner.services import day_totals, days
from mlplanner.services.days import StudyCalendar, study_day
from mlplanner.services.recurrence import (
    PlanError,
    expanded_occurrences,
    occurrences,
    start_dates,
    weekly_rule,
)
from mlplanner.store import make_engine, prepare_database, unit_of_work
from mlplanner.store.models import StudyBlock, StudySession

CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@st.composite
def weekly_blocks(draw):
    start = draw(st.dates(date(2025, 1, 1), date(2026, 12, 31)))
    parts = ["FREQ=WEEKLY"]
    if draw(st.booleans()):
        parts.append(f"INTERVAL={draw(st.integers(1, 4))}")
    if draw(st.booleans()):
        days = draw(st.sets(st.sampled_from(CODES), min_size=1))
        parts.append("BYDAY=" + ",".join(sorted(days, key=CODES.index)))
    if draw(st.booleans()):
        parts.append(f"WKST={draw(st.sampled_from(CODES))}")
    if draw(st.booleans()):
        until = draw(st.dates(start, start + timedelta(days=200)))
        clock = draw(st.sampled_from(["T235959", "T000000", "T190000", ""]))
        parts.append(f"UNTIL={until:%Y%m%d}{clock}")
    skipped = draw(st.lists(st.dates(start, start + timedelta(days=120)), max_size=4))
    return StudyBlock(
        start_date=start,
        start_time=draw(st.sampled_from([time(0, 0), time(7, 30), time(19, 0), time(23, 30)])),
        duration_min=draw(st.sampled_from([30, 90, 120])),
        tz=draw(st.sampled_from(["Europe/Berlin", "America/New_York", "UTC"])),
        rrule=";".join(parts),
        skipped_dates=",".join(sorted({d.isoformat() for d in skipped})),
    )


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(
    block=weekly_blocks(),
    first=st.dates(date(2024, 12, 1), date(2027, 3, 1)),
    weeks=st.integers(1, 14),
)
def test_weekly_start_dates_match_dateutil(block, first, weeks):
    last = first + timedelta(weeks=weeks) - timedelta(days=1)
    by_dateutil = expanded_occurrences(block, first, last)
    expected = [s.date() for s, _ in by_dateutil if first <= s.date() <= last]
    assert start_dates(block, first, last) == expected


@settings(max_examples=300, deadline=None)
@given(
    block=weekly_blocks(),
    length=st.sampled_from([None, 15, 600, 1500, 3000]),
    first=st.dates(date(2024, 12, 1), date(2027, 3, 1)),
    days=st.integers(1, 30),
)
def test_weekly_occurrences_match_dateutil(block, length, first, days):
    if length is not None:
        block.duration_min = length
    last = first + timedelta(days=days - 1)
    assert occurrences(block, first, last) == expanded_occurrences(block, first, last)


def test_other_rules_fall_back_to_dateutil():
    block = StudyBlock(
        start_date=date(2026, 1, 1),
        start_time=time(19),
        duration_min=60,
        tz="UTC",
        rrule="FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3",
    )
    assert start_dates(block, date(2026, 1, 1), date(2026, 12, 31)) == [
        date(2026, 1, 15),
        date(2026, 2, 15),
        date(2026, 3, 15),
    ]


def test_offset_spans_split_at_the_dst_changes():
    berlin = ZoneInfo("Europe/Berlin")
    spans = days.offset_spans(
        berlin, datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    )
    assert [(a.isoformat(), o) for a, _, o in spans] == [
        ("2026-01-01T00:00:00+00:00", 3600),
        ("2026-03-29T01:00:00+00:00", 7200),
        ("2026-10-25T01:00:00+00:00", 3600),
    ]
    assert spans[-1][1] == datetime(2027, 1, 1, tzinfo=UTC)


ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]


@pytest.mark.slow
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    zone=st.sampled_from(ZONES),
    rollover=st.integers(0, 23),
    minutes=st.lists(st.integers(0, 2 * 365 * 24 * 60), min_size=1, max_size=60),
)
def test_day_totals_match_a_session_by_session_count(tmp_path, zone, rollover, minutes):
    tz = ZoneInfo(zone)
    engine = make_engine(f"sqlite:///{tmp_path / 'days.db'}")
    prepare_database(engine)
    origin = datetime(2025, 1, 1, tzinfo=UTC)
    starts = [origin + timedelta(minutes=m) for m in minutes]
    with unit_of_work(engine) as s:
        s.exec(delete(StudySession))
        for n, start in enumerate(starts):
            s.add(StudySession(started_at=start, duration_s=60 * (n + 1), source="manual"))
    expected: dict[date, float] = {}
    for n, start in enumerate(starts):
        day = study_day(start, tz, rollover)
        expected[day] = expected.get(day, 0.0) + (n + 1) / 60
    with unit_of_work(engine) as s:
        got = day_totals.day_totals(s, StudyCalendar(tz, rollover))
    engine.dispose()
    assert got.keys() == expected.keys()
    for day, hours in expected.items():
        assert abs(got[day] - hours) < 1e-9


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=WEEKLY;INTERVAL=500000;BYDAY=MO",
        "FREQ=WEEKLY;INTERVAL=999999999",
        "FREQ=WEEKLY;BYDAY=MO;UNTIL=00010101",
        "FREQ=WEEKLY;BYDAY=MO;UNTIL=99991231T235959",
    ],
)
def test_rules_beyond_the_calendar_are_read_without_overflow(rule):
    """Rules the arithmetic cannot hold (a stored or imported rule of any size) are
    expanded by dateutil instead, and a week that shows them still loads."""
    block = StudyBlock(
        start_date=date(2026, 3, 2), start_time=time(19), duration_min=60, tz="UTC", rrule=rule
    )
    first, last = date(2026, 3, 2), date(2026, 3, 8)
    assert occurrences(block, first, last) == expanded_occurrences(block, first, last)
    assert start_dates(block, first, last) in ([], [date(2026, 3, 2)])


def test_a_gap_of_more_than_ten_years_is_refused_when_planned():
    with pytest.raises(PlanError, match="1 to 520 weeks"):
        weekly_rule([0], interval=521)
    assert weekly_rule([0], interval=520) == "FREQ=WEEKLY;INTERVAL=520;BYDAY=MO"
