"""An occurrence changed on its own stays linked to its series, through later changes of
the series, and is exported as an override (same UID, RECURRENCE-ID)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from icalendar import Calendar

from mlplanner.curriculum import load_curriculum
from mlplanner.services import planning
from mlplanner.services.calendar_export import export_ics
from mlplanner.store import unit_of_work

BERLIN = ZoneInfo("Europe/Berlin")


def events(engine, clock) -> list:
    with unit_of_work(engine) as s:
        data = export_ics(s, load_curriculum().curriculum, clock())
    return Calendar.from_ical(data).walk("VEVENT")


def test_an_edited_occurrence_is_linked_and_exported_as_an_override(engine, clock):
    with unit_of_work(engine) as s:
        series = planning.add_block(
            s, clock, date(2026, 3, 2), time(19), 60, "Europe/Berlin", planning.build_rrule([0])
        )
        moved = planning.change_block(
            s, clock, series.id, "one", date(2026, 3, 9), start_time=time(20), note="later"
        )
        assert (moved.series_uid, moved.recurrence_date) == (series.uid, date(2026, 3, 9))
        series_uid, moved_id = series.uid, moved.id
    (main, override) = events(engine, clock)
    assert "exdate" not in main
    assert override["uid"] == series_uid
    assert override["recurrence-id"].dt == datetime(2026, 3, 9, 19, tzinfo=BERLIN)
    assert override["dtstart"].dt == datetime(2026, 3, 9, 20, tzinfo=BERLIN)
    assert str(override["summary"]) == "later"
    # Deleting the changed occurrence leaves the date out of the series: an EXDATE.
    with unit_of_work(engine) as s:
        planning.remove_block(s, moved_id, "one", date(2026, 3, 9))
    (main,) = events(engine, clock)
    assert [d.dt for d in main["exdate"].dts] == [datetime(2026, 3, 9, 19, tzinfo=BERLIN)]


def test_the_link_follows_a_split_and_outlives_a_deleted_series(engine, clock):
    with unit_of_work(engine) as s:
        series = planning.add_block(
            s, clock, date(2026, 3, 2), time(19), 60, "Europe/Berlin", planning.build_rrule([0])
        )
        early = planning.change_block(
            s, clock, series.id, "one", date(2026, 3, 9), start_time=time(18)
        )
        late = planning.change_block(
            s, clock, series.id, "one", date(2026, 3, 23), start_time=time(18)
        )
        following = planning.change_block(
            s, clock, series.id, "following", date(2026, 3, 16), start_time=time(19, 30)
        )
        assert early.series_uid == series.uid and late.series_uid == following.uid
        old_uid, new_uid, new_id = series.uid, following.uid, following.id
    found = events(engine, clock)
    overrides = {str(e["uid"]): e for e in found if "recurrence-id" in e}
    assert set(overrides) == {old_uid, new_uid}
    # The override of the new series names the occurrence as that series places it.
    assert overrides[new_uid]["recurrence-id"].dt == datetime(2026, 3, 23, 19, 30, tzinfo=BERLIN)
    with unit_of_work(engine) as s:
        planning.remove_block(s, new_id, "series", date(2026, 3, 16))
    found = events(engine, clock)
    # Its series gone, the changed occurrence is an event of its own.
    alone = [e for e in found if e["dtstart"].dt == datetime(2026, 3, 23, 18, tzinfo=BERLIN)]
    assert len(alone) == 1 and "recurrence-id" not in alone[0]
    assert str(alone[0]["uid"]) not in {old_uid, new_uid}
