"""Outside text on screen: what learners type, content files hold and imports bring.

Such text is data. It reaches a widget as a `rich.text.Text` built from `printable`
(escape sequences and bidi overrides removed, other controls shown as pictures), never
as a markup string, so `[bold]` or `[@click=app.quit]` in a note is shown as typed.
Markdown (card fronts and backs, `safe_markdown.py`) is cleaned the same way before it
is parsed, and its links are followed only when they are web links.
"""

from __future__ import annotations

from rich.style import StyleType
from rich.text import Text

from ..safe_text import printable, safe_url

__all__ = ["clean", "open_link", "plain", "say"]

NOT_OPENED = "Not opened: only web links are followed"


def clean(text: object, *, one_line: bool = False, limit: int | None = None) -> str:
    """Outside text as a plain string fit for a screen (for `notify`, `Input` values)."""
    return printable("" if text is None else text, one_line=one_line, limit=limit)


def plain(
    text: object, style: StyleType = "", *, one_line: bool = False, limit: int | None = None
) -> Text:
    """Outside text as a `Text` that no markup parser will ever read."""
    return Text(clean(text, one_line=one_line, limit=limit), style=style)


def say(node, message: str, **kwargs) -> None:
    """A notification that carries outside text: cleaned, on one line, never markup."""
    title = kwargs.pop("title", "")
    node.app.notify(
        clean(message, one_line=True, limit=500),
        title=clean(title, one_line=True, limit=100),
        markup=False,
        **kwargs,
    )


def open_link(node, url: str) -> bool:
    """Follow `url` only when it is a web link; otherwise say so, with the URL as text."""
    if safe_url(url):
        node.app.open_url(url.strip())
        return True
    say(node, f"{NOT_OPENED}: {url}", title="Link", severity="warning", timeout=5)
    return False
