"""The curriculum: content files read into frozen, validated objects.

The objects load at once; the loader (`load_curriculum`, `check_directory`, `ContentError`)
when first used, so a quick command that finds the parsed curriculum in its cache
(`curriculum.cache`) never imports the parser."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .files import bundled_content_dir
from .model import (
    Card,
    Curriculum,
    ElectiveGroup,
    LearningPath,
    LoadResult,
    PathElectives,
    Problem,
    Resource,
    Stage,
    Topic,
    Track,
)

if TYPE_CHECKING:
    from .loader import ContentError, check_directory, load_curriculum

__all__ = [
    "Card",
    "ContentError",
    "Curriculum",
    "ElectiveGroup",
    "LearningPath",
    "PathElectives",
    "LoadResult",
    "Problem",
    "Resource",
    "Stage",
    "Topic",
    "Track",
    "bundled_content_dir",
    "check_directory",
    "load_curriculum",
]

_LOADER = ("ContentError", "check_directory", "load_curriculum")


def __getattr__(name: str) -> Any:
    if name in _LOADER:
        from . import loader

        return getattr(loader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
