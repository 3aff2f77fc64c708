"""Printing many lines at once: `week` and `block list` print hundreds."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from ..safe_text import is_plain

if TYPE_CHECKING:
    from collections.abc import Iterable


def print_lines(lines: Iterable[str]) -> None:
    """`print` each line, in one write when none holds anything to clean.

    The text printed for people is cleaned write by write (`SafeStream`); lines with
    something to clean are printed one by one, so each is cleaned as `print` would
    clean it (an unended escape sequence in one line never hides the next)."""
    lines = list(lines)
    text = "".join(f"{line}\n" for line in lines)
    if is_plain(text):
        sys.stdout.write(text)
        return
    for line in lines:
        print(line)
