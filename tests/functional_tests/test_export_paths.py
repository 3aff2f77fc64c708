"""Whatever is typed as the export's file, the dialog answers with a message, never a
traceback (the dialog itself is driven in test_daily_flows.py)."""

from __future__ import annotations

import pytest

from mlplanner.errors import PlannerError
from mlplanner.tui.screens.export_form import chosen_path, write_file


@pytest.mark.parametrize(
    "typed",
    [
        "~no_such_user_anywhere/plan.ics",
        "{tmp}/" + "a" * 300 + ".ics",
        "{tmp}/plan\0.ics",
        "{tmp}/missing/plan.ics",
        "{tmp}",
        "   ",
    ],
    ids=["unknown-user", "name-too-long", "nul", "missing-folder", "folder", "blank"],
)
def test_a_path_that_cannot_be_written_is_refused_with_a_reason(tmp_path, typed):
    with pytest.raises(PlannerError) as refused:
        chosen_path(typed.replace("{tmp}", str(tmp_path)))
    assert str(refused.value)


@pytest.mark.parametrize("name", ["missing/plan.ics", "plan\0.ics"], ids=["no-folder", "nul"])
def test_a_write_that_fails_is_said_and_leaves_nothing(tmp_path, name):
    with pytest.raises(PlannerError, match="cannot write"):
        write_file(tmp_path / name, b"BEGIN:VCALENDAR")
    assert list(tmp_path.iterdir()) == []
    target = chosen_path(str(tmp_path / "plan.ics"))
    write_file(target, b"BEGIN:VCALENDAR")
    assert [p.name for p in tmp_path.iterdir()] == ["plan.ics"]
