"""Errors reach the learner in one way: a notification saying what failed, and the app runs on.

A `PlannerError` carries its own title; anything else is a bug, shown under a generic one.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from textual.dom import DOMNode

from ..errors import PlannerError
from ..safe_text import printable

GENERIC_TITLE = "Something went wrong"

F = TypeVar("F", bound=Callable[..., Any])


def error_title(error: BaseException | None) -> str:
    return error.title if isinstance(error, PlannerError) else GENERIC_TITLE


def error_text(error: BaseException | None) -> str:
    if error is None:
        return "unknown error"
    return str(error) or type(error).__name__


def notify_error(node: DOMNode, error: BaseException | None, title: str | None = None) -> None:
    """Show an error as a notification; its text is data, never markup."""
    node.app.notify(
        printable(error_text(error), one_line=True, limit=500),
        title=printable(title or error_title(error), one_line=True, limit=100),
        severity="error",
        timeout=8,
        markup=False,
    )


def reports_errors(method: F) -> F:
    """For actions and handlers: a PlannerError becomes a notification, and nothing crashes."""

    if inspect.iscoroutinefunction(method):

        @functools.wraps(method)
        async def run_async(self: DOMNode, *args: Any, **kwargs: Any) -> Any:
            try:
                return await method(self, *args, **kwargs)
            except PlannerError as error:
                notify_error(self, error)
                return None

        return run_async  # type: ignore[return-value]

    @functools.wraps(method)
    def run(self: DOMNode, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except PlannerError as error:
            notify_error(self, error)
            return None

    return run  # type: ignore[return-value]
