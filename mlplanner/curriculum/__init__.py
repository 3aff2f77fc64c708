"""The curriculum: content files read into frozen, validated objects.

Each name loads its module when first used, so a quick command that finds what it needs
in the cache (`curriculum.cache`) imports neither the parser nor, for a topic's title,
the objects."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .files import bundled_content_dir
    from .loader import ContentError, check_directory, load_curriculum
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

_HOMES = {"ContentError": "loader", "check_directory": "loader", "load_curriculum": "loader"}
_HOMES["bundled_content_dir"] = "files"


def __getattr__(name: str) -> Any:
    if name in __all__:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_HOMES.get(name, 'model')}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
