"""Open everything a front end needs: curriculum, database, settings, synced cards.

The `Planner` is the one owner of the context every screen and command shares: the
learner's settings, their config file and the calendar built from both. Front ends read
these from it and change settings through it, so a change is seen everywhere at once.

Opening happens in two steps so the full-screen app can draw before the database is
ready. `prepare_planner` reads the config file and the curriculum: no SQL, and none of
SQLAlchemy, SQLModel or the services that use them is imported. `Planner.connect` then
opens the database (schema, content sync, settings, review days); the app runs it in a
worker after its first paint, and anything that needs the database before then
(`session()`, `settings`, `engine`) connects on first use. `open_planner` does both at
once, for the CLI and the tests.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from .clock import Clock, system_clock
from .config import ConfigError, Paths, UserConfig
from .curriculum import ContentError, Curriculum, LoadResult, Problem
from .errors import PlannerError
from .services.days import StudyCalendar, local_zone

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from sqlalchemy.engine import Connection, Engine
    from sqlmodel import Session

    from .services.content_sync import SyncReport
    from .services.lean_reads import LeanReads, LeanStart
    from .services.learner import LearnerPlan
    from .services.reviews import ReviewConfig
    from .services.settings import Settings


THEME_WAIT_MS = 100
"""How long reading the saved theme before the first frame waits for another writer."""


@dataclass(frozen=True)
class LeanView:
    """The database read with sqlite3 alone, and what the start-up reads of it."""

    reads: LeanReads
    start: LeanStart


class Planner:
    """The opened planner: shared by the TUI and the CLI."""

    def __init__(
        self,
        paths: Paths,
        curriculum: Curriculum,
        clock: Clock = system_clock,
        user_config: UserConfig | None = None,
        config_error: ConfigError | None = None,
        content_warnings: list[Problem] | None = None,
        tz: ZoneInfo | None = None,
    ) -> None:
        self.paths = paths
        self.curriculum = curriculum
        self.clock = clock
        self.user_config = user_config if user_config is not None else UserConfig()
        self.config_error = config_error
        self.content_warnings = list(content_warnings or [])
        self.fixed_tz = tz  # overrides the time_zone setting (tests, screenshots)
        self.tz: ZoneInfo = tz or local_zone()
        self.schema = "current"
        self.sync: SyncReport | None = None
        self._engine: Engine | None = None
        self._settings: Settings | None = None
        self._opening = threading.Lock()

    # The database ---------------------------------------------------------------

    @property
    def is_connected(self) -> bool:
        return self._engine is not None

    def connect(self) -> Engine:
        """Open the database once: safe to call from any thread, at any time.

        Raises StoreError with a message fit for the user."""
        engine = self._engine
        if engine is not None:
            return engine
        with self._opening:
            if self._engine is None:
                self._open_database()
            assert self._engine is not None
            return self._engine

    def stored_theme(self) -> str | None:
        """The theme saved in a current SQLite database, read with `sqlite3` before the
        database is opened, so that the first frame already wears it; None when it cannot
        be read that way (the theme then follows once the database is open)."""
        from .services.settings import from_raw
        from .store.lean import open_lean

        try:  # the first frame waits for this: a database being written is not waited for
            store = open_lean(self.paths.db_url, wait_ms=THEME_WAIT_MS)
        except PlannerError:
            return None
        if store is None:
            return None
        try:
            return from_raw(store.settings()).theme
        except PlannerError:
            return None
        finally:
            store.close()

    @contextmanager
    def lean_reads(self) -> Iterator[LeanView | None]:
        """Before `connect`, on a SQLite database that opening would leave as it is: the
        database read through sqlite3 alone (`services.lean_reads`), the learner's stored
        settings and zone adopted; the app fills its first screen this way before
        SQLAlchemy is imported. None when that cannot be (another database, content to
        sync, counters to fill, or already connected): `connect` instead."""
        from .services.lean_reads import LeanReads, lean_start
        from .services.settings import from_raw, learner_zone
        from .store.lean import open_lean

        view = None
        store = None
        with self._opening:  # a connection being opened is waited for, then used instead
            try:
                if self._engine is None:
                    store = open_lean(self.paths.db_url)
                    start = None if store is None else lean_start(store, self.curriculum)
                    if store is not None and start is not None:
                        settings = from_raw(start.raw_settings)
                        self._settings = settings
                        self.tz = self.fixed_tz or learner_zone(settings, local_zone())
                        view = LeanView(LeanReads(store, start.raw_settings), start)
            except PlannerError:
                view = None
        try:
            yield view
        finally:
            if store is not None:
                store.close()

    def _open_database(self) -> None:
        from .services import settings as settings_service
        from .services.content_sync import sync_content
        from .services.reviews import ReviewConfig, ensure_review_days
        from .store import make_engine, prepare_database, unit_of_work

        engine = make_engine(self.paths.db_url)
        try:
            schema = prepare_database(engine)
            with unit_of_work(engine) as session:
                report = sync_content(session, self.curriculum, self.clock)
                settings = settings_service.load(session)
                zone = self.fixed_tz or settings_service.learner_zone(settings, local_zone())
                calendar = StudyCalendar(
                    zone, settings.rollover_hour, self.user_config.first_weekday
                )
                ensure_review_days(session, ReviewConfig.from_settings(settings, calendar))
        except BaseException:
            engine.dispose()
            raise
        self.schema, self.sync, self._settings, self.tz = schema, report, settings, zone
        self._engine = engine  # last: others see a connected planner only when it is whole

    @property
    def engine(self) -> Engine:
        return self.connect()

    def session(self) -> AbstractContextManager[Session]:
        from .store import unit_of_work

        return unit_of_work(self.connect())

    def transaction(self) -> AbstractContextManager[Connection]:
        """A unit of work without an ORM session, for answering cards (see
        `store.transaction`)."""
        from .store import transaction

        return transaction(self.connect())

    def use_zone(self, tz: ZoneInfo) -> None:
        """Show every date in `tz`, whatever the time_zone setting says."""
        self.fixed_tz = self.tz = tz

    # Settings -------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self.connect()
        assert self._settings is not None
        return self._settings

    @settings.setter
    def settings(self, settings: Settings) -> None:
        self._settings = settings

    @property
    def calendar(self) -> StudyCalendar:
        return StudyCalendar(self.tz, self.settings.rollover_hour, self.user_config.first_weekday)

    def review_config(self, fuzz: bool = True) -> ReviewConfig:
        from .services.reviews import ReviewConfig

        return ReviewConfig.from_settings(self.settings, self.calendar, fuzz=fuzz)

    def reload_settings(self) -> Settings:
        from .services import settings as settings_service

        with self.session() as session:
            self.settings = settings_service.load(session)
        return self.settings

    @property
    def target_date(self) -> date | None:
        """The `target_date` setting as a date (None when empty or unusable)."""
        from .services.projection import parse_target_date

        try:
            return parse_target_date(self.settings.target_date)
        except ValueError:
            return None

    def plan(self) -> LearnerPlan:
        """The learner's path, picks and the topic ids on it."""
        from .services import learner

        with self.session() as session:
            return learner.plan(session, self.curriculum)

    def update_settings(self, **changes: Any) -> Settings:
        """Validate, store and adopt new settings (raises ValueError naming what is wrong)."""
        from .services import settings as settings_service

        with self.session() as session:
            self.settings = settings_service.update(session, **changes)
        if "time_zone" in changes:  # the calendar follows at once
            self.tz = settings_service.learner_zone(self.settings, local_zone())
        return self.settings

    def schema_revision(self) -> str:
        from .store.engine import stored_revision

        return stored_revision(self.engine) or "none"

    def close(self) -> None:
        with self._opening:
            if self._engine is not None:
                self._engine.dispose()


def load_user_config(paths: Paths) -> tuple[UserConfig, ConfigError | None]:
    """The config file, or the defaults and the reason it was ignored."""
    try:
        return UserConfig.load(paths.config_file), None
    except ConfigError as exc:
        return UserConfig(), exc


def obtain_curriculum(paths: Paths) -> LoadResult:
    """The curriculum of `paths`: the bundled content and the learner's own folder, from
    the parse cached in the data folder while the content files are unchanged
    (`curriculum.cache`, which the quick commands read too). The one place the planner
    gets it."""
    from .curriculum.cache import load_curriculum_cached

    return load_curriculum_cached(paths.content_dir, paths.data_dir)


def prepare_planner(
    paths: Paths,
    clock: Clock = system_clock,
    tz: ZoneInfo | None = None,  # overrides the time_zone setting (tests, screenshots)
    user_config: UserConfig | None = None,
) -> Planner:
    """A planner whose database is not opened yet (`connect` opens it).

    Raises ContentError when the bundled curriculum has problems."""
    loaded = obtain_curriculum(paths)
    if loaded.curriculum is None:
        raise ContentError(loaded.problems)
    config_error = None
    if user_config is None:
        user_config, config_error = load_user_config(paths)
    return Planner(
        paths=paths,
        curriculum=loaded.curriculum,
        clock=clock,
        user_config=user_config,
        config_error=config_error,
        content_warnings=loaded.user_problems,
        tz=tz,
    )


def open_planner(
    paths: Paths,
    clock: Clock = system_clock,
    tz: ZoneInfo | None = None,  # overrides the time_zone setting (tests, screenshots)
    user_config: UserConfig | None = None,
) -> Planner:
    """Raises ContentError or StoreError with a message fit for the user."""
    planner = prepare_planner(paths, clock, tz, user_config)
    planner.connect()
    return planner
