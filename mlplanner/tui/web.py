"""The planner in a browser tab: textual-serve runs one app process per tab."""

from __future__ import annotations


def serve_in_browser(app_command: str, host: str, port: int) -> None:
    """Serve until interrupted; each tab runs `app_command` with textual-serve's driver."""
    from textual_serve.server import Server

    Server(app_command, host=host, port=port, title="mlplanner").serve()
