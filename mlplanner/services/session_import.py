"""Study sessions from time trackers: Timewarrior's `timew export` JSON, Toggl Track's
detailed CSV export, and mlplanner's own CSV export (`export sessions`).

Each interval becomes a logged session. Tags (Timewarrior) or the project and tags
(Toggl) pick the topic through a map (`tag=topic`); a label that is a topic id picks it
by itself. A session already stored, or one overlapping stored time, is reported and
skipped, so importing the same file again adds nothing. A row that cannot be read is
reported with its line and the others imported.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session

from ..clock import Clock
from ..curriculum import Curriculum
from ..errors import BadInput
from . import logbook
from .topics import resolve_topic

SOURCES = ("manual", "timer", "import")


class SessionFileError(BadInput):
    """Nothing in the file could be read."""

    title = "Session import"


class Format(StrEnum):
    TIMEWARRIOR = "timewarrior"
    TOGGL = "toggl"
    CSV = "csv"


# Toggl Track's detailed report, exported as CSV (its documented columns).
TOGGL_COLUMNS = (
    "User",
    "Email",
    "Client",
    "Project",
    "Task",
    "Description",
    "Billable",
    "Start date",
    "Start time",
    "End date",
    "End time",
    "Duration",
    "Tags",
)


@dataclass(frozen=True)
class Interval:
    """One session read from a file, before it is stored."""

    line: int
    start: datetime  # aware
    end: datetime
    labels: tuple[str, ...] = ()  # tags, project: what a map turns into a topic
    topic_id: str | None = None  # mlplanner's own export names the topic itself
    note: str = ""
    source: str = "import"


@dataclass
class ImportReport:
    read: int = 0
    added: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)  # duplicates, overlaps, open
    problems: list[tuple[int, str]] = field(default_factory=list)  # rows that are wrong

    @property
    def nothing_read(self) -> bool:
        """Every row was wrong: not a single session could be taken from the file."""
        return bool(self.problems) and not self.added and not self.skipped


def parse_map(curriculum: Curriculum, pairs: Iterable[str]) -> dict[str, str]:
    """`tag=topic` (or `project=topic`) pairs into label -> topic id; an unknown topic is
    refused with the closest ids (UnknownTopic, a BadInput)."""
    mapping = {}
    for pair in pairs:
        label, sep, topic = pair.partition("=")
        if not sep or not label.strip() or not topic.strip():
            raise BadInput(f"--map takes LABEL=TOPIC, not '{pair}'")
        mapping[label.strip().casefold()] = resolve_topic(curriculum, topic)
    return mapping


def detect_format(path: Path, text: str) -> Format:
    stripped = text.lstrip("\ufeff \t\r\n")
    if path.suffix.lower() == ".json" or stripped.startswith("["):
        return Format.TIMEWARRIOR
    header = next(csv.reader(io.StringIO(stripped)), [])
    if "Start date" in header and "Start time" in header:
        return Format.TOGGL
    return Format.CSV


def _timew_instant(value: object) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"a time is text like 20261130T183000Z, not {value!r}")
    try:
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise ValueError(f"'{value}' is not a time like 20261130T183000Z") from None


def read_timewarrior(text: str, report: ImportReport) -> list[Interval]:
    """`timew export`: a JSON array of {id, start, end, tags, annotation}; an interval still
    open (no `end`) is skipped."""
    try:
        entries = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SessionFileError(f"not Timewarrior JSON: {exc.msg} (line {exc.lineno})") from None
    if not isinstance(entries, list):
        raise SessionFileError("not Timewarrior JSON: expected a list of intervals")
    # `timew export` writes one interval a line; otherwise count them from 1.
    object_lines = [n for n, line in enumerate(text.splitlines(), 1) if line.lstrip()[:1] == "{"]
    if len(object_lines) != len(entries):
        object_lines = list(range(1, len(entries) + 1))
    intervals = []
    for line, entry in zip(object_lines, entries, strict=True):
        if not isinstance(entry, dict):
            report.problems.append((line, "an interval is an object with start and end"))
            continue
        if "end" not in entry:
            report.skipped.append((line, "the interval is still open (no end): skipped"))
            continue
        try:
            start = _timew_instant(entry.get("start"))
            end = _timew_instant(entry.get("end"))
            tags = entry.get("tags", [])
            if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
                raise ValueError("tags are a list of text")
            annotation = entry.get("annotation", "")
            if not isinstance(annotation, str):
                raise ValueError("the annotation is text")
        except ValueError as exc:
            report.problems.append((line, str(exc)))
            continue
        intervals.append(Interval(line, start, end, tuple(tags), note=annotation))
    return intervals


def _rows(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = list(reader.fieldnames or [])
    rows = []
    ended = reader.line_num
    for row in reader:
        rows.append((ended + 1, row))  # where the row begins (a quoted note may span lines)
        ended = reader.line_num
    return header, rows


def _toggl_duration(value: str) -> timedelta:
    hours, minutes, seconds = (int(p) for p in value.split(":"))
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)


def read_toggl(text: str, tz: ZoneInfo, report: ImportReport) -> list[Interval]:
    """Toggl Track's detailed CSV: dates and times in the profile's zone (`tz`)."""
    header, rows = _rows(text)
    missing = [c for c in ("Start date", "Start time", "End date", "End time") if c not in header]
    if missing:
        raise SessionFileError(f"not a Toggl detailed export: no {', '.join(missing)} column")
    intervals = []
    for line, row in rows:
        try:
            start = datetime.fromisoformat(f"{row['Start date']}T{row['Start time']}")
            end = datetime.fromisoformat(f"{row['End date']}T{row['End time']}")
            # In UTC: aware times in one zone subtract as wall-clock times.
            start = start.replace(tzinfo=tz).astimezone(UTC)
            end = end.replace(tzinfo=tz).astimezone(UTC)
            if (row.get("Duration") or "").count(":") == 2:
                # Toggl's duration is exact where the wall clock repeats an hour.
                end = start + _toggl_duration(row["Duration"])
        except (ValueError, TypeError):
            report.problems.append((line, "cannot read the start or end date and time"))
            continue
        labels = [row.get("Project") or ""]
        labels += [t.strip() for t in (row.get("Tags") or "").split(",")]
        intervals.append(
            Interval(
                line,
                start,
                end,
                tuple(label for label in labels if label),
                note=row.get("Description") or "",
            )
        )
    return intervals


def read_own_csv(text: str, report: ImportReport) -> list[Interval]:
    """mlplanner's `export sessions` CSV (older exports with minutes only are read too)."""
    header, rows = _rows(text)
    if "started_at_utc" not in header:
        raise SessionFileError("not an mlplanner sessions export: no started_at_utc column")
    intervals = []
    for line, row in rows:
        try:
            start = datetime.fromisoformat(row["started_at_utc"])
            if start.tzinfo is None:
                start = start.replace(tzinfo=UTC)
            if row.get("seconds"):
                length = timedelta(seconds=int(row["seconds"]))
            else:
                length = timedelta(minutes=float(row["minutes"]))
        except (ValueError, TypeError, KeyError):
            report.problems.append((line, "cannot read started_at_utc and seconds"))
            continue
        source = row.get("source") or "import"
        intervals.append(
            Interval(
                line,
                start,
                start + length,
                topic_id=row.get("topic_id") or None,
                note=row.get("note") or "",
                source=source if source in SOURCES else "import",
            )
        )
    return intervals


def _topic(interval: Interval, mapping: dict[str, str], curriculum: Curriculum) -> str | None:
    if interval.topic_id:
        return interval.topic_id
    for label in interval.labels:
        if label.casefold() in mapping:
            return mapping[label.casefold()]
    for label in interval.labels:
        if curriculum.has_topic(label):
            return label
    return None


def import_sessions(
    session: Session,
    clock: Clock,
    curriculum: Curriculum,
    path: Path,
    fmt: str | None = None,
    tz: ZoneInfo | None = None,
    mapping: dict[str, str] | None = None,
) -> ImportReport:
    """Log the file's sessions; raises SessionFileError for a file that cannot be read at
    all (the rows' problems are in the report)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SessionFileError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise SessionFileError(f"{path}: not UTF-8 text") from None
    kind = Format(fmt) if fmt else detect_format(path, text)
    zone = tz or ZoneInfo("UTC")
    report = ImportReport()
    try:
        if kind is Format.TIMEWARRIOR:
            intervals = read_timewarrior(text, report)
        elif kind is Format.TOGGL:
            intervals = read_toggl(text, zone, report)
        else:
            intervals = read_own_csv(text, report)
    except SessionFileError as exc:
        raise SessionFileError(f"{path}: {exc}") from None
    report.read = len(intervals)
    for interval in intervals:
        try:
            logbook.log_session(
                session,
                clock,
                interval.end.astimezone(UTC) - interval.start.astimezone(UTC),
                started_at=interval.start.astimezone(UTC),
                topic_id=_topic(interval, mapping or {}, curriculum),
                note=interval.note,
                source=interval.source,
                allow_overlap=False,
                tz=zone,
            )
            session.flush()  # later rows of the same file are checked against this one
        except logbook.OverlapError as exc:
            report.skipped.append((interval.line, str(exc)))
        except logbook.LogError as exc:
            report.problems.append((interval.line, str(exc)))
        else:
            report.added += 1
    report.problems.sort()
    report.skipped.sort()
    return report
