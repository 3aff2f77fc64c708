"""`mlplanner serve`: the planner in a browser tab, served with textual-serve.

Each browser tab that connects runs the app in a process of its own (this module run as a
script, over the same database and content) whose screen textual-serve relays to the page.
Exports made there arrive in the browser as downloads.
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import sys
from typing import TYPE_CHECKING

from .registry import Commands

if TYPE_CHECKING:
    from .context import Context

LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def register(commands: Commands) -> None:
    serve_ = commands.add(
        "serve",
        help="use the planner in a web browser",
        description=(
            "Serve the planner to a web browser (textual-serve): open the address it prints. "
            "It listens on this computer only (127.0.0.1) unless --host says otherwise; "
            "anyone who can reach another address can use the planner and its data, so bind "
            "to one only on a network you trust. Stop it with Ctrl+C."
        ),
        run=serve,
    )
    serve_.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this computer only)",
    )
    serve_.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")


def is_local(host: str) -> bool:
    if host.lower() in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_command(context: Context) -> str:
    """The shell command that runs one browser tab's app over this run's database."""
    command = [sys.executable, "-m", "mlplanner.cli.serve", "--db", context.paths.db_url]
    if context.paths.content_dir is not None:
        command += ["--content", str(context.paths.content_dir)]
    return shlex.join(command)


def serve(args: argparse.Namespace, context: Context) -> None:
    from ..errors import BadInput

    if not 0 < args.port < 65536:
        raise BadInput(f"--port {args.port}: a port is a number from 1 to 65535")
    context.planner  # noqa: B018 -- a database or content problem is told now, not in the browser
    from ..tui.web import serve_in_browser

    url_host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{url_host}:{args.port}"
    if is_local(args.host):
        print(f"mlplanner: serving on {url} — this computer only (use --host to change)")
    else:
        print(
            f"mlplanner: warning: serving on {url}: anyone on that network who can reach "
            "this address can use the planner and read and change its data"
        )
    print("mlplanner: press Ctrl+C to stop", flush=True)
    serve_in_browser(app_command(context), args.host, args.port)


def run_app(argv: list[str]) -> int:
    """One browser tab's app (run by textual-serve, with its web driver; no terminal)."""
    from ..config import resolve_paths
    from ..errors import PlannerError
    from .context import open_planner

    parser = argparse.ArgumentParser(prog="mlplanner-serve-app")
    parser.add_argument("--db")
    parser.add_argument("--content")
    args = parser.parse_args(argv)
    try:
        planner = open_planner(resolve_paths(args.db, args.content))
    except PlannerError as exc:
        print(f"mlplanner: {exc}", file=sys.stderr)
        return exc.exit_status
    try:
        from ..tui.app import PlannerApp

        PlannerApp(planner).run()
    finally:
        planner.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(run_app(sys.argv[1:]))
