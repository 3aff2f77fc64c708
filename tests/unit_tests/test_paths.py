"""Paths and elective groups: the format's validation, each bad case with its message, the
topics of a path for a choice of electives, and a user's folder adding a path."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mlplanner.curriculum import check_directory, load_curriculum

STAGES = """\
[stage]
id = "core"
title = "Core"
order = 10
summary = "s"

[[topics]]
id = "a"
title = "A"
summary = "s"
objectives = ["o"]
hours = 10

[[topics]]
id = "b"
title = "B"
summary = "s"
objectives = ["o"]
hours = 20
prerequisites = ["a"]

[[topics]]
id = "c"
title = "C"
summary = "s"
objectives = ["o"]
hours = 5
"""

EXTRA = """\
[stage]
id = "extra"
title = "Extra"
order = 20
summary = "s"

[[topics]]
id = "x"
title = "X"
summary = "s"
objectives = ["o"]
hours = 3
prerequisites = ["b"]

[[topics]]
id = "y"
title = "Y"
summary = "s"
objectives = ["o"]
hours = 4

[[topics]]
id = "z"
title = "Z"
summary = "s"
objectives = ["o"]
hours = 6
"""

GROUP = """\
[[electives]]
id = "pick"
title = "Pick one"
topics = ["x", "y", "z"]
min = 1
max = 1
"""

GOOD_PATH = """\
[[paths]]
id = "main"
title = "Main"
summary = "s"
default = true
stages = ["core", "extra"]
electives = { pick = ["y"] }
"""


def folder(tmp_path: Path, paths_text: str) -> Path:
    (tmp_path / "stages").mkdir(parents=True, exist_ok=True)
    (tmp_path / "stages" / "core.toml").write_text(STAGES)
    (tmp_path / "stages" / "extra.toml").write_text(EXTRA)
    (tmp_path / "paths.toml").write_text(textwrap.dedent(paths_text))
    return tmp_path


def test_a_good_paths_file_loads(tmp_path):
    curriculum, problems = check_directory(folder(tmp_path, GROUP + GOOD_PATH))
    assert problems == []
    path = curriculum.find_path("main")
    assert curriculum.default_path == path
    group = curriculum.find_group("pick")
    assert (group.min_picks, group.max_picks) == (1, 1)
    # elective topics are on a path only when picked
    assert curriculum.compulsory_topics(path) == ("a", "b", "c")
    assert curriculum.path_topic_ids(path) == {"a", "b", "c", "y"}
    assert curriculum.path_topic_ids(path, {"pick": ["z"]}) == {"a", "b", "c", "z"}
    assert curriculum.path_hours(path) == 39
    assert curriculum.offered(path, group) == ("x", "y", "z")


BAD_CASES = [
    pytest.param(
        GROUP + GOOD_PATH.replace('stages = ["core", "extra"]', 'stages = ["core", "nope"]'),
        "path 'main': unknown stage 'nope'",
        id="unknown-stage",
    ),
    pytest.param(
        GROUP + GOOD_PATH + 'topics = ["ghost"]\n',
        "path 'main': unknown topic 'ghost' in 'topics'",
        id="unknown-topic",
    ),
    pytest.param(
        GROUP + GOOD_PATH + 'assumed = ["ghost"]\n',
        "path 'main': unknown topic 'ghost' in 'assumed'",
        id="unknown-assumed",
    ),
    pytest.param(
        GROUP + GOOD_PATH.replace("{ pick = ", "{ other = "),
        "path 'main': unknown elective group 'other'",
        id="unknown-group",
    ),
    pytest.param(
        GROUP.replace('"x", "y", "z"', '"x", "y", "ghost"') + GOOD_PATH,
        "elective group 'pick': unknown topic 'ghost'",
        id="group-unknown-topic",
    ),
    pytest.param(
        GROUP.replace("min = 1\nmax = 1", "min = 4\nmax = 5") + GOOD_PATH,
        "elective group 'pick': asks for at least 4 picks but has only 3 topics",
        id="group-asks-too-much",
    ),
    pytest.param(
        GROUP.replace("min = 1\nmax = 1", "min = 2\nmax = 1") + GOOD_PATH,
        "elective group 'pick': min 2 is greater than max 1",
        id="min-over-max",
    ),
    pytest.param(
        GROUP + GOOD_PATH.replace('pick = ["y"]', 'pick = ["a"]'),
        "path 'main': default pick 'a' is not in elective group 'pick'",
        id="default-outside-group",
    ),
    pytest.param(
        GROUP + GOOD_PATH.replace('pick = ["y"]', 'pick = ["y", "z"]'),
        "path 'main': 2 default picks for 'pick', which takes exactly 1",
        id="too-many-defaults",
    ),
    pytest.param(
        GROUP + GOOD_PATH.replace('pick = ["y"]', "pick = []"),
        "path 'main': 0 default picks for 'pick', which takes exactly 1",
        id="too-few-defaults",
    ),
    pytest.param(
        GROUP + GOOD_PATH.replace("default = true\n", ""),
        "no default path: set default = true on exactly one path",
        id="no-default",
    ),
    pytest.param(
        GROUP + GOOD_PATH + "\n" + GOOD_PATH.replace('id = "main"', 'id = "second"'),
        "several default paths: main, second",
        id="several-defaults",
    ),
    pytest.param(
        GROUP + GOOD_PATH.replace('stages = ["core", "extra"]', 'topics = ["b"]'),
        "path 'main': topic 'b' needs 'a', which is not on the path",
        id="prerequisite-off-path",
    ),
    pytest.param(
        # x needs b: fine with b on the path, but a path without b must not offer x,
        # although its default pick (y) is fine
        GROUP + GOOD_PATH.replace('stages = ["core", "extra"]', 'topics = ["a", "c"]'),
        "path 'main': picking 'x' from 'pick' needs 'b', which is not on the path",
        id="a-single-pick-off-path",
    ),
    pytest.param(
        GROUP
        + GOOD_PATH.replace('stages = ["core", "extra"]', 'topics = ["a", "c"]')
        + 'exclude = ["y", "z"]\n',
        "path 'main': default pick 'y' of 'pick' is not offered on this path",
        id="default-excluded",
    ),
    pytest.param(
        GROUP + GOOD_PATH + "\n" + GOOD_PATH.replace("default = true\n", ""),
        "duplicate path id 'main'",
        id="duplicate-path",
    ),
    pytest.param(
        GROUP + GOOD_PATH.replace('title = "Main"\n', ""),
        "path 'main': missing field 'title'",
        id="missing-field",
    ),
    pytest.param(
        GROUP + GOOD_PATH.replace("default = true", 'default = "yes"'),
        "path 'main': field 'default' must be true or false",
        id="default-not-bool",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD_CASES)
def test_each_bad_path_or_group_is_reported_with_file_and_line(tmp_path, text, message):
    curriculum, problems = check_directory(folder(tmp_path, text))
    assert curriculum is None
    rendered = [str(p) for p in problems]
    assert any(message in line for line in rendered), rendered
    assert all(line.startswith(str(tmp_path / "paths.toml") + ":") for line in rendered), rendered
    assert all(p.line for p in problems), rendered


def test_assumed_makes_an_off_path_prerequisite_known(tmp_path):
    text = GROUP + GOOD_PATH.replace(
        'stages = ["core", "extra"]', 'topics = ["b", "c"]\nassumed = ["a"]'
    ).replace('pick = ["y"]', 'pick = ["y"]')
    curriculum, problems = check_directory(folder(tmp_path, text))
    assert problems == []
    assert curriculum.path_topic_ids(curriculum.find_path("main"), {"pick": ["x"]}) == {
        "b",
        "c",
        "x",
    }


def test_check_command_exits_1_on_a_bad_path(tmp_path, capsys):
    from mlplanner.cli import main

    target = folder(tmp_path, GROUP + GOOD_PATH.replace('"extra"]', '"nope"]'))
    assert main(["check", str(target)]) == 1
    out = capsys.readouterr().out
    assert f"{target / 'paths.toml'}:" in out and "unknown stage 'nope'" in out


USER_PATH = """\
[[paths]]
id = "my-path"
title = "My path"
summary = "Python and a project."
stages = ["foundations"]
exclude = ["other-languages"]
"""


def test_a_user_folder_adds_a_path_and_a_broken_one_is_skipped(tmp_path):
    (tmp_path / "paths.toml").write_text(USER_PATH)
    (tmp_path / "broken.toml").write_text(
        USER_PATH.replace("my-path", "bad-path") + 'topics = ["ghost"]\n'
    )
    loaded = load_curriculum(tmp_path)
    curriculum = loaded.curriculum
    assert curriculum.find_path("my-path") is not None
    assert curriculum.find_path("bad-path") is None
    assert curriculum.default_path.id == "ml-engineer"
    assert any(
        "unknown topic 'ghost'" in str(p) and "(file skipped)" in str(p)
        for p in loaded.user_problems
    )


def test_the_example_in_the_format_documentation_loads(tmp_path):
    from mlplanner.curriculum import bundled_content_dir

    text = (bundled_content_dir() / "README.md").read_text()
    block = text.split("```toml\n# paths.toml in your own folder")[1].split("```")[0]
    (tmp_path / "paths.toml").write_text("#" + block)
    loaded = load_curriculum(tmp_path)
    assert loaded.user_problems == []
    curriculum = loaded.curriculum
    path = curriculum.find_path("data-to-ml")
    assert "python-basics" not in curriculum.path_topic_ids(path)
    assert "ml-finance" in curriculum.path_topic_ids(path)
