"""Anki's HTML fields as Markdown, and cloze notes as one card per cloze.

Anki keeps a field as HTML: `<div>` for each line, `<br>`, `<b>`, `<i>`, `<code>`, lists,
`<img src=...>` and `&nbsp;`. `html_to_markdown` reads it with the standard library's HTML
parser and writes the Markdown that the card views render: a line break as a hard break
(a backslash at the end of the line), a paragraph as a blank line, `**bold**`, `*italics*`,
`` `code` ``, `- ` and `1. ` list items, an image or a sound as a visible placeholder naming
its file. MathJax (`\\(...\\)`, `\\[...\\]`) is text to the parser and stays as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

HARD_BREAK = "\\\n"  # CommonMark: a backslash before the newline is a line break

_SOUND = re.compile(r"\[sound:([^\]]*)\]")
_INLINE = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`"}
_BLOCKS = {
    "div",
    "p",
    "ul",
    "ol",
    "li",
    "pre",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "tr",
}
_PARAGRAPHS = {"p", "ul", "ol", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "table"}
_SKIPPED = {"script", "style"}
_LIST_ITEM = re.compile(r"\s*(-|\d+\.) ")


class _ToMarkdown(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []  # finished lines; "" is a blank line between paragraphs
        self.line = ""
        self.lists: list[list[int]] = []  # one entry per open list: [next number] or [] for bullets
        self.skipping = 0
        self.pre = 0

    # The line being written ends: at a block's edge (a plain newline) or at <br>.
    def _end_line(self) -> None:
        if self.line.strip():
            self.lines.append(self.line.rstrip())
        self.line = ""

    def _paragraph(self) -> None:
        self._end_line()
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag == "br":
            if self.line.strip():
                self._end_line()
            else:
                self._paragraph()  # <br><br>: an empty line between two
        elif tag == "img":
            source = dict(attrs).get("src") or ""
            self.line += f"[image: {source.strip()}]"
        elif tag in _INLINE and not self.pre:
            self.line += _INLINE[tag]
        elif tag in ("ul", "ol"):
            self._paragraph() if not self.lists else self._end_line()
            self.lists.append([1] if tag == "ol" else [])
        elif tag == "li":
            self._end_line()
            indent = "   " * (len(self.lists) - 1)
            if self.lists and self.lists[-1]:
                number = self.lists[-1][0]
                self.lists[-1][0] += 1
                self.line = f"{indent}{number}. "
            else:
                self.line = f"{indent}- "
        elif tag == "pre":
            self._paragraph()
            self.lines.append("```")
            self.pre += 1
        elif tag in _PARAGRAPHS:
            self._paragraph()
        elif tag in _BLOCKS:
            self._end_line()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _INLINE and not self.pre:
            self.line += _INLINE[tag]
        elif tag in ("ul", "ol"):
            self._end_line()
            if self.lists:
                self.lists.pop()
            if not self.lists:
                self._paragraph()
        elif tag == "pre":
            self._end_line()
            self.lines.append("```")
            self.pre = max(0, self.pre - 1)
            self._paragraph()
        elif tag in _PARAGRAPHS:
            self._paragraph()
        elif tag in _BLOCKS:
            self._end_line()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.pre:
            parts = data.replace("\xa0", " ").split("\n")
            for part in parts[:-1]:
                self.lines.append(self.line + part)
                self.line = ""
            self.line += parts[-1]
            return
        # Outside <pre>, HTML collapses whitespace; &nbsp; is a plain space in Markdown.
        text = re.sub(r"[ \t\r\n]+", " ", data).replace("\xa0", " ")
        if not self.line.strip() or self.line.endswith(("- ", ". ")):
            text = text.lstrip()
        self.line += text

    def markdown(self) -> str:
        self.close()
        self._end_line()
        lines = list(self.lines)
        while lines and lines[0] == "":
            lines.pop(0)
        while lines and lines[-1] == "":
            lines.pop()
        # Two lines of one paragraph are two lines on the card: a hard break between them,
        # except before a list item and in code.
        out, in_code = [], False
        for index, line in enumerate(lines):
            if line == "```":
                in_code = not in_code
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if (
                not in_code
                and line not in ("", "```")
                and following not in ("", "```")
                and not _LIST_ITEM.match(following)
            ):
                line += "\\"
            out.append(line)
        return "\n".join(out)


def html_to_markdown(text: str) -> str:
    """An Anki field's HTML as Markdown; `[sound:x.mp3]` as `[sound: x.mp3]`."""
    parser = _ToMarkdown()
    parser.feed(text)
    markdown = parser.markdown()
    return _SOUND.sub(lambda m: f"[sound: {m.group(1).strip()}]", markdown)


_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)


@dataclass(frozen=True)
class Cloze:
    number: int
    front: str
    back: str


def cloze_numbers(text: str) -> list[int]:
    return sorted({int(m.group(1)) for m in _CLOZE.finditer(text)})


def cloze_cards(text: str, extra: str = "") -> list[Cloze]:
    """One card per cloze number: the front shows that cloze as `[...]` (or `[hint]`) and
    the others as plain text; the back shows the whole text, then the Back Extra field."""
    full = _CLOZE.sub(lambda m: m.group(2), text)
    back = f"{full}\n\n{extra}" if extra.strip() else full
    cards = []
    for number in cloze_numbers(text):

        def blank(match: re.Match[str], number: int = number) -> str:
            if int(match.group(1)) != number:
                return match.group(2)
            return f"[{match.group(3).strip()}]" if match.group(3) else "[...]"

        cards.append(Cloze(number, _CLOZE.sub(blank, text), back))
    return cards
