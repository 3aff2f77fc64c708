"""The exported calendar read by real readers: icalendar (and its own VTIMEZONE support),
recurring-ical-events, dateutil's rrulestr and khal, each compared with `week --json`
over daylight-saving changes in a zone east and a zone west of UTC."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from dateutil.rrule import rrulestr
from icalendar import Calendar
from sqlmodel import select

from mlplanner.cli import main
from mlplanner.clock import FixedClock
from mlplanner.services import planning
from mlplanner.store import make_engine, prepare_database, unit_of_work
from mlplanner.store.models import StudyBlock

NOW = datetime(2026, 2, 20, 12, tzinfo=UTC)
# Spring forward (8 Mar in New York, 29 Mar in Berlin) and fall back (25 Oct, 1 Nov).
WEEKS = [date(2026, 3, 2) + timedelta(weeks=n) for n in range(9)] + [
    date(2026, 10, 19) + timedelta(weeks=n) for n in range(3)
]
SPANS = [(WEEKS[0], WEEKS[8] + timedelta(days=7)), (WEEKS[9], WEEKS[11] + timedelta(days=7))]
WINDOWS: list[tuple[datetime, datetime]] = []  # the same weeks in the zone under test


Occurrence = tuple[str, datetime, datetime]  # uid, start (UTC), end (UTC)


def plan(db: str, zone: str) -> dict[int, str]:
    """Weekly (one deleted and one moved occurrence), every 2 weeks until a day (late in the
    evening), a COUNT, and a one-off without a topic. Returns block id -> exported UID."""
    engine = make_engine(db)
    prepare_database(engine)
    clock = FixedClock(NOW)
    with unit_of_work(engine) as s:
        weekly = planning.add_block(
            s,
            clock,
            date(2026, 3, 2),
            time(19),
            90,
            zone,
            planning.build_rrule([0, 2]),
            topic_id="python-basics",
        )
        planning.remove_block(s, weekly.id, "one", date(2026, 3, 11))
        planning.change_block(
            s,
            clock,
            weekly.id,
            "one",
            date(2026, 3, 30),
            start_date=date(2026, 3, 31),
            start_time=time(7, 30),
        )
        planning.add_block(
            s,
            clock,
            date(2026, 3, 5),
            time(22, 30),
            60,
            zone,
            planning.build_rrule([3], interval=2, until=date(2026, 4, 16)),
            note="Read papers\nsecond line",
        )
        planning.add_block(
            s,
            clock,
            date(2026, 3, 7),
            time(9),
            120,
            zone,
            planning.build_rrule([5], count=6),
            topic_id="git-github",
        )
        planning.add_block(s, clock, date(2026, 3, 27), time(18), 45, zone, note="Mock exam")
    with unit_of_work(engine) as s:
        blocks = list(s.exec(select(StudyBlock)))
        uids = {b.id: (b.series_uid or b.uid) for b in blocks}
    engine.dispose()
    return uids


def week_json(db: str, zone: str, uids: dict[int, str], capsys) -> set[Occurrence]:
    found = set()
    for monday in WEEKS:
        capsys.readouterr()
        assert main(["week", "--json", "--date", monday.isoformat(), "--db", db]) == 0
        view = json.loads(capsys.readouterr().out)
        for day in view["days"]:
            for block in day["blocks"]:
                start = datetime.fromisoformat(block["start"])
                assert start.utcoffset() == start.astimezone(ZoneInfo(zone)).utcoffset()
                found.add(
                    (
                        uids[block["block_id"]],
                        start.astimezone(UTC),
                        datetime.fromisoformat(block["end"]).astimezone(UTC),
                    )
                )
    return found


def in_windows(occurrences: set[Occurrence]) -> set[Occurrence]:
    return {o for o in occurrences if any(a <= o[1] < b for a, b in WINDOWS)}


def by_recurring_ical_events(calendar: Calendar) -> set[Occurrence]:
    found = set()
    for first, last in WINDOWS:
        for event in recurring_ical_events.of(calendar).between(first, last):
            found.add(
                (
                    str(event["uid"]),
                    event["dtstart"].dt.astimezone(UTC),
                    event["dtend"].dt.astimezone(UTC),
                )
            )
    return in_windows(found)


def by_rrulestr(calendar: Calendar) -> set[Occurrence]:
    """dateutil alone: each RRULE expanded from its DTSTART, less EXDATEs and the instances
    that a RECURRENCE-ID override replaces, plus the overrides and one-off events."""
    events = calendar.walk("VEVENT")
    replaced = {
        (str(e["uid"]), e["recurrence-id"].dt.astimezone(UTC))
        for e in events
        if "recurrence-id" in e
    }
    found = set()
    for event in events:
        uid = str(event["uid"])
        start = event["dtstart"].dt
        length = event["dtend"].dt - start
        if "rrule" not in event:
            found.add((uid, start.astimezone(UTC), (start + length).astimezone(UTC)))
            continue
        rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=start)
        exdates = event.get("exdate", [])
        gone = {
            d.dt.astimezone(UTC)
            for group in (exdates if isinstance(exdates, list) else [exdates])
            for d in group.dts
        }
        for first, last in WINDOWS:
            for local in rule.between(first, last, inc=True):
                instant = local.astimezone(UTC)
                if instant not in gone and (uid, instant) not in replaced:
                    found.add((uid, instant, (local + length).astimezone(UTC)))
    return in_windows(found)


def export(db: str, tmp_path: Path) -> Calendar:
    out = tmp_path / "plan.ics"
    assert main(["export", "ics", "-o", str(out), "--db", db]) == 0
    return Calendar.from_ical(out.read_bytes())


@pytest.fixture(params=["Europe/Berlin", "America/New_York"])
def zone(request, monkeypatch):
    monkeypatch.setenv("TZ", request.param)
    local = ZoneInfo(request.param)
    monkeypatch.setattr(
        sys.modules[__name__],
        "WINDOWS",
        [
            (datetime.combine(a, time(0), tzinfo=local), datetime.combine(b, time(0), tzinfo=local))
            for a, b in SPANS
        ],
    )
    return request.param


def test_readers_agree_with_week_json_across_daylight_saving(tmp_path, zone, capsys):
    db = f"sqlite:///{tmp_path / 'planner.db'}"
    uids = plan(db, zone)
    expected = week_json(db, zone, uids, capsys)
    calendar = export(db, tmp_path)

    # 4 blocks on the screen, 3 events on the calendar: the moved occurrence is an override
    # of its series (same UID, RECURRENCE-ID), the deleted one an EXDATE.
    assert len(set(uids.values())) == 4
    events = calendar.walk("VEVENT")
    overrides = [e for e in events if "recurrence-id" in e]
    assert len(overrides) == 1
    assert overrides[0]["recurrence-id"].dt == datetime(2026, 3, 30, 19, tzinfo=ZoneInfo(zone))
    assert overrides[0]["dtstart"].dt == datetime(2026, 3, 31, 7, 30, tzinfo=ZoneInfo(zone))
    series = next(e for e in events if e["uid"] == overrides[0]["uid"] and "rrule" in e)
    assert [d.dt for d in series["exdate"].dts] == [
        datetime(2026, 3, 11, 19, tzinfo=ZoneInfo(zone))
    ]
    # UNTIL next to a DTSTART with a TZID is a UTC instant (RFC 5545 3.3.10).
    last = datetime(2026, 4, 16, 23, 59, 59, tzinfo=ZoneInfo(zone)).astimezone(UTC)
    assert f"UNTIL={last:%Y%m%dT%H%M%S}Z" in calendar.to_ical().decode()
    # A block without a topic is named by its note's first line, not "Study: Study".
    assert sorted(str(e["summary"]) for e in events if "recurrence-id" not in e) == [
        "Mock exam",
        "Read papers",
        "Study: Git and GitHub",
        "Study: Python programming",
    ]

    # 24 weekly less 1 deleted (the moved one counted), 4 every other week, 6 counted, 1.
    assert len(expected) == 34
    assert by_recurring_ical_events(calendar) == in_windows(expected)
    assert by_rrulestr(calendar) == in_windows(expected)


@pytest.mark.slow
def test_vtimezone_parts_are_yearly_rules_that_give_the_zones_offsets(tmp_path, zone, capsys):
    db = f"sqlite:///{tmp_path / 'planner.db'}"
    plan(db, zone)
    calendar = export(db, tmp_path)
    (vtimezone,) = calendar.walk("VTIMEZONE")
    assert str(vtimezone["tzid"]) == zone
    parts = {p.name: p for p in vtimezone.subcomponents}
    assert set(parts) == {"STANDARD", "DAYLIGHT"}
    for part in parts.values():
        assert "RRULE" in part and "RDATE" not in part
        assert part["rrule"]["FREQ"] == ["YEARLY"]
    # icalendar builds a time zone from the component alone (not the name) ...
    built = vtimezone.to_tz(lookup_tzid=False)
    real = ZoneInfo(zone)
    hour = datetime(2025, 1, 1, tzinfo=UTC)
    while hour < datetime(2031, 1, 1, tzinfo=UTC):
        # ... and it gives the zone's offset at every hour for years past the last block.
        assert hour.astimezone(built).utcoffset() == hour.astimezone(real).utcoffset(), hour
        hour += timedelta(hours=1)


def test_vdir_one_file_per_uid_and_deleted_blocks_removed(tmp_path, zone, capsys):
    db = f"sqlite:///{tmp_path / 'planner.db'}"
    uids = plan(db, zone)
    vdir = tmp_path / "vdir"
    vdir.mkdir()
    (vdir / "someone-else.ics").write_text("not ours")
    assert main(["export", "ics", "--vdir", str(vdir), "--db", db]) == 0
    assert "4 written, 0 unchanged, 0 removed" in capsys.readouterr().err
    names = {p.name for p in vdir.iterdir()}
    assert names == {f"{uid}.ics" for uid in set(uids.values())} | {"someone-else.ics"}
    for uid in set(uids.values()):
        calendar = Calendar.from_ical((vdir / f"{uid}.ics").read_bytes())
        assert {str(e["uid"]) for e in calendar.walk("VEVENT")} == {uid}
    # Nothing changed: nothing rewritten. A block deleted: its file goes, others stay.
    assert main(["export", "ics", "--vdir", str(vdir), "--db", db]) == 0
    assert "0 written, 4 unchanged, 0 removed" in capsys.readouterr().err
    engine = make_engine(db)
    with unit_of_work(engine) as s:
        one_off = next(b for b in s.exec(select(StudyBlock)) if b.note == "Mock exam")
        gone = one_off.uid
        planning.delete_block(s, one_off.id)
    engine.dispose()
    assert main(["export", "ics", "--vdir", str(vdir), "--db", db]) == 0
    assert "0 written, 3 unchanged, 1 removed" in capsys.readouterr().err
    assert f"{gone}.ics" not in {p.name for p in vdir.iterdir()}
    assert (vdir / "someone-else.ics").read_text() == "not ours"


def test_reminders_from_the_setting(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'planner.db'}"
    plan(db, "Europe/Berlin")
    assert main(["settings", "reminder_minutes", "-5", "--db", db]) == 2
    assert main(["settings", "reminder_minutes", "15", "--db", db]) == 0
    calendar = export(db, tmp_path)
    for event in calendar.walk("VEVENT"):
        (alarm,) = event.walk("VALARM")
        assert alarm["action"] == "DISPLAY"
        assert alarm["trigger"].dt == timedelta(minutes=-15)
    assert main(["settings", "reminder_minutes", "0", "--db", db]) == 0
    assert not export(db, tmp_path).walk("VALARM")


KHAL_CONFIG = """\
[calendars]
[[study]]
path = {calendar}
type = calendar
[[feed]]
path = {vdir}
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = {zone}
default_timezone = {zone}
[sqlite]
path = {db}
"""


def khal_list(config: Path, calendar: str, first: date, last: date) -> set[tuple[str, str, str]]:
    khal = shutil.which("khal", path=str(Path(sys.executable).parent)) or shutil.which("khal")
    assert khal is not None
    done = subprocess.run(
        [
            khal,
            "-c",
            str(config),
            "list",
            "-a",
            calendar,
            "--format",
            "{start}|{end}|{title}",
            first.isoformat(),
            last.isoformat(),
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ},
    )
    return {tuple(line.split("|")) for line in done.stdout.splitlines() if "|" in line}  # type: ignore[misc]


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("khal", path=str(Path(sys.executable).parent)) is None
    and shutil.which("khal") is None,
    reason="khal is not installed (pip install khal; it is in the test extra)",
)
def test_khal_imports_the_file_and_reads_the_vdir_as_week_json_shows(tmp_path, zone, capsys):
    db = f"sqlite:///{tmp_path / 'planner.db'}"
    uids = plan(db, zone)
    expected = week_json(db, zone, uids, capsys)
    out = tmp_path / "plan.ics"
    assert main(["export", "ics", "-o", str(out), "--db", db]) == 0
    vdir = tmp_path / "vdir"
    assert main(["export", "ics", "--vdir", str(vdir), "--db", db]) == 0
    (tmp_path / "khal-cal").mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(
        KHAL_CONFIG.format(
            calendar=tmp_path / "khal-cal", vdir=vdir, zone=zone, db=tmp_path / "khal.db"
        )
    )
    khal = shutil.which("khal", path=str(Path(sys.executable).parent)) or shutil.which("khal")
    subprocess.run(
        [khal, "-c", str(config), "import", "--batch", "-a", "study", str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    local = ZoneInfo(zone)
    titles = {}
    for event in Calendar.from_ical(out.read_bytes()).walk("VEVENT"):
        titles[str(event["uid"])] = str(event["summary"])
    want = {
        (
            s.astimezone(local).strftime("%Y-%m-%d %H:%M"),
            e.astimezone(local).strftime("%Y-%m-%d %H:%M"),
            titles[uid],
        )
        for uid, s, e in in_windows(expected)
    }
    for calendar in ("study", "feed"):
        seen: set[tuple[str, str, str]] = set()
        for first, last in WINDOWS:
            # khal lists from the first day to the last, both included.
            seen |= khal_list(config, calendar, first.date(), last.date() - timedelta(days=1))
        assert seen == want, calendar
