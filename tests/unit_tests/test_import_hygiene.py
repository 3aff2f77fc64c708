"""Nothing outside mlplanner/tui/ may load Textual: the UI boundary of DESIGN.md."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import mlplanner


def non_ui_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(mlplanner.__path__, prefix="mlplanner."):
        if info.name.startswith("mlplanner.tui") or info.name == "mlplanner.__main__":
            continue
        names.append(info.name)
    return names


def test_non_ui_modules_are_found():
    names = non_ui_modules()
    assert "mlplanner.cli" in names
    assert "mlplanner.services.content_sync" in names


def test_non_ui_modules_do_not_import_textual():
    names = non_ui_modules()
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_check_would_see_textual(tmp_path):
    """The subprocess check above can fail: importing the TUI does load textual."""
    code = "import sys, mlplanner.tui.app; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "True", result.stderr
