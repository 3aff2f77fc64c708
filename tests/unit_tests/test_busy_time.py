"""Busy time from another calendar: a file written the way Google Calendar and Outlook
write them (VTIMEZONE, RRULE with EXDATE, a RECURRENCE-ID exception, an all-day event,
a Windows zone name, free and cancelled events), imported and kept clear by planning."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from mlplanner.cli import main
from mlplanner.clock import FixedClock
from mlplanner.curriculum import load_curriculum
from mlplanner.services import autoplan, busy_time, planning
from mlplanner.services.days import StudyCalendar
from mlplanner.services.week import week_view
from mlplanner.store import unit_of_work
from mlplanner.store.models import BusyTime

FIXTURE = Path(__file__).parent.parent / "fixtures" / "work-calendar.ics"
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 1, 9, tzinfo=UTC)  # a Sunday


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


def stored(engine) -> list[tuple[datetime, datetime, str]]:
    with unit_of_work(engine) as s:
        rows = s.exec(select(BusyTime).order_by(BusyTime.start)).all()
        return [(r.start, r.end, r.summary) for r in rows]


def test_a_google_and_outlook_style_file_read_field_by_field(engine):
    with unit_of_work(engine) as s:
        report = busy_time.import_calendar(s, FIXTURE, BERLIN, NOW)
    call = "Team evening call"
    assert stored(engine) == [
        (at(2, 19), at(2, 20), call),
        (at(4, 19), at(4, 20), call),
        # Outlook's Windows zone name, read as Berlin time.
        (at(5, 19), at(5, 20, 30), "Dentist"),
        # An all-day event takes the whole local day.
        (at(7, 0), at(8, 0), "Team offsite"),
        (at(9, 19), at(9, 20), call),
        # 11 Nov is an EXDATE; 18 Nov was moved to 20:00-21:30 (RECURRENCE-ID).
        (at(16, 19), at(16, 20), call),
        (at(18, 20), at(18, 21, 30), "Team evening call (moved)"),
        (at(23, 19), at(23, 20), call),
        (at(25, 19), at(25, 20), call),
        # UNTIL=20261130T225959Z takes in the last Monday.
        (at(30, 19), at(30, 20), call),
    ]
    # The birthday is marked free (TRANSP:TRANSPARENT), the drinks cancelled.
    assert (report.intervals, report.free, report.replaced) == (10, 2, 0)
    assert report.source == str(FIXTURE.resolve())


def test_importing_the_same_file_again_replaces_its_busy_time(engine, tmp_path):
    copy = tmp_path / "work.ics"
    copy.write_bytes(FIXTURE.read_bytes())
    other = tmp_path / "family.ics"
    other.write_bytes(FIXTURE.read_bytes().replace(b"@google.com", b"@family"))
    with unit_of_work(engine) as s:
        busy_time.import_calendar(s, copy, BERLIN, NOW)
        busy_time.import_calendar(s, other, BERLIN, NOW)
    assert len(stored(engine)) == 20
    # The meeting series is gone from the work calendar: only the rest is left from it.
    text = FIXTURE.read_bytes().decode()
    first, rest = text.split("BEGIN:VEVENT", 1)
    copy.write_text(first + "BEGIN:VEVENT" + rest.split("BEGIN:VEVENT", 2)[2], newline="")
    with unit_of_work(engine) as s:
        report = busy_time.import_calendar(s, copy, BERLIN, NOW)
    assert (report.replaced, report.intervals) == (10, 2)
    assert len(stored(engine)) == 12


def test_plan_my_week_keeps_clear_of_busy_time(engine):
    curriculum = load_curriculum().curriculum
    clock = FixedClock(NOW)
    titles = {t.id: t.title for t in curriculum.topics}
    windows = autoplan.parse_windows("mon-fri 19:00-21:00; sat 09:00-13:00")
    with unit_of_work(engine) as s:
        busy_time.import_calendar(s, FIXTURE, BERLIN, NOW)
        planning.add_block(s, clock, date(2026, 11, 3), time(19), 60, "Europe/Berlin")
        week = week_view(s, curriculum, date(2026, 11, 2), StudyCalendar(BERLIN), 20)
        topics = autoplan.topics_to_plan(s, curriculum)
        plan = autoplan.propose(week, windows, topics, titles, BERLIN, NOW, 90, session=s)
        busy = busy_time.busy_between(s, at(2, 0), at(9, 0))
    assert plan
    for p in plan:
        start = datetime.combine(p.day, p.start, tzinfo=BERLIN)
        end = start + timedelta(minutes=p.duration_min)
        assert not any(b_start < end and start < b_end for b_start, b_end in busy), p
    by_day = {(p.day.day, p.start) for p in plan}
    assert (2, time(20)) in by_day  # after the call on Monday
    assert not any(p.day.day == 5 for p in plan)  # 30 minutes after the dentist: too short
    assert not any(p.day == date(2026, 11, 7) for p in plan)  # the offsite Saturday


def test_cli_import_calendar_and_again(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    db = f"sqlite:///{tmp_path / 'planner.db'}"
    # An open-ended weekly event: busy in any week the test runs.
    ics = tmp_path / "gym.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        "UID:gym@example.com\r\nDTSTAMP:20260101T000000Z\r\n"
        "DTSTART;TZID=Europe/Berlin:20260105T180000\r\n"
        "DTEND;TZID=Europe/Berlin:20260105T190000\r\nRRULE:FREQ=WEEKLY\r\n"
        "SUMMARY:Gym\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        newline="",
    )
    assert main(["import", "calendar", str(ics), "--db", db]) == 0
    out = capsys.readouterr().out
    assert "busy interval(s) from" in out and "replaced" not in out
    count = int(out.split(": ", 1)[1].split()[0])
    assert count >= 50  # a week back to about a year ahead
    assert main(["import", "calendar", str(ics), "--db", db]) == 0
    assert f"replaced {count} from the last import" in capsys.readouterr().out


@pytest.mark.parametrize("content", [b"", b"BEGIN:VCALENDAR\r\nnot a calendar"])
def test_cli_import_calendar_refuses_what_it_cannot_read(tmp_path, capsys, content):
    bad = tmp_path / "bad.ics"
    bad.write_bytes(content)
    db = f"sqlite:///{tmp_path / 'planner.db'}"
    assert main(["import", "calendar", str(bad), "--db", db]) == 2
    assert f"mlplanner: {bad}: not a calendar file" in capsys.readouterr().err
    assert main(["import", "calendar", str(tmp_path / "missing.ics"), "--db", db]) == 2
