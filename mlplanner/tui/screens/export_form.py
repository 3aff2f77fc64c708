"""Where to write the study plan as an .ics file: a path, with a sensible default."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from platformdirs import user_documents_path
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from ...errors import PlannerError
from ...services.durations import InputError
from .form_screen import FormScreen

FILE_NAME = "mlplanner-study-plan.ics"


def default_target() -> Path:
    """In the learner's documents folder when there is one, else in their home."""
    documents = user_documents_path()
    folder = documents if documents.is_dir() else Path.home()
    return folder / FILE_NAME


def chosen_path(text: str) -> Path:
    """The file a learner typed, `~` expanded; refused, saying why, when it cannot be one."""
    cleaned = text.strip()
    if not cleaned:
        raise InputError(f"enter a file to write, e.g. {default_target()}")
    if "\0" in cleaned:
        raise InputError("a file name cannot hold a NUL character")
    try:
        target = Path(cleaned).expanduser()
        if target.is_dir():
            raise InputError(f"{target} is a folder: add a file name, e.g. {target / FILE_NAME}")
        if not target.parent.is_dir():
            raise InputError(f"the folder {target.parent} does not exist")
    except (OSError, RuntimeError) as exc:  # ~nosuchuser, a name too long, no permission
        raise InputError(f"cannot use {cleaned}: {getattr(exc, 'strerror', None) or exc}") from None
    return target


def write_file(target: Path, data: bytes) -> None:
    """The whole file or none of it: written beside, then renamed into place."""
    temporary = target.with_name(f".{target.name}.part")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, target)
    except (OSError, ValueError) as exc:
        with contextlib.suppress(OSError, ValueError):
            temporary.unlink(missing_ok=True)
        reason = getattr(exc, "strerror", None) or exc
        raise PlannerError(f"cannot write {target}: {reason}") from None


class ExportForm(FormScreen[Path]):
    """Asks where to write the .ics file and writes it; returns the path, or None when
    cancelled. A folder that is missing or cannot be written is said in the form, which
    stays open."""

    def __init__(self, data: bytes, target: Path | None = None) -> None:
        super().__init__()
        self.data = data
        self.target = target or default_target()
        self.save = lambda path: write_file(path, self.data)

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="dialog"):
            yield Static("Export the study plan as .ics", classes="dialog-title")
            yield Label("File to write (~ is your home folder)")
            yield Input(str(self.target), id="export-path")
            yield Static(
                "Calendar apps import it; importing a later export updates the same events.",
                classes="dialog-help",
            )
            yield self.error_line("export-error")
            yield from self.buttons("export")

    def on_mount(self) -> None:
        field = self.query_one("#export-path", Input)
        field.focus()
        field.cursor_position = len(field.value)

    def check(self) -> Path:
        return chosen_path(self.query_one("#export-path", Input).value)
