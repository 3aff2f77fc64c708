"""Topic ids where a learner can find them: `mlplanner topics`, titles and prefixes."""

from __future__ import annotations

import json

import pytest

from mlplanner.cli import main
from mlplanner.curriculum import load_curriculum
from mlplanner.services.topics import UnknownTopic, resolve_topic, suggest


@pytest.fixture(scope="module")
def curriculum():
    return load_curriculum().curriculum


def test_topics_lists_ids_titles_and_status(tmp_path, capsys):
    db = str(tmp_path / "t.db")
    assert main(["log", "30m", "--topic", "linear-algebra", "--db", db]) == 0
    capsys.readouterr()
    assert main(["topics", "linear", "--db", db]) == 0
    assert capsys.readouterr().out.strip() == "◐ linear-algebra  Linear algebra"
    assert main(["topics", "--json", "--db", db]) == 0
    listed = json.loads(capsys.readouterr().out)["topics"]
    assert len(listed) == len(load_curriculum().curriculum.topics)
    first = next(t for t in listed if t["id"] == "linear-algebra")
    assert first["status"] == "in_progress" and first["on_path"] is True
    assert main(["topics", "no-such-words-anywhere", "--db", db]) == 1


def test_a_unique_title_prefix_names_a_topic(curriculum):
    assert resolve_topic(curriculum, "Linear alg") == "linear-algebra"
    with pytest.raises(UnknownTopic) as several:
        resolve_topic(curriculum, "Data")  # more than one title begins so
    assert len(several.value.suggestions) > 1


def test_suggestions_rank_by_title_words_as_well_as_spelling(curriculum):
    assert "linear-algebra" in suggest(curriculum, "algebra linear")
    assert suggest(curriculum, "pandsa")[0] == "pandas"
