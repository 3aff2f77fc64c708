from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlplanner.curriculum import check_directory, load_curriculum
from mlplanner.curriculum.loader import parse_file

GOOD_STAGE = """\
[stage]
id = "basics"
title = "Basics"
order = 10
summary = "The first stage."

[[topics]]
id = "alpha"
title = "Alpha"
summary = "First topic."
objectives = ["Do one thing", "Do another"]
hours = 5

[[topics.resources]]
id = "alpha-docs"
title = "Alpha docs"
url = "https://example.org/alpha"
kind = "docs"
cost = "free"
hours = 2

[[topics.cards]]
id = "alpha-01"
front = "What is alpha?"
back = "The first letter."
tags = ["greek"]

[[topics]]
id = "beta"
title = "Beta"
summary = "Second topic."
objectives = ["Do a third thing"]
hours = 7.5
prerequisites = ["alpha"]
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def messages(folder: Path) -> list[str]:
    curriculum, problems = check_directory(folder)
    assert curriculum is None, "expected problems"
    return [str(p) for p in problems]


def test_good_stage_loads_into_frozen_objects(tmp_path):
    write(tmp_path, "a.toml", GOOD_STAGE)
    curriculum, problems = check_directory(tmp_path)
    assert problems == []
    assert [t.id for t in curriculum.topics] == ["alpha", "beta"]
    beta = curriculum.topic("beta")
    assert beta.prerequisites == ("alpha",) and beta.hours == 7.5 and beta.stage_id == "basics"
    alpha = curriculum.topic("alpha")
    assert alpha.resources[0].free and alpha.cards[0].tags == ("greek",)
    with pytest.raises(AttributeError):
        alpha.title = "changed"  # type: ignore[misc]


def test_stages_are_ordered_by_order_not_file_name(tmp_path):
    write(tmp_path, "a.toml", GOOD_STAGE.replace("order = 10", "order = 20"))
    write(
        tmp_path,
        "b.toml",
        '[stage]\nid = "zero"\ntitle = "Zero"\norder = 1\nsummary = "s"\n\n'
        '[[topics]]\nid = "z"\ntitle = "Z"\nsummary = "s"\nobjectives = ["o"]\nhours = 1\n',
    )
    curriculum, _ = check_directory(tmp_path)
    assert [s.id for s in curriculum.stages] == ["zero", "basics"]


def test_invalid_toml_is_reported_with_its_line(tmp_path):
    write(tmp_path, "a.toml", GOOD_STAGE + "\nbroken = = 3\n")
    (message,) = messages(tmp_path)
    line = len(GOOD_STAGE.splitlines()) + 2
    assert message.startswith(f"{tmp_path / 'a.toml'}:{line}: invalid TOML")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("hours = 5\n", ""), "topic 'alpha': missing field 'hours'"),
        (("hours = 5\n", "hours = 5\nhour = 5\n"), "topic 'alpha': unknown field 'hour'"),
        (
            ("hours = 5\n", 'hours = "five"\n'),
            "field 'hours' must be an integer or a number, not a string",
        ),
        (("hours = 5\n", "hours = 0\n"), "'hours' must be greater than 0"),
        (("order = 10", "order = true"), "field 'order' must be an integer, not a boolean"),
        (('"https://example.org/alpha"', '"ftp://example.org/a"'), "is not an http(s) URL"),
        (('"https://example.org/alpha"', '"https://exa mple.org"'), "is not an http(s) URL"),
        (('kind = "docs"', 'kind = "podcast"'), "kind 'podcast' is not one of"),
        (('cost = "free"', 'cost = "cheap"'), "cost 'cheap' must be 'free' or 'paid'"),
        (('back = "The first letter."', 'back = "  "'), "card 'alpha-01': field 'back' is empty"),
        (('back = "The first letter."', 'back = "What is alpha?"'), "front and back are the same"),
        (('id = "alpha-01"', 'id = "Alpha 01"'), "is not a slug"),
        (
            ('prerequisites = ["alpha"]', 'prerequisites = ["gamma"]'),
            "prerequisite 'gamma' names no topic",
        ),
        (
            ('prerequisites = ["alpha"]', 'prerequisites = ["beta"]'),
            "lists itself as a prerequisite",
        ),
        (('objectives = ["Do a third thing"]', "objectives = []"), "topic 'beta': no objectives"),
        (('summary = "Second topic."', "summary = 3"), "field 'summary' must be a string"),
    ],
)
def test_bad_input_is_named_with_file_and_line(tmp_path, change, expected):
    old, new = change
    assert old in GOOD_STAGE
    write(tmp_path, "a.toml", GOOD_STAGE.replace(old, new, 1))
    found = messages(tmp_path)
    assert any(expected in m for m in found), found
    assert all(m.startswith(f"{tmp_path / 'a.toml'}:") for m in found), found
    assert all(m.split(":")[1].isdigit() for m in found), found


def test_duplicate_ids_across_files_name_both_files(tmp_path):
    write(tmp_path, "a.toml", GOOD_STAGE)
    write(
        tmp_path,
        "b.toml",
        GOOD_STAGE.replace('id = "basics"', 'id = "more"').replace('id = "beta"', 'id = "gamma"'),
    )
    found = messages(tmp_path)
    assert any("duplicate topic id 'alpha'" in m and "a.toml" in m for m in found), found
    assert any("duplicate card id 'alpha-01'" in m for m in found), found


def test_prerequisite_cycle_prints_the_cycle(tmp_path):
    write(
        tmp_path,
        "a.toml",
        GOOD_STAGE.replace("hours = 5\n", 'hours = 5\nprerequisites = ["beta"]\n'),
    )
    found = messages(tmp_path)
    assert any("prerequisite cycle: alpha -> beta -> alpha" in m for m in found), found


def test_not_a_curriculum_file_and_empty_folder(tmp_path):
    write(tmp_path, "a.toml", "title = 'x'\n")
    assert any("not a curriculum file" in m for m in messages(tmp_path))
    empty = tmp_path / "empty"
    empty.mkdir()
    assert any("no .toml content files" in m for m in messages(empty))
    assert any("no such content folder" in m for m in messages(tmp_path / "missing"))


def test_not_utf8_is_reported(tmp_path):
    (tmp_path / "a.toml").write_bytes(b"\xff\xfe[stage]")
    assert any("not UTF-8" in m for m in messages(tmp_path))


def test_user_folder_adds_and_overrides_stages(tmp_path):
    bundled = load_curriculum().curriculum
    first = bundled.stages[0]
    write(
        tmp_path,
        "extra.toml",
        GOOD_STAGE.replace('id = "basics"', 'id = "my-extra"').replace("order = 10", "order = 999"),
    )
    override = (
        f'[stage]\nid = "{first.id}"\ntitle = "My own first stage"\norder = {first.order}\n'
        'summary = "Replaced."\n\n'
        + "\n".join(
            f'[[topics]]\nid = "{t.id}"\ntitle = "{t.title}"\nsummary = "s"\n'
            f'objectives = ["o"]\nhours = 1\n'
            for t in first.topics
        )
    )
    write(tmp_path, "override.toml", override)
    result = load_curriculum(tmp_path)
    assert result.user_problems == []
    stages = {s.id: s for s in result.curriculum.stages}
    assert stages[first.id].title == "My own first stage"
    assert result.curriculum.stages[-1].id == "my-extra"
    assert len(result.curriculum.stages) == len(bundled.stages) + 1


def test_broken_user_file_is_reported_and_bundled_still_loads(tmp_path):
    write(tmp_path, "broken.toml", "[stage\n")
    write(
        tmp_path,
        "clash.toml",
        GOOD_STAGE.replace('id = "basics"', 'id = "clash"').replace(
            'prerequisites = ["alpha"]', 'prerequisites = ["no-such-topic"]'
        ),
    )
    result = load_curriculum(tmp_path)
    bundled = load_curriculum().curriculum
    assert result.curriculum == bundled
    text = "\n".join(str(p) for p in result.user_problems)
    assert "broken.toml:1: invalid TOML" in text
    assert "no-such-topic" in text and "(file skipped)" in text


TOML_ATOMS = st.sampled_from(
    [
        "[stage]",
        "[[topics]]",
        "[[topics.resources]]",
        "[[topics.cards]]",
        "[track]",
        'id = "x"',
        'id = "x-1"',
        "id = 3",
        'title = "T"',
        "order = 1",
        'order = "1"',
        'summary = "s"',
        'objectives = ["a"]',
        "objectives = [1]",
        "hours = 2",
        "hours = -1",
        'prerequisites = ["x"]',
        "prerequisites = 5",
        'url = "https://a.org"',
        'url = "x"',
        'kind = "book"',
        'cost = "paid"',
        'front = "f"',
        'back = "b"',
        "tags = [[]]",
        "topics = 3",
        "stage = [1]",
        "resources = {}",
        "cards = []",
        "= =",
        '"',
        "[a.b]",
    ]
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=st.lists(TOML_ATOMS | st.text(max_size=20), max_size=25))
def test_junk_files_produce_messages_not_tracebacks(tmp_path, lines):
    path = tmp_path / "junk.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    parsed = parse_file(path)
    for problem in parsed.problems:
        assert problem.path == path and problem.message
    if parsed.stage is None and parsed.track is None:
        assert parsed.problems
    check_directory(tmp_path)  # must not raise
