from __future__ import annotations

from sqlalchemy import event, func
from sqlmodel import select

from mlplanner.curriculum import Card as ContentCard
from mlplanner.curriculum import Curriculum, Stage, Topic, Track
from mlplanner.services.content_sync import sync_content
from mlplanner.store import unit_of_work
from mlplanner.store.models import CARD_REVIEW, CardRecord, ReviewLog


def curriculum(*cards: ContentCard) -> Curriculum:
    topic = Topic("t", "s", "T", "summary", ("o",), 1.0, cards=tuple(cards))
    return Curriculum(Track("k", "K", "s"), (Stage("s", "S", 1, "s", (topic,)),))


A = ContentCard("t-01", "t", "Front A", "Back A", ("x",))
B = ContentCard("t-02", "t", "Front B", "Back B")


def stored(engine) -> dict[str, CardRecord]:
    with unit_of_work(engine) as session:
        return {c.id: c for c in session.exec(select(CardRecord)).all()}


def test_first_sync_adds_cards_as_new(engine, clock):
    with unit_of_work(engine) as session:
        report = sync_content(session, curriculum(A, B), clock)
    assert (report.added, report.updated, report.removed) == (2, 0, 0)
    cards = stored(engine)
    assert cards["t-01"].front == "Front A" and cards["t-01"].tags == "x"
    assert cards["t-01"].state == 0 and cards["t-01"].due is None


def test_second_sync_is_a_no_op_that_reads_one_row(engine, clock):
    with unit_of_work(engine) as session:
        sync_content(session, curriculum(A, B), clock)
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with unit_of_work(engine) as session:
        report = sync_content(session, curriculum(A, B), clock)
    assert report.unchanged
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
    assert not [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]


def test_changed_wording_keeps_schedule_and_history(engine, clock):
    with unit_of_work(engine) as session:
        sync_content(session, curriculum(A, B), clock)
        card = session.get(CardRecord, "t-01")
        card.state, card.stability, card.due = CARD_REVIEW, 12.0, clock()
        session.add(card)
        session.add(ReviewLog(card_id="t-01", rating=3, reviewed_at=clock(), state_before="{}"))
    with unit_of_work(engine) as session:
        report = sync_content(session, curriculum(A._replace(back="A better back"), B), clock)
    assert report.updated == 1
    card = stored(engine)["t-01"]
    assert card.back == "A better back" and card.state == CARD_REVIEW and card.stability == 12.0
    with unit_of_work(engine) as session:
        assert session.exec(select(func.count()).select_from(ReviewLog)).one() == 1


def test_removed_card_keeps_history_and_comes_back(engine, clock):
    with unit_of_work(engine) as session:
        sync_content(session, curriculum(A, B), clock)
        session.add(ReviewLog(card_id="t-02", rating=1, reviewed_at=clock(), state_before="{}"))
    with unit_of_work(engine) as session:
        assert sync_content(session, curriculum(A), clock).removed == 1
    assert stored(engine)["t-02"].removed
    with unit_of_work(engine) as session:
        assert session.exec(select(func.count()).select_from(ReviewLog)).one() == 1
        assert sync_content(session, curriculum(A, B), clock).restored == 1
    assert not stored(engine)["t-02"].removed


def test_user_cards_are_left_alone(engine, clock):
    with unit_of_work(engine) as session:
        session.add(
            CardRecord(
                id="user-1",
                topic_id="t",
                front="Mine",
                back="Mine too",
                origin="user",
                created_at=clock(),
                updated_at=clock(),
            )
        )
    with unit_of_work(engine) as session:
        report = sync_content(session, curriculum(A), clock)
    assert report.removed == 0 and not stored(engine)["user-1"].removed
