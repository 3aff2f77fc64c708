"""The theme names the app accepts: Textual's built-in themes.

Tiny on purpose: `mlplanner settings theme NAME` imports it to refuse a name the app would
ignore, without starting anything of the TUI."""

from __future__ import annotations

from textual.theme import BUILTIN_THEMES

THEME_NAMES: tuple[str, ...] = tuple(sorted(BUILTIN_THEMES))


def is_theme(name: str) -> bool:
    return name in BUILTIN_THEMES
