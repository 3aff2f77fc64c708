"""The quick commands' way in: a SQLite database read with sqlite3 alone, and the
curriculum from its cache.

`timer status`, `log`, `block list` and `topics` run from shell prompts and status bars;
opening the planner (SQLAlchemy, SQLModel, content sync) takes several times longer than
their whole answer. When `open_quick` can serve them — a SQLite file at the current
schema (see `store.lean`) — they read the same rows and apply the same service functions
as the ordinary path and print the same text; otherwise it returns None and they open the
planner as every other command does (a new, older or PostgreSQL database, a read-only
file: the ordinary path creates, upgrades or refuses it with its usual message).
"""

from __future__ import annotations

import os
import sys
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from ..config import Paths, UserConfig
    from ..curriculum import Curriculum
    from ..curriculum.cache import TitleIndex
    from ..services.days import StudyCalendar
    from ..services.settings import Settings
    from ..store.lean import LeanStore

ORDINARY_ONLY = "MLPLANNER_ORDINARY_PATH"
"""Set (to anything but empty) to make every command open the planner: for comparing."""


class Quick:
    """What the ordinary `Planner` offers a quick command, read the lean way."""

    def __init__(self, paths: Paths, store: LeanStore) -> None:
        self.paths = paths
        self.store = store

    @cached_property
    def raw_settings(self) -> dict[str, str]:
        return self.store.settings()

    @cached_property
    def settings(self) -> Settings:
        from ..services.settings import from_raw

        return from_raw(self.raw_settings)

    @cached_property
    def tz(self) -> ZoneInfo:
        from ..services.days import local_zone
        from ..services.settings import learner_zone

        return learner_zone(self.settings, local_zone())

    @cached_property
    def user_config(self) -> UserConfig:
        from ..config import ConfigError, UserConfig

        try:  # as `planner.load_user_config`: a broken file means the defaults
            return UserConfig.load(self.paths.config_file)
        except ConfigError:
            return UserConfig()

    @property
    def calendar(self) -> StudyCalendar:
        from ..services.days import StudyCalendar

        return StudyCalendar(self.tz, self.settings.rollover_hour, self.user_config.first_weekday)

    @cached_property
    def curriculum(self) -> Curriculum:
        """The curriculum as the planner loads it, its problems reported the same way
        (once: not again after the cached titles reported them)."""
        from ..curriculum.cache import load_curriculum_cached

        loaded = load_curriculum_cached(self.paths.content_dir, self.paths.data_dir)
        if loaded.curriculum is None:
            from ..curriculum import ContentError

            raise ContentError(loaded.problems)
        if "_titles" not in self.__dict__ or self._titles is None:
            for warning in loaded.user_problems:
                print(f"mlplanner: warning: {warning}", file=sys.stderr)
        return loaded.curriculum

    @cached_property
    def _titles(self) -> dict[str, str] | None:
        from ..curriculum.cache import titles_cached

        found = titles_cached(self.paths.content_dir, self.paths.data_dir)
        if found is None:
            return None
        titles, warnings = found
        for warning in warnings:
            print(f"mlplanner: warning: {warning}", file=sys.stderr)
        return titles

    @property
    def topic_names(self) -> TitleIndex | Curriculum:
        """The topics' ids and titles: from the cached titles while the curriculum is not
        needed otherwise (they cost a small part of loading every topic)."""
        if "curriculum" not in self.__dict__ and (titles := self._titles) is not None:
            from ..curriculum.cache import TitleIndex

            return TitleIndex(titles)
        return self.curriculum

    def topic_title(self, topic_id: str | None, default: str = "") -> str:
        return self.topic_names.topic_title(topic_id, default)

    def report_content_warnings(self) -> None:
        """Warn about the user's content files at once, as opening the planner does (the
        bundled content alone has nothing to warn about)."""
        if self.paths.content_dir is not None and self._titles is None:
            self.curriculum  # noqa: B018  (loading it reports them)

    def close(self) -> None:
        self.store.close()


def open_quick(paths: Paths, write: bool = False) -> Quick | None:
    """The lean way into the database at `paths`, or None: open the planner instead."""
    if os.environ.get(ORDINARY_ONLY):
        return None
    from ..store.lean import open_lean

    store = open_lean(paths.db_url, write=write)
    if store is None:
        return None
    quick = Quick(paths, store)
    try:
        quick.report_content_warnings()
    except BaseException:
        quick.close()
        raise
    return quick
