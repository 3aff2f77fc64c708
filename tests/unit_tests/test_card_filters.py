"""The card browser's search line and sorts: parsing, topics by title, is:buried, order."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mlplanner.curriculum.loader import load_curriculum
from mlplanner.errors import BadInput
from mlplanner.services import cards, content_sync, reviews
from mlplanner.services.card_filters import (
    SORTS,
    CardQuery,
    UnknownState,
    parse_query,
    topic_ids,
)
from mlplanner.services.topics import UnknownTopic
from mlplanner.store import unit_of_work
from mlplanner.store.models import CardRecord

from .test_reviews import config, curriculum, make_review_card


@pytest.fixture
def setup(engine, clock):
    """Topics a to d, four cards each (a-0 … d-3), all new."""
    with unit_of_work(engine) as s:
        content_sync.sync_content(s, curriculum(), clock)


@pytest.fixture(scope="module")
def bundled():
    return load_curriculum().curriculum


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("", CardQuery()),
        ("gradient descent", CardQuery(text="gradient descent")),
        ("is:review", CardQuery(state="review")),
        ("IS:Buried", CardQuery(state="buried")),
        ("is:buried gradient", CardQuery(text="gradient", state="buried")),
        ("topic:linear-algebra", CardQuery(topic="linear-algebra")),
        ('topic:"Linear alg"', CardQuery(topic="Linear alg", topic_quoted=True)),
        ('topic:"Linear   alg" x', CardQuery(text="x", topic="Linear alg", topic_quoted=True)),
        # the closing quote not typed yet
        ('topic:"Linear al', CardQuery(topic="Linear al", topic_quoted=True)),
        ("tag:leech is:suspended", CardQuery(tag="leech", state="suspended")),
        ('"two words" tag:opt', CardQuery(text="two words", tag="opt")),
        # not filters: searched for as text
        ("topic: x", CardQuery(text="topic: x")),
        ('topic:"" x', CardQuery(text='topic:"" x')),
        ("http://example.org", CardQuery(text="http://example.org")),
        ("a:b", CardQuery(text="a:b")),
        # the last term of a kind counts
        ("is:new is:review", CardQuery(state="review")),
    ],
)
def test_parse_query(line, expected):
    assert parse_query(line) == expected


def test_a_quoted_title_names_one_topic_like_topic_option(bundled):
    assert topic_ids(bundled, parse_query('topic:"Linear alg"')) == ["linear-algebra"]
    assert topic_ids(bundled, parse_query('topic:"linear algebra"')) == ["linear-algebra"]
    assert topic_ids(bundled, parse_query('topic:"linear-algebra"')) == ["linear-algebra"]
    assert topic_ids(bundled, parse_query("gradient")) is None


def test_a_quoted_title_naming_several_topics_lists_them(bundled):
    with pytest.raises(UnknownTopic) as several:
        topic_ids(bundled, parse_query('topic:"Data"'))
    titles = [t.id for t in bundled.topics if t.title.lower().startswith("data")]
    assert len(titles) > 1
    assert str(several.value).startswith("'Data' begins the titles of ")
    assert all(topic_id in str(several.value) for topic_id in several.value.suggestions)
    assert set(several.value.suggestions) <= set(titles)
    with pytest.raises(UnknownTopic, match="no topic 'linear algebar'.*linear-algebra"):
        topic_ids(bundled, parse_query('topic:"linear algebar"'))


def test_a_bare_topic_word_is_an_id_or_any_topic_holding_it(bundled):
    assert topic_ids(bundled, parse_query("topic:pandas")) == ["pandas"]
    several = topic_ids(bundled, parse_query("topic:learning"))
    assert {"supervised-learning", "reinforcement-learning"} <= set(several)
    assert topic_ids(bundled, parse_query("topic:no-such-thing")) == []


def test_is_buried_finds_cards_buried_now(engine, clock, setup):
    sched = config().scheduler()
    with unit_of_work(engine) as s:
        reviews.bury(s, "a-1", clock(), config())
        make_review_card(s, "b-0", clock() + timedelta(days=1))
        s.get(CardRecord, "b-0").buried_until = clock() - timedelta(hours=1)  # over
    with unit_of_work(engine) as s:
        rows, total = cards.search(s, clock(), sched, state="buried")
        assert [r.id for r in rows] == ["a-1"] and total == 1 and rows[0].buried
        everything, _ = cards.search(s, clock(), sched)
        assert {r.id for r in everything if r.buried} == {"a-1"}
        # the day after, it is back
        assert cards.search(s, clock() + timedelta(days=2), sched, state="buried")[1] == 0


def test_an_unknown_state_names_the_states(engine, clock, setup):
    with unit_of_work(engine) as s, pytest.raises(UnknownState) as problem:
        cards.search(s, clock(), config().scheduler(), state="bured")
    assert isinstance(problem.value, BadInput)
    assert "buried" in str(problem.value) and "suspended" in str(problem.value)


def reviewed(s, clock, card_id: str, days_ago: int, stability: float, due_in: int = 1) -> None:
    make_review_card(s, card_id, clock() + timedelta(days=due_in))
    card = s.get(CardRecord, card_id)
    card.last_review, card.stability = clock() - timedelta(days=days_ago), stability


def test_every_sort_is_stable_and_both_ways(engine, clock, setup):
    sched = config().scheduler()
    with unit_of_work(engine) as s:
        # days since the last review against stability: 2.0 (recall lowest), 0.1, 0.5
        reviewed(s, clock, "a-0", 10, 5.0, due_in=1)
        reviewed(s, clock, "b-2", 3, 30.0, due_in=2)
        reviewed(s, clock, "c-1", 6, 12.0, due_in=3)
        reviews.suspend(s, "d-3", clock())
        # the others read "a front 0" … "d front 3"; a Markdown mark before the text is passed over
        s.get(CardRecord, "c-3").front = "`zzz` comes last"
    with unit_of_work(engine) as s:
        default = [r.id for r in cards.search(s, clock(), sched)[0]]
        by = {
            (sort, down): [
                r.id for r in cards.search(s, clock(), sched, sort=sort, descending=down)[0]
            ]
            for sort in SORTS
            for down in (False, True)
        }
    # soonest due first, never-seen cards last in topic and content order
    assert default == by["due", False]
    assert default[:3] == ["a-0", "b-2", "c-1"] and default[3:] == [
        i for i in (f"{t}-{n}" for t in "abcd" for n in range(4)) if i not in default[:3]
    ]
    assert by["due", True][:3] == ["c-1", "b-2", "a-0"] and by["due", True][3:] == default[3:]
    assert by["recall", False][:3] == ["a-0", "c-1", "b-2"]
    assert by["recall", True][:3] == ["b-2", "c-1", "a-0"]
    assert by["recall", True][3:] == by["recall", False][3:] == default[3:]
    assert by["front", False][-1] == "c-3" and by["front", True][0] == "c-3"
    in_text_order = [f"{t}-{n}" for t in "abcd" for n in range(4)]  # "a front 0" …
    assert by["front", False][:-1] == [i for i in in_text_order if i != "c-3"]
    assert by["back", False] == by["back", True] == default  # every back reads "back"
    # ties (the same front, topic or state) keep the default order, whichever way
    assert by["topic", False] == sorted(default, key=lambda i: i[0])
    assert by["topic", True] == sorted(default, key=lambda i: i[0], reverse=True)
    states = {"a-0": 3, "b-2": 3, "c-1": 3, "d-3": 5}  # review; suspended; the rest new
    assert by["state", False] == sorted(default, key=lambda i: states.get(i, 0))
    assert by["state", True] == sorted(default, key=lambda i: states.get(i, 0), reverse=True)


def test_a_search_caps_the_rows_not_the_count(engine, clock, setup):
    sched = config().scheduler()
    with unit_of_work(engine) as s:
        reviewed(s, clock, "d-1", 40, 2.0)
        rows, total = cards.search(s, clock(), sched, sort="recall", limit=3)
    assert total == 16 and [r.id for r in rows][:1] == ["d-1"] and len(rows) == 3


def test_an_unknown_sort_is_refused(engine, clock, setup):
    with unit_of_work(engine) as s, pytest.raises(BadInput, match="cannot sort by"):
        cards.search(s, clock(), config().scheduler(), sort="colour")
