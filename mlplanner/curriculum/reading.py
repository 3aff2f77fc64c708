"""The tools every content reader shares: where an id or a key sits in a file, and
checks of a table's fields that report problems instead of raising."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .model import Problem

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ID_LINE = re.compile(r"""^\s*id\s*=\s*["']([^"']*)["']""")


class Lines:
    """Finds the line of a key or an id in a file's text; TOML parsers give none."""

    def __init__(self, text: str):
        self.lines = text.splitlines()
        self._ids: dict[str, int] | None = None

    def of_id(self, item_id: Any) -> int | None:
        if not isinstance(item_id, str):
            return None
        if self._ids is None:  # one pass over the file, then every lookup is a dict read
            self._ids = {}
            for number, line in enumerate(self.lines, start=1):
                found = ID_LINE.match(line)
                if found:
                    self._ids.setdefault(found.group(1), number)
        return self._ids.get(item_id)

    def of_key(self, key: str, after: int | None) -> int | None:
        pattern = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
        for number in range((after or 1) - 1, len(self.lines)):
            if pattern.match(self.lines[number]):
                return number + 1
        return after

    def of_header(self, header: str) -> int | None:
        for number, line in enumerate(self.lines, start=1):
            if line.strip() == header:
                return number
        return None


@dataclass
class FileReader:
    """Validates one parsed file; appends problems instead of raising."""

    path: Path
    lines: Lines
    problems: list[Problem] = field(default_factory=list)

    def problem(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def fields(
        self,
        table: Any,
        where: str,
        line: int | None,
        required: dict[str, tuple[type, ...]],
        optional: dict[str, tuple[type, ...]],
    ) -> dict[str, Any] | None:
        """Check a table's keys and value types; None when a value is missing or unusable.

        Unknown keys are reported but do not make the table unusable, so the checks
        that follow still run and the author sees every problem at once.
        """
        if not isinstance(table, dict):
            self.problem(line, f"{where} must be a table, not {type_name(table)}")
            return None
        ok = True
        values: dict[str, Any] = {}
        for key in table:
            if key not in required and key not in optional:
                known = ", ".join(sorted({*required, *optional}))
                self.problem(
                    self.lines.of_key(str(key), line),
                    f"{where}: unknown field '{key}' (known fields: {known})",
                )
        for key, types in {**required, **optional}.items():
            if key not in table:
                if key in required:
                    self.problem(line, f"{where}: missing field '{key}'")
                    ok = False
                continue
            value = table[key]
            if isinstance(value, bool) or not isinstance(value, types):
                expected = " or ".join(TYPE_NAMES.get(t, t.__name__) for t in types)
                self.problem(
                    self.lines.of_key(key, line),
                    f"{where}: field '{key}' must be {expected}, not {type_name(value)}",
                )
                ok = False
                continue
            values[key] = value
        return values if ok else None

    def text(self, values: dict[str, Any], key: str, where: str, line: int | None) -> bool:
        if not values[key].strip():
            self.problem(self.lines.of_key(key, line), f"{where}: field '{key}' is empty")
            return False
        return True

    def string_list(self, values: dict[str, Any], key: str, where: str, line: int | None) -> bool:
        items = values.get(key, [])
        bad = [item for item in items if not isinstance(item, str) or not item.strip()]
        if bad:
            self.problem(
                self.lines.of_key(key, line),
                f"{where}: every entry of '{key}' must be a non-empty string",
            )
            return False
        return True

    def slug(self, value: str, where: str, line: int | None) -> bool:
        if not SLUG.match(value):
            self.problem(
                line,
                f"{where}: id '{value}' is not a slug (lowercase letters, digits and '-')",
            )
            return False
        return True


TYPE_NAMES = {
    str: "a string",
    int: "an integer",
    float: "a number",
    list: "a list",
    dict: "a table",
}


def type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return TYPE_NAMES.get(type(value), type(value).__name__)


def valid_url(url: str) -> bool:
    if any(ch.isspace() for ch in url):
        return False
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname) and "." in parts.netloc
    except ValueError:
        return False
