"""Outside text is data: escape sequences never survive, controls stay visible."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlplanner.safe_text import printable, safe_url

HOSTILE = {
    "markup": "fixed [/] typo [bold]x[/bold] [@click=app.quit]quit[/]",
    "window title": "a\x1b]0;pwned\x07b",
    "osc52 clipboard": "x\x1b]52;c;cm0gLXJmIH4=\x1b\\y",
    "clear screen": "\x1b[2J\x1b[Hhello",
    "colour": "\x1b[31mred\x1b[0m",
    "c1 csi": "a\x9b31mb",
    "bidi override": "abc\u202edcba\u202c",
    "nul": "a\x00b",
    "bell and backspace": "a\x07\x08b",
    "dcs": "q\x1bPqstuff\x1b\\r",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_no_escape_byte_or_override_survives(name):
    out = printable(HOSTILE[name])
    assert "\x1b" not in out and "\x9b" not in out and "\u202e" not in out
    assert not any(ord(c) < 0x20 and c not in "\t\n" for c in out)


def test_what_is_not_a_sequence_stays_visible():
    assert printable("a\x00b") == "a␀b"
    assert printable("a\x07\x08b") == "a␇␈b"
    assert printable("x\x1b]52;c;cm0gLXJmIH4=\x1b\\y") == "xy"
    assert printable("\x1b[31mred\x1b[0m") == "red"
    assert printable(HOSTILE["markup"]) == HOSTILE["markup"]  # brackets are data, kept as is


def test_one_line_and_limit():
    assert printable("two\nlines\tand tab", one_line=True) == "two lines and tab"
    assert printable("x" * 100_000, limit=10) == "x" * 9 + "…"
    assert printable("é\u0301 🧑‍💻") == "é\u0301 🧑‍💻"  # combining marks and emoji joiners stay


@given(st.text())
def test_any_text_comes_out_free_of_escapes(text):
    out = printable(text)
    assert "\x1b" not in out
    assert all(c in "\t\n" or not (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F) for c in out)


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://pytorch.org/docs", True),
        ("http://example.com", True),
        ("file:///etc/passwd", False),
        ("javascript:alert(1)", False),
        ("vscode://open?x", False),
        ("https://", False),
    ],
)
def test_only_web_links_are_followed(url, ok):
    assert safe_url(url) is ok


def test_a_stray_c1_byte_does_not_swallow_the_rest():
    assert printable("caf\x9d and more") == "caf\ufffd and more"
