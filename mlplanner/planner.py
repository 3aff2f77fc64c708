"""Open everything a front end needs: curriculum, database, settings, synced cards."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from .clock import Clock, system_clock
from .config import Paths
from .curriculum import ContentError, Curriculum, Problem, load_curriculum
from .services.content_sync import SyncReport, sync_content
from .services.days import local_zone
from .services.reviews import ReviewConfig, ensure_review_days
from .services.settings import load as load_settings
from .store import make_engine, prepare_database, unit_of_work
from .store.engine import stored_revision


@dataclass
class Planner:
    """The opened planner: shared by the TUI and the CLI."""

    paths: Paths
    curriculum: Curriculum
    engine: Engine
    clock: Clock = system_clock
    content_warnings: list[Problem] = field(default_factory=list)
    schema: str = "current"
    sync: SyncReport | None = None

    def session(self):
        return unit_of_work(self.engine)

    def schema_revision(self) -> str:
        return stored_revision(self.engine) or "none"

    def close(self) -> None:
        self.engine.dispose()


def open_planner(paths: Paths, clock: Clock = system_clock) -> Planner:
    """Raises ContentError or StoreError with a message fit for the user."""
    loaded = load_curriculum(paths.content_dir)
    if loaded.curriculum is None:
        raise ContentError(loaded.problems)
    engine = make_engine(paths.db_url)
    try:
        schema = prepare_database(engine)
        with unit_of_work(engine) as session:
            report = sync_content(session, loaded.curriculum, clock)
            settings = load_settings(session)
            ensure_review_days(session, ReviewConfig.from_settings(settings, local_zone()))
    except BaseException:
        engine.dispose()
        raise
    return Planner(
        paths=paths,
        curriculum=loaded.curriculum,
        engine=engine,
        clock=clock,
        content_warnings=loaded.user_problems,
        schema=schema,
        sync=report,
    )
