from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from mlplanner.services import card_import, cards, content_sync, review_stats, reviews
from mlplanner.services.days import StudyCalendar
from mlplanner.services.reviews import AGAIN, GOOD
from mlplanner.store import unit_of_work
from mlplanner.store.models import CardRecord, ReviewLog

from .test_reviews import BERLIN, config, curriculum, make_review_card

ANKI = """#separator:tab
#html:true
#columns:Front\tBack\tTags
#tags column:3
What is <b>overfitting</b>?\tFitting noise:<br>good on training data, poor on new data\tml basics
Bias-variance?\tA trade-off between two error sources\t
\tno front here\tml
What does <code>np.mean</code> do?\tAverages &amp; returns\tnumpy
"""


def units(engine):
    return lambda: unit_of_work(engine)


@pytest.fixture
def setup(engine, clock):
    cur = curriculum()
    with unit_of_work(engine) as s:
        content_sync.sync_content(s, cur, clock)
    return cur


def test_anki_text_export_with_headers_bad_rows_and_reimport(engine, clock, setup, tmp_path):
    path = tmp_path / "deck.txt"
    path.write_text(ANKI, encoding="utf-8")
    report = card_import.import_cards(units(engine), setup, path, clock(), topic_id="b")
    assert report.added == 3 and report.already_there == 0
    assert report.problems == [(7, "the front is empty (a card needs a front and a back)")]
    with unit_of_work(engine) as s:
        mine = s.exec(
            select(CardRecord).where(CardRecord.origin == "user").order_by(CardRecord.position)
        ).all()
        assert [c.front for c in mine] == [
            "What is **overfitting**?",
            "Bias-variance?",
            "What does `np.mean` do?",
        ]
        # <br> is a hard line break in Markdown: a backslash at the end of the line.
        assert mine[0].back == "Fitting noise:\\\ngood on training data, poor on new data"
        assert mine[0].tags == "ml basics" and mine[2].back == "Averages & returns"
        assert {c.topic_id for c in mine} == {"b"}
        # after the topic's content cards, in file order
        assert [c.position for c in mine] == [4, 5, 6]
    again = card_import.import_cards(units(engine), setup, path, clock(), topic_id="b")
    assert again.added == 0 and again.already_there == 3


def test_csv_with_a_topic_column_and_unknown_topics(engine, clock, setup, tmp_path):
    path = tmp_path / "cards.csv"
    path.write_text(
        'front,back,topic\n"Q, with comma",A,c\nQ2,A2,no-such-topic\nQ3,A3,\n', encoding="utf-8"
    )
    report = card_import.import_cards(units(engine), setup, path, clock())
    assert report.added == 1
    assert [line for line, _ in report.problems] == [3, 4]
    assert "no topic 'no-such-topic'" in report.problems[0][1]
    assert "--topic" in report.problems[1][1]
    with unit_of_work(engine) as s:
        card = s.exec(select(CardRecord).where(CardRecord.origin == "user")).one()
    assert (card.front, card.topic_id) == ("Q, with comma", "c")


def test_unreadable_file_and_unknown_topic_are_refused_whole(engine, clock, setup, tmp_path):
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(card_import.CardImportError, match="UTF-8"):
        card_import.import_cards(units(engine), setup, binary, clock(), topic_id="a")
    with pytest.raises(card_import.CardImportError, match="No such"):
        card_import.import_cards(
            units(engine), setup, tmp_path / "missing.txt", clock(), topic_id="a"
        )
    good = tmp_path / "good.tsv"
    good.write_text("front\tback\n", encoding="utf-8")
    with pytest.raises(card_import.CardImportError, match="no topic"):
        card_import.import_cards(units(engine), setup, good, clock(), topic_id="zz")


def test_user_cards_are_edited_content_cards_are_hidden(engine, clock, setup):
    with unit_of_work(engine) as s:
        card = cards.add_card(s, "a", "  Front  ", "Back", clock(), tags="x, y x")
        assert (card.front, card.tags, card.position) == ("Front", "x y", 4)
    with unit_of_work(engine) as s:
        cards.edit_card(s, card.id, "New front", "New back", "z", clock())
        with pytest.raises(cards.CardError, match="hide it"):
            cards.edit_card(s, "a-0", "x", "y", "", clock())
        with pytest.raises(cards.CardError, match="front is empty"):
            cards.add_card(s, "a", " ", "y", clock())
        cards.set_hidden(s, "a-0", True, clock())
    with unit_of_work(engine) as s:
        assert s.get(CardRecord, card.id).front == "New front"
        ids = [c.id for c in reviews.build_queue(s, setup, {}, clock(), config()).main]
    assert "a-0" not in ids and card.id in ids


def test_content_edit_keeps_history(engine, clock, setup):
    with unit_of_work(engine) as s:
        queue = reviews.build_queue(s, setup, {}, clock(), config(new_per_day=1))
        queue.answer(s, queue.next_card(clock()), GOOD, clock())
    cur = curriculum()
    topic = cur.topics[0]
    changed = topic.cards[0].__class__("a-0", "a", "Reworded front", "Reworded back")
    cur_changed = type(cur)(
        cur.track,
        (
            type(cur.stages[0])(
                "s1",
                "One",
                1,
                "s",
                (topic._replace(cards=(changed, *topic.cards[1:])),) + cur.stages[0].topics[1:],
            ),
            *cur.stages[1:],
        ),
    )
    with unit_of_work(engine) as s:
        content_sync.sync_content(s, cur_changed, clock)
    with unit_of_work(engine) as s:
        card = s.get(CardRecord, "a-0")
        assert card.front == "Reworded front" and card.reps == 1
        assert len(s.exec(select(ReviewLog).where(ReviewLog.card_id == "a-0")).all()) == 1


def test_search_filters_and_reset(engine, clock, setup):
    sched = config().scheduler()
    with unit_of_work(engine) as s:
        make_review_card(s, "c-1", clock() + timedelta(days=1))
        cards.add_card(s, "d", "Gradient descent step", "w -= lr * grad", clock(), tags="opt")
    with unit_of_work(engine) as s:
        rows, total = cards.search(s, clock(), sched, text="gradient")
        assert total == 1 and rows[0].topic_id == "d" and rows[0].state == "new"
        rows, total = cards.search(s, clock(), sched, state="review")
        assert [r.id for r in rows] == ["c-1"] and 0 < rows[0].retrievability < 1
        assert cards.search(s, clock(), sched, tag="opt")[1] == 1
        assert cards.search(s, clock(), sched, topic_ids=["a"])[1] == 4
        reviews.suspend(s, "a-2", clock())
        assert [r.id for r in cards.search(s, clock(), sched, state="suspended")[0]] == ["a-2"]
        cards.reset(s, "c-1", clock())
    with unit_of_work(engine) as s:
        card = s.get(CardRecord, "c-1")
        assert card.state == 0 and card.due is None


def test_review_statistics(engine, clock, setup):
    cfg = config(new_per_day=0)
    now = clock()
    with unit_of_work(engine) as s:
        make_review_card(s, "a-0", now - timedelta(days=3))  # overdue: counts today
        make_review_card(s, "a-1", now + timedelta(days=2))
        make_review_card(s, "c-0", now - timedelta(hours=1))
        make_review_card(s, "c-1", now - timedelta(hours=1))
    with unit_of_work(engine) as s:
        queue = reviews.build_queue(s, setup, {}, now, cfg, scope=["c"])
        queue.answer(s, queue.next_card(now), AGAIN, now, duration_ms=2000)  # c-0 fails
        later = now + timedelta(minutes=1)
        queue.answer(s, queue.next_card(later), GOOD, later, duration_ms=3000)
        reviews.suspend(s, "d-3", now)
        figures = review_stats.review_stats(s, setup, later, StudyCalendar(BERLIN))
    today = date(2026, 3, 11)
    assert figures.today == today and len(figures.forecast) == 30
    assert figures.forecast[2] == 1  # a-1
    assert figures.forecast[0] >= 2  # a-0 overdue, c-0 relearning again today
    assert figures.per_day == {today: 2} and figures.reviews_today == 2
    assert figures.time_today_ms == 5000
    assert (figures.passed, figures.failed) == (1, 1) and figures.retention == 0.5
    one, two = figures.stages
    assert two.retention == 0.5 and one.retention is None
    assert (two.suspended, one.review) == (1, 2)
    assert figures.cards("new") == 16 - 4 - 1
    data = figures.to_json()
    assert data["true_retention"] == 0.5 and data["cards"]["suspended"] == 1
    assert data["forecast"][2] == {"day": "2026-03-13", "due": 1}


def test_import_rows_have_stable_ids():
    assert card_import.card_id("a", "f", "b") == card_import.card_id("a", "f", "b")
    assert card_import.card_id("a", "f", "b") != card_import.card_id("b", "f", "b")


def test_anki_export_with_guid_notetype_and_deck_columns():
    text = (
        "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n"
        "#tags column:6\n"
        "f%Gx1\tBasic\tML::Maths\tWhat is a <i>gradient</i>?\tThe vector of partials\tmaths calc\n"
    )
    rows, problems = card_import.parse(text)
    assert problems == []
    assert rows == [
        (
            7,
            {
                "front": "What is a *gradient*?",
                "back": "The vector of partials",
                "tags": "maths calc",
                "topic": "",
                "deck": "ML::Maths",
            },
        )
    ]


def test_unknown_separator_is_reported_on_its_line():
    rows, problems = card_import.parse("#separator:weird\nQ\tA\n")
    assert problems == [(1, "unknown separator 'weird'")]
    assert rows == [(2, {"front": "Q", "back": "A", "tags": "", "topic": "", "deck": ""})]


def test_a_card_starting_with_a_hash_is_not_a_header():
    rows, problems = card_import.parse("#tags:ml\n#1: the first rule?\tNever trust the data\n")
    assert problems == []
    assert rows == [
        (
            2,
            {
                "front": "#1: the first rule?",
                "back": "Never trust the data",
                "tags": "ml",
                "topic": "",
                "deck": "",
            },
        )
    ]
