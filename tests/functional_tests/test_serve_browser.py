"""`mlplanner serve` in a real browser: Debian's Chromium driven by Playwright.

The page is xterm.js drawing on a canvas, so the test reads what the app sends the page
over its WebSocket (the terminal output it draws) and takes a screenshot. Set
MLPLANNER_BROWSER_SCREENSHOT=FILE to keep the screenshot (the README's is made so).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM = next(
    (p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(p).exists()), None
)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (apt-get install chromium)"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(tmp_path):
    port = free_port()
    # A learner who has chosen a path: the app opens on the main screen, not the setup.
    chosen = [sys.executable, "-m", "mlplanner", "--db", str(tmp_path / "planner.db")]
    subprocess.run([*chosen, "path", "choose", "ml-engineer"], check=True, capture_output=True)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mlplanner",
            "--db",
            str(tmp_path / "planner.db"),
            "serve",
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "COLUMNS": "200"},
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        if process.poll() is not None:
            pytest.fail(f"mlplanner serve stopped: {process.stdout.read().decode()}")
        time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("mlplanner serve did not listen within 30 s")
    yield f"http://127.0.0.1:{port}/"
    process.terminate()
    try:
        output, _ = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    assert b"this computer only" in output


def test_the_planner_in_a_browser(server, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    received: list[bytes] = []

    def screen_text(since: int = 0) -> str:
        return ANSI.sub(b"", b"".join(received[since:])).decode("utf-8", "replace")

    def wait_for(text: str, seconds: float = 30, since: int = 0) -> None:
        """Wait until `text` reaches the page (in what it received after frame `since`)."""
        deadline = time.monotonic() + seconds
        while text not in screen_text(since):
            assert time.monotonic() < deadline, f"{text!r} never reached the page"
            page.wait_for_timeout(200)

    def on_socket(socket_) -> None:
        socket_.on(
            "framereceived",
            lambda frame: received.append(frame if isinstance(frame, bytes) else frame.encode()),
        )

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            # No network here but this machine: the page's web font request is refused at once.
            page.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url.startswith(server) else route.abort()
                ),
            )
            page.on("websocket", on_socket)
            page.goto(server, wait_until="domcontentloaded")
            page.wait_for_selector(".xterm-screen", timeout=30_000)
            wait_for("Roadmap")
            wait_for("Programming foundations")
            page.wait_for_timeout(500)
            screenshot = page.screenshot()
            assert screenshot.startswith(b"\x89PNG")
            if target := os.environ.get("MLPLANNER_BROWSER_SCREENSHOT"):
                Path(target).write_bytes(screenshot)
            page.locator(".xterm-helper-textarea").focus()
            before = len(received)
            assert "rebind keys in config.toml" not in screen_text()
            page.keyboard.press("?")
            wait_for("rebind keys in config.toml", 15, since=before)
            (tmp_path / "help.png").write_bytes(page.screenshot())
            page.keyboard.press("Escape")
            page.wait_for_timeout(500)  # a lone escape is told from a sequence by a pause
            # The study plan's export arrives as a download, not as a file on the server: the
            # app hands textual-serve the file and the page opens /download/<key> in a new tab.
            downloads = []

            def record(route) -> None:
                response = route.fetch()
                downloads.append((response.headers, response.body()))
                route.fulfill(response=response)

            context.route("**/download/*", record)
            page.keyboard.press("Control+e")
            deadline = time.monotonic() + 20
            while not downloads:
                assert time.monotonic() < deadline, "the export never arrived as a download"
                page.wait_for_timeout(200)
            headers, body = downloads[0]
            assert headers["content-disposition"] == (
                "attachment; filename=mlplanner-study-plan.ics"
            )
            assert headers["content-type"].startswith("text/calendar")
            assert body.startswith(b"BEGIN:VCALENDAR")
            assert not (Path.home() / "mlplanner-study-plan.ics").exists()
        finally:
            browser.close()
