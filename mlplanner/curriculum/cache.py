"""The parsed curriculum, kept in a file between runs, keyed by the content's fingerprint.

Parsing and checking the content files takes longer than a quick command's whole answer;
reading them to hash them does not. The cache holds the result of `load_curriculum`
(only a usable one: a curriculum that fails to load is parsed again, to report its
problems) under a fingerprint of everything that result depends on: this file format,
the parser's own source, the content folders' paths and every `.toml` file in them (name
and bytes). It is never trusted blindly:

- a fingerprint that differs (a content file or the parser changed) is a miss;
- a digest of the stored bytes is checked before they are read, so a truncated or
  damaged file is a miss;
- only the curriculum's own classes may be rebuilt from it (a restricted unpickler), and
  the result must be a curriculum and a list of problems;
- the topics' titles and the warnings about the user's files are also kept as JSON ahead
  of the objects, for `timer status`, which needs one title (`read_titles`);

any miss parses the files as usual and rewrites the cache atomically (a temporary file
renamed over the old one), and failing to write it is not an error.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .files import bundled_content_dir, content_files

try:  # hashlib's blake2b, without hashlib loading OpenSSL (longer than a quick command)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover  (another Python: the same function, by hashlib)
    from hashlib import blake2b

if TYPE_CHECKING:
    from .model import LoadResult

CACHE_NAME = "curriculum.cache"
FORMAT = b"mlplanner curriculum cache 3\n"
DIGEST_SIZE = 32  # blake2b with 32-byte digests
HEADER_SIZE = 4  # the length of the JSON part, big-endian

_ALLOWED = {
    ("pathlib", "Path"),
    ("pathlib", "PosixPath"),
    ("pathlib", "WindowsPath"),
    ("pathlib", "PurePosixPath"),
    ("pathlib", "PureWindowsPath"),
}


def _hash(data: bytes) -> blake2b:
    return blake2b(data, digest_size=DIGEST_SIZE)


def fingerprint(extra: Path | None) -> bytes | None:
    """What the parse depends on, hashed; None when a file cannot be read (no caching)."""
    digest = _hash(FORMAT)
    digest.update(sys.version.encode())
    try:
        code = Path(__file__).resolve().parent
        for source in sorted(code.glob("*.py")):
            digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
        for folder in (bundled_content_dir(), extra):
            digest.update(b"\1folder\0" + str(folder).encode() + b"\0")
            if folder is None or not folder.is_dir():
                digest.update(b"absent\0")
                continue
            for path in content_files(folder):
                data = path.read_bytes()
                name = str(path.relative_to(folder)).encode()
                digest.update(name + b"\0" + str(len(data)).encode() + b"\0" + data)
    except (OSError, ValueError):
        return None
    return digest.digest()


def _unpickle(payload: bytes) -> object:
    """The objects in `payload`, rebuilt only from the curriculum's own classes and paths."""
    # pickle's own Unpickler and error, without the rest of the pickle module (the
    # pure-Python pickler it defines takes longer to load than reading the cache).
    from _pickle import Unpickler as BaseUnpickler
    from _pickle import UnpicklingError

    from . import model

    class Unpickler(BaseUnpickler):
        def find_class(self, module: str, name: str) -> Any:
            if module == model.__name__ and isinstance(getattr(model, name, None), type):
                return getattr(model, name)
            if (module, name) in _ALLOWED:
                return super().find_class(module, name)
            raise UnpicklingError(f"{module}.{name} is not part of a curriculum")

    return Unpickler(io.BytesIO(payload)).load()


def _checked(cache_file: Path, key: bytes) -> tuple[dict[str, Any], bytes] | None:
    """The JSON part and the pickled part of a cache for this fingerprint whose digest
    holds, or None."""
    try:
        data = cache_file.read_bytes()
    except OSError:
        return None
    head = len(FORMAT) + 2 * DIGEST_SIZE
    if len(data) < head + HEADER_SIZE or not data.startswith(FORMAT):
        return None
    stored_key = data[len(FORMAT) : len(FORMAT) + DIGEST_SIZE]
    stored_digest = data[len(FORMAT) + DIGEST_SIZE : head]
    body = data[head:]
    if stored_key != key or _hash(body).digest() != stored_digest:
        return None
    size = int.from_bytes(body[:HEADER_SIZE], "big")
    try:
        header = json.loads(body[HEADER_SIZE : HEADER_SIZE + size])
    except ValueError:
        return None
    if not isinstance(header, dict):
        return None
    return header, body[HEADER_SIZE + size :]


def read_titles(cache_file: Path, key: bytes) -> tuple[dict[str, str], list[str]] | None:
    """Each topic's title by id, and the warnings about the user's files, from a current
    cache (None: missing, stale or damaged)."""
    checked = _checked(cache_file, key)
    if checked is None:
        return None
    titles, warnings = checked[0].get("titles"), checked[0].get("warnings")
    if not (
        isinstance(titles, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in titles.items())
        and isinstance(warnings, list)
        and all(isinstance(w, str) for w in warnings)
    ):
        return None
    return titles, warnings


def read_cache(cache_file: Path, key: bytes) -> LoadResult | None:
    """The cached load for this fingerprint, or None (missing, stale or damaged)."""
    from .model import Curriculum, LoadResult, Problem

    checked = _checked(cache_file, key)
    if checked is None:
        return None
    try:
        loaded = _unpickle(checked[1])
    except Exception:  # whatever a damaged file raises: parse the files instead
        return None
    if not (isinstance(loaded, tuple) and len(loaded) == 2):
        return None
    curriculum, problems = loaded
    if not isinstance(curriculum, Curriculum) or not (
        isinstance(problems, list) and all(isinstance(p, Problem) for p in problems)
    ):
        return None
    return LoadResult(curriculum, [], problems)


def write_cache(cache_file: Path, key: bytes, loaded: LoadResult) -> bool:
    """Store a usable load atomically; False (and nothing changed) when it cannot be."""
    if loaded.curriculum is None or loaded.problems:
        return False
    header = json.dumps(
        {
            "titles": {t.id: t.title for t in loaded.curriculum.topics},
            "warnings": [str(p) for p in loaded.user_problems],
        }
    ).encode()
    import pickle

    payload = pickle.dumps((loaded.curriculum, loaded.user_problems), protocol=5)
    body = len(header).to_bytes(HEADER_SIZE, "big") + header + payload
    data = FORMAT + key + _hash(body).digest() + body
    temporary = cache_file.with_name(f".{cache_file.name}.{os.getpid()}.tmp")
    try:
        cache_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
        finally:
            os.close(handle)
        os.replace(temporary, cache_file)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        return False
    return True


class TopicName:
    __slots__ = ("id", "title")

    def __init__(self, topic_id: str, title: str) -> None:
        self.id = topic_id
        self.title = title


class TitleIndex:
    """The topics' ids and titles in roadmap order: what finding a topic by id or title
    and naming it read of the curriculum (`services.topics.resolve_topic`)."""

    def __init__(self, titles: dict[str, str]) -> None:
        self._titles = titles
        self.topics = tuple(TopicName(k, v) for k, v in titles.items())

    def has_topic(self, topic_id: str) -> bool:
        return topic_id in self._titles

    def topic_title(self, topic_id: str | None, default: str = "") -> str:
        return self._titles.get(topic_id, default) if topic_id else default


def titles_cached(extra: Path | None, cache_dir: Path) -> tuple[dict[str, str], list[str]] | None:
    """Topic titles and warnings from a current cache, or None: load the curriculum."""
    key = fingerprint(extra)
    return None if key is None else read_titles(cache_dir / CACHE_NAME, key)


def load_curriculum_cached(extra: Path | None, cache_dir: Path) -> LoadResult:
    """`load_curriculum(extra)`, from the cache in `cache_dir` when it is current."""
    cache_file = cache_dir / CACHE_NAME
    key = fingerprint(extra)
    if key is not None:
        cached = read_cache(cache_file, key)
        if cached is not None:
            return cached
    from .loader import load_curriculum

    loaded = load_curriculum(extra)
    if key is not None:
        write_cache(cache_file, key, loaded)
    return loaded
