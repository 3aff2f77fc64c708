"""Outside text made safe to show: the one place that cleans what users, content files and
imports supply before it reaches a screen or a terminal.

Terminal escape sequences (colour, cursor moves, window titles, OSC 52 clipboard writes)
are removed whole; any other control character is shown as its visible Unicode picture
(NUL as ␀, ESC as ␛), so nothing typed disappears silently; bidirectional overrides, which
can make text read differently from what it is, are removed. Tab and newline stay.
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

# ESC or its 8-bit C1 form, then the rest of the sequence:
_SEQUENCES = r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]                       # CSI … final byte
  | \x1b[\]PX^_][\s\S]*?(?:\x07|\x1b\\|\x9c|$)           # OSC, DCS, SOS, PM, APC … end
  | [\x90\x98\x9d\x9e\x9f][^\x07\x9c\x1b]*(?:\x07|\x9c|\x1b\\)  # their 8-bit forms, ended
  | \x1b[ -/]*[0-~]                                       # two- or three-byte ESC sequences
    """
_BIDI = "[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]"
_CONTROL = "[\x00-\x08\x0b-\x1f\x7f-\x9f]"
# What `printable` changes starts with one of these: text without any is left as it is.
_UNSAFE = re.compile(f"{_CONTROL[:-1]}{_BIDI[1:]}")


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The patterns `printable` cleans with, compiled when first needed (most text
    printed has nothing to clean: `is_plain`)."""
    return re.compile(_SEQUENCES, re.VERBOSE), re.compile(_BIDI), re.compile(_CONTROL)


SAFE_URL_SCHEMES = ("http", "https")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # a C1 control that was not part of a sequence


def printable(text: object, *, one_line: bool = False, limit: int | None = None) -> str:
    """`text` with escape sequences removed and other controls made visible.

    `one_line` folds newlines and tabs into spaces (table cells, titles, notifications);
    `limit` cuts to that many characters with an ellipsis."""
    value = text if isinstance(text, str) else str(text)
    if one_line or not is_plain(value):  # plain text is left as it is
        sequences, bidi, control = _patterns()
        value = value.replace("\r\n", "\n")
        value = sequences.sub("", value)
        value = bidi.sub("", value)
        if one_line:
            value = re.sub(r"[\t\n\r]+", " ", value)
        value = control.sub(_picture, value.replace("\r", "\n") if not one_line else value)
    if limit is not None and len(value) > limit:
        value = value[: max(0, limit - 1)] + "…"
    return value


def is_plain(text: str) -> bool:
    """True when `printable` leaves `text`, and any piece of it, exactly as it is (no
    control character but tab and newline, no bidirectional mark): one look instead of
    cleaning it piece by piece."""
    return _UNSAFE.search(text) is None


NUL_REFUSED = "the note contains a NUL character (\\0); remove it and try again"


def has_nul(text: str) -> bool:
    """NUL cannot be stored by PostgreSQL and is never meant: inputs carrying it are refused."""
    return "\x00" in text


def safe_url(url: str) -> bool:
    """Only web links are followed; anything else (file:, javascript:, custom schemes) is
    shown but not opened."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in SAFE_URL_SCHEMES and bool(parts.netloc)
