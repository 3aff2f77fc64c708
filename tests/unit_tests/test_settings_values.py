"""`mlplanner settings` refuses values the app would ignore; time zone and target date."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from mlplanner.cli import main
from mlplanner.clock import FixedClock
from mlplanner.config import resolve_paths
from mlplanner.planner import open_planner
from tests.conftest import NOW


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("theme", "nope", "the themes are: "),
        ("desired_retention", "0.5", "between 0.70 and 0.99"),
        ("desired_retention", "1", "between 0.70 and 0.99"),
        ("rollover_hour", "24", "0-23"),
        ("rollover_hour", "-1", "0-23"),
        ("new_cards_per_day", "-1", "between 0 and"),
        ("reviews_per_day", "-5", "between 0 and"),
        ("time_zone", "Europe/Pari", "did you mean Europe/Paris"),
        ("time_zone", "../etc/passwd", "not an IANA time-zone name"),
        ("target_date", "2027-13-01", "not a date such as 2027-12-31"),
    ],
)
def test_a_value_the_app_would_ignore_exits_2(tmp_path, capsys, key, value, message):
    assert main(["settings", key, value, "--db", str(tmp_path / "s.db")]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_theme_names_are_textuals(tmp_path, capsys):
    from mlplanner.tui.themes import THEME_NAMES

    assert "textual-dark" in THEME_NAMES and "nord" in THEME_NAMES
    assert main(["settings", "theme", "nord", "--db", str(tmp_path / "s.db")]) == 0
    assert capsys.readouterr().out.strip() == "theme = nord"


@pytest.mark.parametrize(
    ("key", "value"),
    [("time_zone", "America/New_York"), ("time_zone", ""), ("target_date", "2027-12-31")],
)
def test_accepted_values(tmp_path, capsys, key, value):
    db = str(tmp_path / "s.db")
    assert main(["settings", key, value, "--db", db]) == 0
    capsys.readouterr()
    assert main(["settings", key, "--db", db]) == 0
    assert capsys.readouterr().out.strip() == value


def test_the_calendar_follows_the_time_zone_without_a_restart(tmp_path):
    paths = resolve_paths(db=str(tmp_path / "tz.db"))
    planner = open_planner(paths, FixedClock(NOW))
    try:
        planner.update_settings(time_zone="Asia/Tokyo")
        assert planner.tz == ZoneInfo("Asia/Tokyo")
        assert planner.calendar.tz == ZoneInfo("Asia/Tokyo")
        planner.update_settings(target_date="2027-06-30")
        assert str(planner.target_date) == "2027-06-30"
    finally:
        planner.close()
    reopened = open_planner(paths, FixedClock(NOW))
    try:
        assert reopened.tz == ZoneInfo("Asia/Tokyo")  # stored: the next start uses it
    finally:
        reopened.close()
