"""The key footer, rebuilt once however often the bindings change between two frames."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class PlannerFooter(Footer):
    """Textual's footer rebuilds itself (a widget per key) each time its screen's bindings
    change. At start-up they change several times before the first frames are out (the
    screen is pushed, the roadmap takes focus, the terminal reports focus): this footer
    waits for the next refresh and rebuilds once for all of them, and not at all when the
    keys it would show are the ones it shows."""

    _rebuild_pending = False
    _shown: tuple[object, ...] | None = None

    def bindings_changed(self, screen: Screen) -> None:
        if self._rebuild_pending:
            return
        self._rebuild_pending = True
        self.call_after_refresh(self._bindings_settled, screen)

    def _bindings_settled(self, screen: Screen) -> None:
        self._rebuild_pending = False
        if self._shown is not None and self._keys(screen) == self._shown:
            return
        super().bindings_changed(screen)

    def _keys(self, screen: Screen) -> tuple[object, ...]:
        """What the footer shows of a screen's bindings (as `Footer.compose` reads them)."""
        return tuple(
            (binding.key, binding.description, binding.action, binding.group, enabled, tooltip)
            for (_, binding, enabled, tooltip) in screen.active_bindings.values()
            if binding.show or binding.action == "command_palette"
        )

    def compose(self) -> ComposeResult:
        if self._bindings_ready:  # the keys as they are drawn, read when they are drawn
            self._shown = self._keys(self.screen)
        yield from super().compose()
