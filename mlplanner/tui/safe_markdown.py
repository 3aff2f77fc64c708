"""Markdown from outside (card fronts and backs), cleaned like every other outside text."""

from __future__ import annotations

from textual.widgets import Markdown

from .text import clean, open_link


class SafeMarkdown(Markdown):
    """Markdown from outside: the source cleaned of escape sequences, links followed only
    for http and https."""

    def __init__(self, markdown: str | None = None, **kwargs) -> None:
        kwargs.setdefault("open_links", False)
        super().__init__(None if markdown is None else clean(markdown), **kwargs)

    def update(self, markdown: str):  # type: ignore[override]
        return super().update(clean(markdown))

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        open_link(self, event.href)
