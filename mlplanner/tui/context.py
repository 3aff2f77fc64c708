"""One typed way for screens and widgets to reach the planner the app holds."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

if TYPE_CHECKING:
    from ..planner import Planner
    from .app import PlannerApp


class UsesPlanner(DOMNode):
    """Mixed into screens and widgets: `self.planner` instead of untyped `self.app` reads."""

    @property
    def planner_app(self) -> PlannerApp:
        return cast("PlannerApp", self.app)

    @property
    def planner(self) -> Planner:
        return self.planner_app.planner
