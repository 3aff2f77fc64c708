"""Open everything a front end needs: curriculum, database, settings, synced cards.

The `Planner` is the one owner of the context every screen and command shares: the
learner's settings, their config file and the calendar built from both. Front ends read
these from it and change settings through it, so a change is seen everywhere at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from .clock import Clock, system_clock
from .config import ConfigError, Paths, UserConfig
from .curriculum import ContentError, Curriculum, Problem, load_curriculum
from .services import learner
from .services import settings as settings_service
from .services.content_sync import SyncReport, sync_content
from .services.days import StudyCalendar, local_zone
from .services.learner import LearnerPlan
from .services.projection import parse_target_date
from .services.reviews import ReviewConfig, ensure_review_days
from .services.settings import Settings
from .store import make_engine, prepare_database, transaction, unit_of_work
from .store.engine import stored_revision


@dataclass
class Planner:
    """The opened planner: shared by the TUI and the CLI."""

    paths: Paths
    curriculum: Curriculum
    engine: Engine
    clock: Clock = system_clock
    settings: Settings = field(default_factory=Settings)
    user_config: UserConfig = field(default_factory=UserConfig)
    tz: ZoneInfo = field(default_factory=local_zone)
    config_error: ConfigError | None = None
    content_warnings: list[Problem] = field(default_factory=list)
    schema: str = "current"
    sync: SyncReport | None = None

    def session(self):
        return unit_of_work(self.engine)

    def transaction(self):
        """A unit of work without an ORM session, for answering cards (see
        `store.transaction`)."""
        return transaction(self.engine)

    @property
    def calendar(self) -> StudyCalendar:
        return StudyCalendar(self.tz, self.settings.rollover_hour, self.user_config.first_weekday)

    def review_config(self, fuzz: bool = True) -> ReviewConfig:
        return ReviewConfig.from_settings(self.settings, self.calendar, fuzz=fuzz)

    def reload_settings(self) -> Settings:
        with self.session() as session:
            self.settings = settings_service.load(session)
        return self.settings

    @property
    def target_date(self) -> date | None:
        """The `target_date` setting as a date (None when empty or unusable)."""
        try:
            return parse_target_date(self.settings.target_date)
        except ValueError:
            return None

    def plan(self) -> LearnerPlan:
        """The learner's path, picks and the topic ids on it."""
        with self.session() as session:
            return learner.plan(session, self.curriculum)

    def update_settings(self, **changes: Any) -> Settings:
        """Validate, store and adopt new settings (raises ValueError naming what is wrong)."""
        with self.session() as session:
            self.settings = settings_service.update(session, **changes)
        if "time_zone" in changes:  # the calendar follows at once
            self.tz = settings_service.learner_zone(self.settings, local_zone())
        return self.settings

    def schema_revision(self) -> str:
        return stored_revision(self.engine) or "none"

    def close(self) -> None:
        self.engine.dispose()


def load_user_config(paths: Paths) -> tuple[UserConfig, ConfigError | None]:
    """The config file, or the defaults and the reason it was ignored."""
    try:
        return UserConfig.load(paths.config_file), None
    except ConfigError as exc:
        return UserConfig(), exc


def open_planner(
    paths: Paths,
    clock: Clock = system_clock,
    tz: ZoneInfo | None = None,  # overrides the time_zone setting (tests, screenshots)
    user_config: UserConfig | None = None,
) -> Planner:
    """Raises ContentError or StoreError with a message fit for the user."""
    loaded = load_curriculum(paths.content_dir)
    if loaded.curriculum is None:
        raise ContentError(loaded.problems)
    config_error = None
    if user_config is None:
        user_config, config_error = load_user_config(paths)
    engine = make_engine(paths.db_url)
    try:
        schema = prepare_database(engine)
        with unit_of_work(engine) as session:
            report = sync_content(session, loaded.curriculum, clock)
            settings = settings_service.load(session)
            zone = tz or settings_service.learner_zone(settings, local_zone())
            calendar = StudyCalendar(zone, settings.rollover_hour, user_config.first_weekday)
            ensure_review_days(session, ReviewConfig.from_settings(settings, calendar))
    except BaseException:
        engine.dispose()
        raise
    return Planner(
        paths=paths,
        curriculum=loaded.curriculum,
        engine=engine,
        clock=clock,
        settings=settings,
        user_config=user_config,
        tz=zone,
        config_error=config_error,
        content_warnings=loaded.user_problems,
        schema=schema,
        sync=report,
    )
