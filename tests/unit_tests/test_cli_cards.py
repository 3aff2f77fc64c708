from __future__ import annotations

import json

import pytest

from mlplanner.cli import main
from mlplanner.curriculum import load_curriculum


@pytest.fixture
def db(database):
    return database


@pytest.fixture
def topic():
    return load_curriculum().curriculum.topics[0]


def test_import_cards_reports_bad_rows_and_adds_nothing_twice(db, topic, tmp_path, capsys):
    deck = tmp_path / "deck.txt"
    deck.write_text(
        "#separator:tab\n#html:false\nFront one\tBack one\nNo back here\t\nFront two\tBack two\n",
        encoding="utf-8",
    )
    assert main(["import", "cards", str(deck), "--topic", topic.id, "--db", db]) == 1
    captured = capsys.readouterr()
    assert f"{deck}: added 2 card(s), 1 row(s) skipped" in captured.out
    assert f"{deck}:4: the back is empty" in captured.err
    assert main(["import", "cards", str(deck), "--topic", topic.id, "--db", db]) == 1
    assert "added 0 card(s), 2 already there" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--topic", "no-such-topic"], "no topic 'no-such-topic'"),
        (["--topic", "__FILE_MISSING__"], "No such file"),
    ],
)
def test_import_cards_refuses_what_it_cannot_read(db, tmp_path, capsys, args, message):
    path = tmp_path / "deck.csv"
    if "__FILE_MISSING__" in args:
        args = ["--topic", load_curriculum().curriculum.topics[0].id]
    else:
        path.write_text("a,b\n", encoding="utf-8")
    assert main(["import", "cards", str(path), *args, "--db", db]) == 2
    assert message in capsys.readouterr().err


def test_stats_json_includes_the_review_figures(db, capsys):
    assert main(["stats", "--json", "--db", db]) == 0
    data = json.loads(capsys.readouterr().out)
    reviews = data["reviews"]
    assert len(reviews["forecast"]) == 30 and reviews["total_reviews"] == 0
    assert reviews["cards"]["new"] == sum(len(t.cards) for t in load_curriculum().curriculum.topics)
    assert reviews["true_retention"] is None


def test_review_refuses_an_unknown_stage_or_topic(db, capsys):
    assert main(["review", "--stage", "nope", "--db", db]) == 2
    assert "no stage 'nope'" in capsys.readouterr().err
    assert main(["review", "--topic", "zzzz-unknown", "--db", db]) == 2
    assert "no topic" in capsys.readouterr().err
