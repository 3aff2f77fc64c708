from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from mlplanner.curriculum import Curriculum, Stage, Topic, Track
from mlplanner.services import autoplan, logbook, planning, progress, recurrence
from mlplanner.services.calendar_export import export_ics
from mlplanner.services.days import StudyCalendar
from mlplanner.services.recurrence import occurrences
from mlplanner.services.week import week_view
from mlplanner.store import unit_of_work
from mlplanner.store.models import StudyBlock

BERLIN = ZoneInfo("Europe/Berlin")
CAL = StudyCalendar(BERLIN)
NEW_YORK = ZoneInfo("America/New_York")


def block(start: date, rule: str | None, tz="Europe/Berlin", at=time(19), minutes=90, skips=""):
    return StudyBlock(
        id=1,
        uid="u",
        start_date=start,
        start_time=at,
        duration_min=minutes,
        tz=tz,
        rrule=rule,
        skipped_dates=skips,
        created_at=datetime.now(UTC),
    )


def starts(b: StudyBlock, first: date, last: date) -> list[str]:
    return [s.strftime("%a %d %b %H:%M %Z") for s, _ in occurrences(b, first, last)]


def test_weekly_and_every_other_week():
    weekly = block(date(2026, 3, 2), planning.build_rrule([0, 2]))
    assert starts(weekly, date(2026, 3, 9), date(2026, 3, 15)) == [
        "Mon 09 Mar 19:00 CET",
        "Wed 11 Mar 19:00 CET",
    ]
    fortnightly = block(date(2026, 3, 2), planning.build_rrule([0], interval=2))
    assert starts(fortnightly, date(2026, 3, 9), date(2026, 3, 15)) == []
    assert len(starts(fortnightly, date(2026, 3, 16), date(2026, 3, 22))) == 1


def test_until_count_and_skipped_dates():
    until = block(date(2026, 3, 2), planning.build_rrule([0], until=date(2026, 3, 16)))
    assert len(starts(until, date(2026, 3, 1), date(2026, 4, 30))) == 3
    count = block(date(2026, 3, 2), planning.build_rrule([0, 3], count=3))
    assert starts(count, date(2026, 3, 1), date(2026, 4, 30))[-1] == "Mon 09 Mar 19:00 CET"
    skipping = block(date(2026, 3, 2), planning.build_rrule([0]), skips="2026-03-09")
    assert len(starts(skipping, date(2026, 3, 1), date(2026, 3, 22))) == 2


@pytest.mark.parametrize(
    ("tz", "start", "before", "after"),
    [
        ("Europe/Berlin", date(2026, 3, 23), "Mon 23 Mar 19:00 CET", "Mon 30 Mar 19:00 CEST"),
        ("America/New_York", date(2026, 3, 2), "Mon 02 Mar 19:00 EST", "Mon 09 Mar 19:00 EDT"),
    ],
)
def test_wall_clock_time_holds_across_dst(tz, start, before, after):
    b = block(start, planning.build_rrule([0]), tz=tz)
    shown = starts(b, start, start + timedelta(days=7))
    assert shown == [before, after]
    utc_hours = [
        s.astimezone(UTC).hour for s, _ in occurrences(b, start, start + timedelta(days=7))
    ]
    assert utc_hours[0] != utc_hours[1]


def test_block_past_midnight_shows_on_both_days(engine, clock):
    with unit_of_work(engine) as s:
        planning.add_block(s, clock, date(2026, 3, 10), time(23), 120, "Europe/Berlin")
        view = week_view(s, curriculum(), date(2026, 3, 9), CAL, 10)
    tuesday, wednesday = view.days[1], view.days[2]
    assert len(tuesday.blocks) == len(wednesday.blocks) == 1
    assert tuesday.planned_hours == 2 and wednesday.planned_hours == 0


def test_overlaps_are_allowed_and_flagged(engine, clock):
    with unit_of_work(engine) as s:
        planning.add_block(s, clock, date(2026, 3, 10), time(19), 90, "Europe/Berlin")
        planning.add_block(s, clock, date(2026, 3, 10), time(20), 60, "Europe/Berlin")
        planning.add_block(s, clock, date(2026, 3, 10), time(22), 30, "Europe/Berlin")
        view = week_view(s, curriculum(), date(2026, 3, 9), CAL, 10)
    assert [o.conflict for o in view.days[1].blocks] == [True, True, False]


def test_edit_one_occurrence_and_split_the_series(engine, clock):
    with unit_of_work(engine) as s:
        series = planning.add_block(
            s, clock, date(2026, 3, 2), time(19), 90, "Europe/Berlin", planning.build_rrule([0])
        )
        planning.edit_occurrence(s, clock, series.id, date(2026, 3, 9), start_time=time(20))
        view = week_view(s, curriculum(), date(2026, 3, 9), CAL, 10)
        assert [o.start.strftime("%H:%M") for o in view.days[0].blocks] == ["20:00"]
        planning.split_series(s, clock, series.id, date(2026, 3, 23), duration_min=60)
        march_16 = week_view(s, curriculum(), date(2026, 3, 16), CAL, 10)
        march_30 = week_view(s, curriculum(), date(2026, 3, 30), CAL, 10)
    assert march_16.days[0].planned_hours == 1.5
    assert march_30.days[0].planned_hours == 1.0


def test_split_counts_the_remaining_occurrences(engine, clock):
    with unit_of_work(engine) as s:
        series = planning.add_block(
            s,
            clock,
            date(2026, 3, 2),
            time(19),
            90,
            "Europe/Berlin",
            planning.build_rrule([0], count=4),
        )
        new = planning.split_series(s, clock, series.id, date(2026, 3, 16))
        assert "COUNT=2" in new.rrule and "UNTIL=20260315" in series.rrule


def _mondays(s, first: date, weeks: int) -> list[str]:
    """The start of each Monday block over some weeks, as 'dd HH:MM/minutes'."""
    shown = []
    for n in range(weeks):
        view = week_view(s, curriculum(), first + timedelta(weeks=n), CAL, 10)
        shown += [
            f"{o.start:%d %H:%M}/{(o.end - o.start).seconds // 60}" for o in view.days[0].blocks
        ]
    return shown


def _series(s, clock, **rule) -> StudyBlock:
    return planning.add_block(
        s, clock, date(2026, 3, 2), time(19), 90, "Europe/Berlin", planning.build_rrule([0], **rule)
    )


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ("one", ["02 19:00/90", "09 20:00/90", "16 19:00/90", "23 19:00/90"]),
        ("following", ["02 19:00/90", "09 20:00/90", "16 20:00/90", "23 20:00/90"]),
        ("series", ["02 20:00/90", "09 20:00/90", "16 20:00/90", "23 20:00/90"]),
    ],
)
def test_change_block_by_scope(engine, clock, scope, expected):
    with unit_of_work(engine) as s:
        series = _series(s, clock)
        changed = planning.change_block(
            s, clock, series.id, scope, date(2026, 3, 9), rrule=series.rrule, start_time=time(20)
        )
        assert (changed.rrule is None) == (scope == "one")
        assert _mondays(s, date(2026, 3, 2), 4) == expected


def test_change_block_this_and_following_keeps_the_count(engine, clock):
    with unit_of_work(engine) as s:
        series = _series(s, clock, count=4)
        new = planning.change_block(s, clock, series.id, "following", date(2026, 3, 16))
        assert "COUNT=2" in new.rrule and "UNTIL=20260315T235959" in series.rrule
        assert "COUNT" not in series.rrule
        assert len(_mondays(s, date(2026, 3, 2), 6)) == 4


def test_change_block_of_a_one_off_block_changes_it_whatever_the_scope(engine, clock):
    with unit_of_work(engine) as s:
        once = planning.add_block(s, clock, date(2026, 3, 9), time(19), 90, "Europe/Berlin")
        changed = planning.change_block(s, clock, once.id, "one", date(2026, 3, 9), duration_min=30)
        assert changed.id == once.id and changed.duration_min == 30
        assert _mondays(s, date(2026, 3, 9), 1) == ["09 19:00/30"]


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ("one", ["02 19:00/90", "16 19:00/90", "23 19:00/90"]),
        ("following", ["02 19:00/90"]),
        ("series", []),
    ],
)
def test_remove_block_by_scope(engine, clock, scope, expected):
    with unit_of_work(engine) as s:
        series = _series(s, clock, count=6)
        planning.remove_block(s, series.id, scope, date(2026, 3, 9))
        assert _mondays(s, date(2026, 3, 2), 4) == expected
        remaining = s.get(StudyBlock, series.id)
        assert (remaining is None) == (scope == "series")


def test_remove_block_deletes_a_one_off_block_and_refuses_an_unknown_scope(engine, clock):
    with unit_of_work(engine) as s:
        once = planning.add_block(s, clock, date(2026, 3, 9), time(19), 90, "Europe/Berlin")
        with pytest.raises(ValueError):
            planning.remove_block(s, once.id, "everything", date(2026, 3, 9))
        planning.remove_block(s, once.id, "one", date(2026, 3, 9))
        assert s.get(StudyBlock, once.id) is None
        with pytest.raises(planning.PlanError):
            planning.remove_block(s, once.id, "series", date(2026, 3, 9))


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"duration_min": 0}, "more than 0 minutes"),
        ({"duration_min": 13 * 60}, "at most 12 hours"),
        ({"tz": "Mars/Olympus"}, "unknown time zone"),
        ({"rrule": "FREQ=WEEKLY;UNTIL=20260101T235959"}, "ends before the first day"),
    ],
)
def test_bad_blocks_are_refused(engine, clock, values, message):
    fields = {
        "start_date": date(2026, 3, 2),
        "start_time": time(19),
        "duration_min": 60,
        "tz": "Europe/Berlin",
    }
    fields.update(values)
    with pytest.raises(planning.PlanError, match=message), unit_of_work(engine) as s:
        planning.add_block(s, clock, **fields)


def curriculum() -> Curriculum:
    topics = (
        Topic("a", "s", "Alpha", "s", ("o",), 3.0),
        Topic("b", "s", "Beta", "s", ("o",), 10.0, prerequisites=("a",)),
        Topic("c", "s", "Gamma", "s", ("o",), 10.0),
    )
    return Curriculum(Track("t", "T", "s"), (Stage("s", "S", 1, "s", topics),))


def test_parse_windows():
    windows = autoplan.parse_windows("Mon-Fri 19:00-21:00; sat 09:00-13:00")
    assert len(windows) == 6 and windows[-1] == autoplan.Window(5, time(9), time(13))
    for bad in ("someday 9:00-10:00", "mon 21:00-19:00", "mon 25:00-26:00"):
        with pytest.raises(autoplan.WindowError):
            autoplan.parse_windows(bad)


def test_auto_plan_respects_windows_prerequisites_target_and_blocks(engine, clock):
    cur = curriculum()
    titles = {t.id: t.title for t in cur.topics}
    with unit_of_work(engine) as s:
        progress.set_status(s, "a", "in_progress", clock)
        logbook.log_session(s, clock, timedelta(hours=2), topic_id="a")
        # An existing block on Thursday evening.
        planning.add_block(s, clock, date(2026, 3, 12), time(19), 60, "Europe/Berlin", topic_id="c")
        week = week_view(s, cur, date(2026, 3, 9), CAL, 6)
        topics = autoplan.topics_to_plan(s, cur)
        windows = autoplan.parse_windows("mon-fri 19:00-21:00; sat 09:00-13:00")
        plan = autoplan.propose(week, windows, topics, titles, BERLIN, clock(), 90, session=s)
    assert [t for t, _ in topics] == ["a", "c"]  # b waits for a
    # clock is Wed 11 Mar 16:30 in Berlin: nothing before it
    assert all(datetime.combine(p.day, p.start, tzinfo=BERLIN) >= clock() for p in plan)
    assert sum(p.duration_min for p in plan) == 5 * 60  # target 6h less the 1h planned
    assert plan[0].topic_id == "a" and plan[0].duration_min == 60  # a has 1h left
    thursday = [p for p in plan if p.day == date(2026, 3, 12)]
    assert [(p.start, p.duration_min) for p in thursday] == [(time(20), 60)]
    for p in plan:
        window = next(w for w in windows if w.weekday == p.day.weekday())
        end = datetime.combine(p.day, p.start) + timedelta(minutes=p.duration_min)
        assert window.start <= p.start and end.time() <= window.end


def test_ics_export_round_trips(engine, clock):
    with unit_of_work(engine) as s:
        series = planning.add_block(
            s,
            clock,
            date(2026, 3, 2),
            time(19),
            90,
            "Europe/Berlin",
            planning.build_rrule([0, 2], until=date(2026, 3, 31)),
            topic_id="a",
            note="chapter 3",
        )
        planning.skip_occurrence(s, series.id, date(2026, 3, 11))
        planning.add_block(s, clock, date(2026, 3, 14), time(9), 60, "America/New_York")
        first = export_ics(s, curriculum(), clock())
        second = export_ics(s, curriculum(), clock())
    assert first == second
    calendar = Calendar.from_ical(first)
    events = calendar.walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [series.uid, events[1]["uid"]]
    event = events[0]
    assert str(event["summary"]) == "Study: Alpha"
    assert event["dtstart"].dt == datetime(2026, 3, 2, 19, tzinfo=BERLIN)
    assert event["dtstart"].params["TZID"] == "Europe/Berlin"
    assert event["rrule"]["BYDAY"] == ["MO", "WE"]
    exdates = [d.dt for d in event["exdate"].dts]
    assert exdates == [datetime(2026, 3, 11, 19, tzinfo=BERLIN)]
    from dateutil.rrule import rrulestr

    # UNTIL is a UTC instant (RFC 5545 3.3.10), read by dateutil with an aware start.
    assert event["rrule"]["UNTIL"] == [datetime(2026, 3, 31, 21, 59, 59, tzinfo=UTC)]
    rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=event["dtstart"].dt)
    expanded = [d for d in rule if d.date() not in {x.date() for x in exdates}]
    assert len(expanded) == 8
    assert {tz["tzid"] for tz in calendar.walk("VTIMEZONE")} == {
        "Europe/Berlin",
        "America/New_York",
    }


def test_rules_are_written_in_the_stored_order_and_read_back():
    rule = recurrence.weekly_rule([3, 0], interval=2, until=date(2026, 3, 31))
    assert rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=20260331T235959"
    assert recurrence.rule_parts(rule) == {
        "FREQ": "WEEKLY",
        "INTERVAL": "2",
        "BYDAY": "MO,TH",
        "UNTIL": "20260331T235959",
    }
    assert recurrence.until_date(rule) == date(2026, 3, 31)
    assert recurrence.until_date("FREQ=WEEKLY;COUNT=3") is None
    assert recurrence.weekly_rule([0], count=3) == "FREQ=WEEKLY;BYDAY=MO;COUNT=3"


def test_a_rule_cut_at_a_day_ends_the_day_before_and_continues_with_what_is_left():
    first = datetime(2026, 3, 2, 19)
    counted = "FREQ=WEEKLY;BYDAY=MO;COUNT=4"
    assert recurrence.ended_before(counted, date(2026, 3, 16)) == (
        "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260315T235959"
    )
    assert recurrence.continued_from(counted, first, date(2026, 3, 16)) == (
        "FREQ=WEEKLY;BYDAY=MO;COUNT=2"
    )
    assert recurrence.continued_from(counted, first, date(2026, 4, 6)) is None
    open_ended = "FREQ=WEEKLY;BYDAY=MO"
    assert recurrence.continued_from(open_ended, first, date(2026, 3, 16)) == open_ended


def test_auto_plan_starts_with_topics_in_progress_and_leaves_no_short_fragments(engine, clock):
    cur = curriculum()
    titles = {t.id: t.title for t in cur.topics}
    with unit_of_work(engine) as s:
        progress.set_status(s, "a", "done", clock)
        progress.set_status(s, "c", "in_progress", clock)  # later in the roadmap than b
        week = week_view(s, cur, date(2026, 3, 9), CAL, 20)
        topics = autoplan.topics_to_plan(s, cur)
        # Thursday 19:00-20:40: one 90-minute block would strand ten minutes.
        windows = autoplan.parse_windows("thu 19:00-20:40; fri 19:00-19:40; sat 09:00-13:00")
        plan = autoplan.propose(week, windows, topics, titles, BERLIN, clock(), 90, session=s)
    assert [t for t, _ in topics] == ["c", "b"]  # the started topic first
    assert plan[0].topic_id == "c"
    assert all(p.duration_min >= 45 for p in plan)
    assert [(p.day.day, p.start, p.duration_min) for p in plan if p.day.day == 12] == [
        (12, time(19), 100)  # the ten minutes merged into the block
    ]
    assert not any(p.day.day == 13 for p in plan)  # a 40-minute window: no block at all
