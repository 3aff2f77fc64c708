"""`mlplanner path`: show, list, choose, elect and unelect, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

from mlplanner.cli import main


@pytest.fixture
def db(database):
    return database


def run(db, *argv):
    return main([*argv, "--db", db])


def test_path_list_shows_each_path_with_its_hours(db, capsys):
    assert run(db, "path", "--list") == 0
    out = capsys.readouterr().out
    for path_id in ("ml-engineer", "mlops-engineer", "llm-engineer", "everything"):
        assert path_id in out
    assert "* ml-engineer" in out and "(default)" in out
    assert run(db, "path", "--list", "--json") == 0
    listed = {p["id"]: p for p in json.loads(capsys.readouterr().out)["paths"]}
    assert listed["everything"]["topics"] == 85
    assert all(
        listed[p]["hours"] <= 1500 for p in ("ml-engineer", "mlops-engineer", "llm-engineer")
    )
    assert listed["ml-engineer"]["default"] is True


def test_path_shows_the_default_until_one_is_chosen(db, capsys):
    assert run(db, "path") == 0
    out = capsys.readouterr().out
    assert "Path: ML engineer (ml-engineer)" in out and "Not chosen yet" in out
    assert run(db, "path", "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["path"] == "ml-engineer" and shown["chosen"] is False
    assert shown["electives"]["specialisation"]["picked"] == ["nlp"]
    assert shown["remaining_hours"] == shown["hours"]


def test_choose_elect_and_unelect(db, capsys):
    assert run(db, "path", "choose", "llm-engineer") == 0
    assert "LLM engineer" in capsys.readouterr().out
    assert run(db, "path", "elect", "specialisation", "ml-finance") == 0
    assert run(db, "path", "elect", "certification", "cert-aws-ml") == 0
    capsys.readouterr()
    assert run(db, "path", "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["path"] == "llm-engineer" and shown["chosen"] is True
    assert shown["electives"]["specialisation"]["picked"] == ["ml-finance"]
    assert shown["electives"]["certification"]["picked"] == ["cert-aws-ml"]
    assert run(db, "path", "unelect", "certification", "cert-aws-ml") == 0
    capsys.readouterr()
    assert run(db, "path", "--json") == 0
    assert json.loads(capsys.readouterr().out)["electives"]["certification"]["picked"] == []
    # choosing a path again starts from its default picks
    assert run(db, "path", "choose", "mlops-engineer") == 0
    capsys.readouterr()
    assert run(db, "path", "--json") == 0
    assert json.loads(capsys.readouterr().out)["electives"]["specialisation"]["picked"] == [
        "ml-finance"
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["path", "choose", "llm-enginer"], "no path 'llm-enginer'; did you mean 'llm-engineer'"),
        (["path", "elect", "specialisatio", "nlp"], "did you mean 'specialisation'"),
        (["path", "elect", "specialisation", "nlpp"], "did you mean 'nlp'"),
        (["path", "elect", "specialisation", "climate-ml"], "'climate-ml' is not offered"),
        (["path", "unelect", "specialisation", "nlp"], "takes exactly 1 pick, not 0"),
        (["path", "unelect", "certification", "cert-aws-ml"], "is not picked"),
    ],
)
def test_unknown_ids_exit_2_with_the_closest_ids(db, argv, message, capsys):
    assert run(db, *argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_group_of_several_picks_refuses_one_too_many(tmp_path, capsys):
    # the bundled groups take one pick at most; a user group of two shows the rule
    (tmp_path / "paths.toml").write_text(
        """\
[[electives]]
id = "two"
title = "Two at most"
topics = ["kaggle", "open-source", "technical-writing"]
min = 0
max = 2

[[paths]]
id = "mine"
title = "Mine"
summary = "Foundations and two electives."
topics = [
  "python-basics", "git-github", "software-engineering", "numpy", "pandas",
  "data-visualization", "sql-databases", "probability", "statistics-inference",
  "calculus-optimization", "ml-fundamentals", "supervised-learning", "model-evaluation",
  "scikit-learn", "first-ml-projects",
]
electives = { two = [] }
"""
    )
    db = str(tmp_path / "p.db")
    common = ["--db", db, "--content", str(tmp_path)]
    assert main(["path", "choose", "mine", *common]) == 0
    assert main(["path", "elect", "two", "kaggle", *common]) == 0
    assert main(["path", "elect", "two", "open-source", *common]) == 0
    capsys.readouterr()
    assert main(["path", "elect", "two", "technical-writing", *common]) == 2
    assert "takes at most 2 picks" in capsys.readouterr().err
    assert main(["path", "--json", *common]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["electives"]["two"]["picked"] == ["kaggle", "open-source"]
    assert shown["topics"] == 17
