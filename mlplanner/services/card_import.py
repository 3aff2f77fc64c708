"""Import cards from CSV/TSV text, including Anki's "Notes in Plain Text" export.

Anki writes header lines before the notes, such as::

    #separator:tab
    #html:true
    #columns:Front	Back	Tags
    #tags column:3

Every row becomes a card of the learner's own. A card's id is derived from its topic and
text, so importing the same file twice adds nothing the second time.

Rows are written in batches, each its own short transaction opened by the caller's unit of
work, so a long import never holds the database for long: other processes (a `log`, an
answer in the TUI) take their turn between batches. An import cut short leaves whole
batches behind, and running it again adds only the rest.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from ..curriculum import Curriculum
from ..errors import BadInput
from ..store.models import CardRecord
from ..store.upserts import insert_ignoring_duplicates
from .cards import MAX_TEXT, clean_tags
from .topics import UnknownTopic, resolve_topic

# Rows per transaction: big enough that an import of 200,000 rows takes seconds, small
# enough that each transaction holds the write lock for a fraction of a second.
BATCH_ROWS = 5000

# Opens one unit of work (a session committed when the block ends), e.g. `Planner.session`.
UnitOfWork = Callable[[], AbstractContextManager[Session]]
# Called after each batch with (the line reached, the file's number of lines).
Progress = Callable[[int, int], None]

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
    problems: list[tuple[int, str]] = []
    rows = list(iter_rows(text, problems))
    return rows, problems


def iter_rows(text: str, problems: list[tuple[int, str]]) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of `text` as (line number, {"front", "back", "tags", "topic"}), read as they
    are asked for; a row that cannot be a card is added to `problems` by line instead."""
    lines = text.splitlines()
    fmt, skip, header_problems = _read_header(lines)
    problems.extend(header_problems)
    body = lines[skip:]
    first_data = next((line for line in body if line.strip()), "")
    separator = fmt.separator or _sniff(first_data)
    # A field may be as long as the file: read it whole, then refuse an over-long side by row.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO("\n".join(body)), delimiter=separator)
    named = fmt.columns
    has_nul = "\x00" in text
    for record in reader:
        number = skip + reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if has_nul and any("\x00" in cell for cell in record):
            problems.append((number, "a field holds a NUL byte (\\0); the row was skipped"))
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
        yield (
            number,
            {
                "front": front,
                "back": back,
                "tags": values.get("tags", ""),
                "topic": values.get("topic", "").strip(),
            },
        )


@dataclass(frozen=True)
class _Row:
    number: int  # the line in the file
    id: str
    topic_id: str
    front: str
    back: str
    tags: str


def read_text(curriculum: Curriculum, path: Path, topic_id: str | None) -> tuple[str, str | None]:
    """The file's text and the topic id for rows without one; refuses the file as a whole."""
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
    return text, topic_id


def _cards(
    text: str, curriculum: Curriculum, topic_id: str | None, report: ImportReport
) -> Iterator[_Row]:
    """The rows to import, each with its topic and id, read as they are asked for. A row
    repeated in the file comes once (the repeats count as already there); problems go to
    the report."""
    topics: dict[str, str | UnknownTopic] = {}  # what a topic column says, resolved once
    seen: set[str] = set()
    for number, row in iter_rows(text, report.problems):
        topic = topic_id
        if row["topic"]:
            if row["topic"] not in topics:
                try:
                    topics[row["topic"]] = resolve_topic(curriculum, row["topic"])
                except UnknownTopic as exc:
                    topics[row["topic"]] = exc
            resolved = topics[row["topic"]]
            if isinstance(resolved, UnknownTopic):
                report.problems.append((number, str(resolved)))
                continue
            topic = resolved
        if topic is None:
            report.problems.append(
                (number, "no topic: pass --topic ID, or add a 'topic' column to the file")
            )
            continue
        cid = card_id(topic, row["front"], row["back"])
        if cid in seen:
            report.already_there += 1
            continue
        seen.add(cid)
        tags = clean_tags(row["tags"]) if row["tags"] else ""
        yield _Row(number, cid, topic, row["front"], row["back"], tags)


def add_batch(session: Session, rows: Sequence[_Row], now: datetime) -> int:
    """Insert the rows not yet stored, after their topics' other cards; returns how many
    were added. Three statements whatever the number of rows: the ids already there, the
    highest position of each topic, and one insert that skips an id stored meanwhile."""
    if not rows:
        return 0
    existing = set(
        session.exec(select(CardRecord.id).where(col(CardRecord.id).in_([r.id for r in rows])))
    )
    fresh = [r for r in rows if r.id not in existing]
    if not fresh:
        return 0
    topics = sorted({r.topic_id for r in fresh})
    following = dict(zip(topics, _highest_positions(session, topics), strict=True))
    values: list[dict[str, Any]] = []
    for row in fresh:
        position = following[row.topic_id] + 1
        following[row.topic_id] = position
        values.append(
            {
                "id": row.id,
                "topic_id": row.topic_id,
                "front": row.front,
                "back": row.back,
                "tags": row.tags,
                "origin": "user",
                "position": position,
                "created_at": now,
                "updated_at": now,
            }
        )
    connection = session.connection()
    table = CardRecord.__table__  # type: ignore[attr-defined]
    statement = insert_ignoring_duplicates(connection.dialect.name, table, ["id"])
    added = connection.execute(statement.returning(table.c.id), values).all()
    return len(added)


def _highest_positions(session: Session, topics: list[str]) -> list[int]:
    """Each topic's highest card position (-1 without cards), in one statement: a scalar
    subquery per topic, each one lookup in the (topic_id, position) index."""
    highest = [
        select(func.coalesce(func.max(CardRecord.position), -1))
        .where(col(CardRecord.topic_id) == topic)
        .scalar_subquery()
        for topic in topics
    ]
    row = session.connection().execute(sa_select(*highest)).one()
    return [int(value) for value in row]


def import_cards(
    unit_of_work: UnitOfWork,
    curriculum: Curriculum,
    path: Path,
    now: datetime,
    topic_id: str | None = None,
    *,
    batch_rows: int = BATCH_ROWS,
    progress: Progress | None = None,
) -> ImportReport:
    """Import the file's good rows, report the bad ones by line.

    The file is read a batch at a time, between transactions; each batch of `batch_rows`
    rows is written in its own `unit_of_work()`, which commits it. `progress` hears after
    each batch the line reached and the file's number of lines."""
    text, topic_id = read_text(curriculum, path, topic_id)
    lines = text.count("\n") + (not text.endswith("\n"))
    report = ImportReport()
    rows = _cards(text, curriculum, topic_id, report)
    reached = 0
    while batch := list(islice(rows, batch_rows)):
        with unit_of_work() as session:
            added = add_batch(session, batch, now)
        report.added += added
        report.already_there += len(batch) - added
        reached = batch[-1].number
        if progress is not None:
            progress(reached, lines)
    if progress is not None and reached < lines:
        progress(lines, lines)
    report.problems.sort()
    return report
