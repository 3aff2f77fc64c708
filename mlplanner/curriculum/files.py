"""Where the content files are: the bundled folder and the `.toml` files of a folder."""

from __future__ import annotations

from pathlib import Path


def bundled_content_dir() -> Path:
    """The curriculum shipped with the package (wheel) or the checkout (editable install)."""
    packaged = Path(__file__).resolve().parent.parent / "_content"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "content"


def content_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*.toml") if p.is_file())
