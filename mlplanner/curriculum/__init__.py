"""The curriculum: content files read into frozen, validated objects."""

from .loader import ContentError, LoadResult, bundled_content_dir, check_directory, load_curriculum
from .model import (
    Card,
    Curriculum,
    ElectiveGroup,
    LearningPath,
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
