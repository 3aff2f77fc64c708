"""SQLModel tables for what the learner does, keyed by the content's stable ids."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from ..vocabulary import CardState, TopicStatus
from .types import UTCDateTime

# The stored words are the vocabulary's: these names are kept for older imports.
TOPIC_STATUSES = tuple(TopicStatus)
CARD_NEW = CardState.NEW
CARD_LEARNING = CardState.LEARNING
CARD_REVIEW = CardState.REVIEW
CARD_RELEARNING = CardState.RELEARNING


def _utc(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


class TopicProgress(SQLModel, table=True):
    __tablename__ = "topic_progress"

    topic_id: str = Field(primary_key=True, max_length=120)
    status: str = Field(default=TopicStatus.NOT_STARTED, max_length=20)
    started_at: datetime | None = _utc(default=None)
    completed_at: datetime | None = _utc(default=None)
    updated_at: datetime = _utc()


class ResourceProgress(SQLModel, table=True):
    __tablename__ = "resource_progress"

    resource_id: str = Field(primary_key=True, max_length=120)
    done_at: datetime | None = _utc(default=None)


class CardRecord(SQLModel, table=True):
    """A stored flashcard and its FSRS scheduling state (one row, so the queue needs no
    join). The content card it comes from is `curriculum.Card`; the scheduler's is
    `fsrs.Card`."""

    __tablename__ = "card"
    __table_args__ = (
        # Covering the queue and the due counts: no table read for either.
        Index("ix_card_queue", "suspended", "state", "due", "removed", "hidden", "buried_until"),
        Index("ix_card_topic_state", "topic_id", "state", "suspended", "removed", "hidden"),
        # A topic's highest position, for the card added next (an import, once per batch).
        Index("ix_card_topic_position", "topic_id", "position"),
    )

    id: str = Field(primary_key=True, max_length=160)
    topic_id: str = Field(max_length=120)
    front: str = Field(sa_column=Column(Text, nullable=False))
    back: str = Field(sa_column=Column(Text, nullable=False))
    tags: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    origin: str = Field(default="content", max_length=10)  # content | user
    position: int = 0  # order within its topic: the content file's order, then creation
    removed: bool = False  # a content card no longer in the files: kept for its history
    hidden: bool = False
    suspended: bool = False
    buried_until: datetime | None = _utc(default=None)
    state: int = CardState.NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = _utc(default=None)
    last_review: datetime | None = _utc(default=None)
    reps: int = 0
    lapses: int = 0
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class ReviewLog(SQLModel, table=True):
    __tablename__ = "review_log"
    # The only index: every row written while answering updates each index, and the
    # statistics read the per-day counters instead of this log.
    __table_args__ = (Index("ix_review_log_card_reviewed", "card_id", "reviewed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    card_id: str = Field(foreign_key="card.id", max_length=160)
    rating: int
    reviewed_at: datetime = _utc()
    duration_ms: int = 0
    # JSON of the card's scheduling columns before this review, so it can be undone.
    state_before: str = Field(sa_column=Column(Text, nullable=False))


class ReviewDay(SQLModel, table=True):
    """Reviews per study day and topic, kept with every answer and undo so the review
    statistics read thousands of rows instead of a million."""

    __tablename__ = "review_day"
    # Covering retention per topic: the statistics read this index, not the rows.
    __table_args__ = (
        Index("ix_review_day_topic", "topic_id", "reviews", "first_pass", "first_fail"),
    )

    day: date = Field(primary_key=True)
    topic_id: str = Field(primary_key=True, max_length=120)
    reviews: int = 0
    new_cards: int = 0  # first reviews ever: they count against the new-card limit
    first_pass: int = 0  # first review of the card that day, graded Hard, Good or Easy
    first_fail: int = 0  # first review of the card that day, graded Again
    again: int = 0
    time_ms: int = 0


class StudyBlock(SQLModel, table=True):
    """A planned block: once, or an RFC 5545 RRULE over local wall-clock time."""

    __tablename__ = "study_block"

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(max_length=80, unique=True)
    topic_id: str | None = Field(default=None, max_length=120)
    start_date: date
    start_time: time
    duration_min: int
    tz: str = Field(max_length=64)
    rrule: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    skipped_dates: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = _utc()
    # An occurrence of a series changed on its own: the series' uid and the date the
    # occurrence had in it (skipped there), so a calendar export writes a RECURRENCE-ID.
    series_uid: str | None = Field(default=None, max_length=80)
    recurrence_date: date | None = None


class BusyTime(SQLModel, table=True):
    """Time taken in another calendar, imported from a file; planning keeps clear of it.
    Importing the same file again replaces its rows."""

    __tablename__ = "busy_time"
    __table_args__ = (Index("ix_busy_time_start", "start", "end"),)

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(sa_column=Column(Text, nullable=False, index=True))
    start: datetime = _utc()
    end: datetime = _utc()
    summary: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class StudySession(SQLModel, table=True):
    __tablename__ = "study_session"
    # Covering the day totals: the statistics read the index alone.
    __table_args__ = (
        Index("ix_study_session_started_duration", "started_at", "duration_s"),
        Index("ix_study_session_topic_duration", "topic_id", "duration_s"),
    )

    id: int | None = Field(default=None, primary_key=True)
    topic_id: str | None = Field(default=None, max_length=120)
    started_at: datetime = _utc()
    duration_s: int
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    source: str = Field(default="manual", max_length=10)  # manual | timer | import


class Setting(SQLModel, table=True):
    __tablename__ = "setting"

    key: str = Field(primary_key=True, max_length=60)
    value: str = Field(sa_column=Column(Text, nullable=False))


__all__ = [
    "CARD_LEARNING",
    "CARD_NEW",
    "CARD_RELEARNING",
    "CARD_REVIEW",
    "TOPIC_STATUSES",
    "BusyTime",
    "CardRecord",
    "FocusTimer",
    "ResourceProgress",
    "ReviewDay",
    "ReviewLog",
    "Setting",
    "StudyBlock",
    "StudySession",
    "TopicProgress",
]


class FocusTimer(SQLModel, table=True):
    """The running focus timer, stored when it starts so no restart or crash loses it."""

    __tablename__ = "focus_timer"

    id: int = Field(default=1, primary_key=True)  # one timer at a time, shared by all instances
    topic_id: str | None = Field(default=None, max_length=120)
    started_at: datetime = _utc()
    paused_at: datetime | None = _utc(default=None)
    paused_s: int = 0
    last_activity_at: datetime = _utc()
    pomodoro: bool = False
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
