"""The command palette's planner entries: every action the current screen binds, by name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .keys import palette_actions


class PlannerCommands(Provider):
    def _entries(self) -> list[tuple[str, str, str]]:
        return list(palette_actions(self.screen, getattr(self.app, "keymap", {})))

    async def discover(self) -> Hits:
        for title, help_text, action in self._entries():
            yield DiscoveryHit(title, partial(self.screen.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, action in self._entries():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(self.screen.run_action, action),
                    text=title,
                    help=help_text,
                )
