"""The intervals on the grade buttons never cross: Again ≤ Hard ≤ Good ≤ Easy, fuzz or not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from mlplanner.services.reviews import GRADES, preview, scheduler
from mlplanner.vocabulary import CardState

NOW = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)


@dataclass
class Card:
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime | None
    last_review: datetime | None


cards = st.builds(
    lambda state, step, stability, difficulty, days_ago: Card(
        state,
        step if state in (CardState.LEARNING, CardState.RELEARNING) else None,
        stability,
        difficulty,
        NOW - timedelta(days=days_ago / 2),
        NOW - timedelta(days=days_ago),
    ),
    st.sampled_from([CardState.LEARNING, CardState.REVIEW, CardState.RELEARNING]),
    st.integers(0, 1),
    st.floats(0.05, 3650),
    st.floats(1, 10),
    st.floats(0, 2000),
)


@settings(max_examples=400, deadline=None)
@given(card=cards, retention=st.floats(0.7, 0.99), seed=st.integers(0, 2**32 - 1))
def test_better_grades_never_come_back_sooner(card, retention, seed):
    import random

    random.seed(seed)  # fsrs draws its fuzz from the random module
    outcomes = preview(card, NOW, scheduler(retention, fuzz=True))
    dues = [outcomes[grade].due for grade in GRADES]
    assert dues == sorted(dues), [d - NOW for d in dues]
