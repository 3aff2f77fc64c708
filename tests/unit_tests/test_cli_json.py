"""Every --json output has one shape: version first, days as listed objects, two decimals."""

from __future__ import annotations

import json

import pytest

from mlplanner.cli import main


@pytest.fixture
def db(tmp_path):
    path = str(tmp_path / "j.db")
    assert main(["log", "1h20", "--at", "yesterday 19:00", "--db", path]) == 0
    assert main(["log", "0:37", "--db", path]) == 0
    return path


def numbers(value):
    if isinstance(value, float):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from numbers(item)
    elif isinstance(value, list):
        for item in value:
            yield from numbers(item)


@pytest.mark.parametrize(
    "argv",
    [["stats", "--json"], ["week", "--json"], ["path", "--json"], ["path", "--list", "--json"]],
)
def test_every_json_output_has_the_version_first_and_two_decimals(db, capsys, argv):
    capsys.readouterr()
    assert main([*argv, "--db", db]) == 0
    data = json.loads(capsys.readouterr().out)
    assert next(iter(data)) == "version" and data["version"] == 1
    assert all(round(n, 2) == n for n in numbers(data))


def test_days_are_listed_objects_with_a_date_in_stats_and_week(db, capsys):
    capsys.readouterr()
    assert main(["stats", "--json", "--db", db]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert main(["week", "--json", "--db", db]) == 0
    week = json.loads(capsys.readouterr().out)
    for days in (stats["days"], week["days"], stats["reviews"]["forecast"]):
        assert isinstance(days, list) and all("date" in day for day in days)
    this_week = {d["date"] for d in week["days"]}
    logged = {d["date"]: d["logged_hours"] for d in stats["days"] if d["date"] in this_week}
    assert logged == {d["date"]: d["logged_hours"] for d in week["days"] if d["logged_hours"]}
    assert logged  # today's 37 minutes at least
    assert stats["projection"] == week["projection"]
