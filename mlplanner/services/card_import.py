"""Import cards from CSV/TSV text, including Anki's "Notes in Plain Text" export.

Anki writes header lines before the notes, such as::

    #separator:tab
    #html:true
    #columns:Front	Back	Tags
    #tags column:3

Every row becomes a card of the learner's own. A card's id is derived from its topic and
text, so importing the same file twice adds nothing the second time.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, select

from ..curriculum import Curriculum
from ..errors import BadInput
from ..store.models import CardRecord
from .cards import MAX_TEXT, add_card, clean_tags
from .topics import UnknownTopic, resolve_topic

SEPARATORS = {
    "tab": "\t",
    "comma": ",",
    "semicolon": ";",
    "space": " ",
    "pipe": "|",
    "colon": ":",
}


# The header lines Anki writes; "notetype", "deck" and "tags" name one value for all rows.
HEADER_KEYS = {
    "separator",
    "html",
    "columns",
    "tags column",
    "guid column",
    "notetype column",
    "deck column",
    "notetype",
    "deck",
    "tags",
}


class CardImportError(BadInput):
    """The file as a whole cannot be imported (unreadable, no topic for its cards...)."""

    title = "Import"


@dataclass
class ImportReport:
    added: int = 0
    already_there: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, message)


@dataclass
class _Format:
    separator: str | None = None
    html: bool = False
    columns: list[str] | None = None
    tags_column: int | None = None  # 1-based, as Anki writes it
    ignored: set[int] = field(default_factory=set)  # 1-based: guid, notetype, deck columns
    tags: str = ""  # tags for every row


_BREAK = re.compile(r"<br\s*/?>|</div>\s*<div>|</p>\s*<p>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def html_to_text(text: str) -> str:
    """Anki fields hold HTML: keep line breaks and code, drop the markup."""
    text = _BREAK.sub("\n", text)
    text = re.sub(r"<(b|strong)>(.*?)</\1>", r"**\2**", text, flags=re.IGNORECASE | re.DOTALL)
    text = re.sub(r"<(i|em)>(.*?)</\1>", r"*\2*", text, flags=re.IGNORECASE | re.DOTALL)
    text = re.sub(r"<code>(.*?)</code>", r"`\1`", text, flags=re.IGNORECASE | re.DOTALL)
    return html.unescape(_TAG.sub("", text)).strip()


def card_id(topic_id: str, front: str, back: str) -> str:
    digest = hashlib.sha256(f"{topic_id}\x1f{front}\x1f{back}".encode()).hexdigest()
    return f"import-{digest[:20]}"


def _read_header(lines: list[str]) -> tuple[_Format, int, list[tuple[int, str]]]:
    fmt, problems, count = _Format(), [], 0
    for number, line in enumerate(lines, start=1):
        if not line.startswith("#") or ":" not in line:
            break
        key, _, value = line[1:].partition(":")
        key, value = key.strip().lower(), value.strip()
        if key not in HEADER_KEYS:
            break  # a card that happens to start with '#', not one of Anki's header lines
        count = number
        if key == "separator":
            separator = SEPARATORS.get(value.lower(), value if len(value) == 1 else None)
            if separator is None:
                problems.append((number, f"unknown separator {value!r}"))
            fmt.separator = separator
        elif key == "html":
            fmt.html = value.lower() == "true"
        elif key == "columns":
            fmt.columns = [c.strip().lower() for c in re.split(r"[\t,;|]", value)]
        elif key == "tags column":
            fmt.tags_column = int(value) if value.isdigit() else None
        elif key in ("guid column", "notetype column", "deck column") and value.isdigit():
            fmt.ignored.add(int(value))
        elif key == "tags":
            fmt.tags = value
    return fmt, count, problems


def _sniff(line: str) -> str:
    for separator in ("\t", ";", ","):
        if separator in line:
            return separator
    return "\t"


def parse(text: str) -> tuple[list[tuple[int, dict[str, str]]], list[tuple[int, str]]]:
    """Rows as (line number, {"front", "back", "tags", "topic"}) and problems by line."""
    lines = text.splitlines()
    fmt, skip, problems = _read_header(lines)
    body = lines[skip:]
    first_data = next((line for line in body if line.strip()), "")
    separator = fmt.separator or _sniff(first_data)
    reader = csv.reader(io.StringIO("\n".join(body)), delimiter=separator)
    rows = []
    named = fmt.columns
    for record in reader:
        number = skip + reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if named is None and [c.strip().lower() for c in record[:2]] == ["front", "back"]:
            named = [c.strip().lower() for c in record]  # a plain CSV header row
            continue
        fields = [cell for index, cell in enumerate(record, start=1) if index not in fmt.ignored]
        tags = ""
        if fmt.tags_column and fmt.tags_column <= len(record):
            tags = record[fmt.tags_column - 1]
        kept_names = None
        if named is not None:
            kept_names = [n for i, n in enumerate(named, start=1) if i not in fmt.ignored]
        values: dict[str, str] = {}
        if kept_names:
            for name, cell in zip(kept_names, fields, strict=False):
                values.setdefault(name, cell)
        else:
            positional = [
                cell
                for index, cell in enumerate(record, start=1)
                if index not in fmt.ignored and index != fmt.tags_column
            ]
            values = dict(zip(("front", "back", "topic"), positional, strict=False))
        if tags:
            values["tags"] = tags
        if fmt.tags:
            values["tags"] = f"{fmt.tags} {values.get('tags', '')}".strip()
        front, back = values.get("front", ""), values.get("back", "")
        if fmt.html:
            front, back = html_to_text(front), html_to_text(back)
        front, back = front.strip(), back.strip()
        if not front or not back:
            side = "front" if not front else "back"
            problems.append((number, f"the {side} is empty (a card needs a front and a back)"))
            continue
        if len(front) > MAX_TEXT or len(back) > MAX_TEXT:
            problems.append((number, f"a side is longer than {MAX_TEXT:,} characters"))
            continue
        rows.append(
            (
                number,
                {
                    "front": front,
                    "back": back,
                    "tags": values.get("tags", ""),
                    "topic": values.get("topic", "").strip(),
                },
            )
        )
    return rows, problems


def import_cards(
    session: Session,
    curriculum: Curriculum,
    path: Path,
    now: datetime,
    topic_id: str | None = None,
) -> ImportReport:
    """Import the file's good rows, report the bad ones by line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CardImportError(
            f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    except OSError as exc:
        raise CardImportError(f"{path}: {exc.strerror or exc}") from None
    if topic_id is not None:
        try:
            topic_id = resolve_topic(curriculum, topic_id)
        except UnknownTopic as exc:
            raise CardImportError(str(exc)) from None
    rows, problems = parse(text)
    report = ImportReport(problems=list(problems))
    wanted: list[tuple[int, str, dict[str, str]]] = []
    for number, row in rows:
        topic = topic_id
        if row["topic"]:
            try:
                topic = resolve_topic(curriculum, row["topic"])
            except UnknownTopic as exc:
                report.problems.append((number, str(exc)))
                continue
        if topic is None:
            report.problems.append(
                (number, "no topic: pass --topic ID, or add a 'topic' column to the file")
            )
            continue
        wanted.append((number, card_id(topic, row["front"], row["back"]), {**row, "topic": topic}))
    ids = [cid for _, cid, _ in wanted]
    existing = set()
    for start in range(0, len(ids), 500):
        existing |= set(
            session.exec(
                select(CardRecord.id).where(col(CardRecord.id).in_(ids[start : start + 500]))
            )
        )
    for _number, cid, row in wanted:
        if cid in existing:
            report.already_there += 1
            continue
        add_card(
            session, row["topic"], row["front"], row["back"], now, clean_tags(row["tags"]), cid
        )
        session.flush()
        existing.add(cid)
        report.added += 1
    report.problems.sort()
    return report
