"""The cached curriculum parse: used when current, never trusted blindly."""

from __future__ import annotations

import hashlib
import os
import pickle

import pytest

from mlplanner.curriculum import cache, loader
from mlplanner.curriculum.cache import CACHE_NAME, FORMAT, load_curriculum_cached
from mlplanner.curriculum.files import bundled_content_dir

STAGE = """\
[stage]
id = "extra-stage"
title = "Extra"
order = 99
summary = "x"

[[topics]]
id = "extra-topic"
title = "{title}"
summary = "x"
objectives = ["x"]
hours = 2
"""


@pytest.fixture
def parses(monkeypatch):
    """Counts the real parses."""
    calls = []
    real = loader.load_curriculum

    def counted(extra=None):
        calls.append(extra)
        return real(extra)

    monkeypatch.setattr(loader, "load_curriculum", counted)
    return calls


def test_the_second_load_reads_the_cache(tmp_path, parses):
    first = load_curriculum_cached(None, tmp_path)
    second = load_curriculum_cached(None, tmp_path)
    assert len(parses) == 1
    assert second.curriculum == first.curriculum == loader.load_curriculum().curriculum
    assert [t.id for t in second.curriculum.topics] == [t.id for t in first.curriculum.topics]
    assert (tmp_path / CACHE_NAME).stat().st_mode & 0o077 == 0


def test_a_changed_content_file_is_parsed_again(tmp_path, parses):
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "stage.toml").write_text(STAGE.format(title="First title"))
    data = tmp_path / "data"
    assert (
        load_curriculum_cached(extra, data).curriculum.topic("extra-topic").title == "First title"
    )
    (extra / "stage.toml").write_text(STAGE.format(title="Other title"))
    again = load_curriculum_cached(extra, data)
    assert again.curriculum.topic("extra-topic").title == "Other title"
    assert len(parses) == 2
    load_curriculum_cached(extra, data)
    assert len(parses) == 2


def test_a_user_files_problems_come_from_the_cache_too(tmp_path, parses):
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "broken.toml").write_text("[stage\n")
    first = load_curriculum_cached(extra, tmp_path / "data")
    second = load_curriculum_cached(extra, tmp_path / "data")
    assert len(parses) == 1
    assert first.user_problems and second.user_problems == first.user_problems


def _rewrite(path, payload=None, key=None, header=None):
    """Store other parts under a digest that matches them."""
    data = path.read_bytes()
    stored_key = data[len(FORMAT) : len(FORMAT) + 32]
    body = data[len(FORMAT) + 64 :]
    size = int.from_bytes(body[:4], "big")
    header = body[4 : 4 + size] if header is None else header
    payload = body[4 + size :] if payload is None else payload
    body = len(header).to_bytes(4, "big") + header + payload
    path.write_bytes(
        FORMAT + (key or stored_key) + hashlib.blake2b(body, digest_size=32).digest() + body
    )


class Boom:
    def __reduce__(self):
        return (os.system, ("echo never run",))


@pytest.mark.parametrize(
    "damage",
    [
        "empty",
        "truncated",
        "flipped",
        "garbage",
        "foreign class",
        "wrong shape",
        "not a curriculum",
        "other key",
        "bad header",
    ],
)
def test_a_damaged_or_foreign_cache_is_ignored_and_replaced(tmp_path, parses, damage):
    expected = load_curriculum_cached(None, tmp_path).curriculum
    path = tmp_path / CACHE_NAME
    data = path.read_bytes()
    if damage == "empty":
        path.write_bytes(b"")
    elif damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flipped":
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :])
    elif damage == "garbage":
        path.write_bytes(os.urandom(len(data)))
    elif damage == "foreign class":  # a valid digest does not make any class welcome
        _rewrite(path, pickle.dumps((Boom(), [])))
    elif damage == "wrong shape":
        _rewrite(path, pickle.dumps(["a", "list"]))
    elif damage == "not a curriculum":
        _rewrite(path, pickle.dumps(({"track": None}, [])))
    elif damage == "other key":
        _rewrite(path, key=b"\0" * 32)
    elif damage == "bad header":
        _rewrite(path, header=b"{not json")
    again = load_curriculum_cached(None, tmp_path)
    assert again.curriculum == expected
    assert len(parses) == 2  # parsed again…
    load_curriculum_cached(None, tmp_path)
    assert len(parses) == 2  # …and the cache rewritten


def test_a_cache_that_cannot_be_written_is_no_error(tmp_path, parses):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder would be")
    assert load_curriculum_cached(None, blocked / "data").curriculum is not None
    assert load_curriculum_cached(None, blocked / "data").curriculum is not None
    assert len(parses) == 2


def test_unreadable_content_is_parsed_not_cached(tmp_path, parses, monkeypatch):
    monkeypatch.setattr(cache, "fingerprint", lambda extra: None)
    load_curriculum_cached(None, tmp_path)
    load_curriculum_cached(None, tmp_path)
    assert len(parses) == 2 and not (tmp_path / CACHE_NAME).exists()


def test_a_curriculum_that_fails_to_load_is_never_cached(tmp_path, monkeypatch):
    from mlplanner.curriculum.model import LoadResult, Problem

    failed = LoadResult(None, [Problem(bundled_content_dir(), None, "broken")])
    monkeypatch.setattr(loader, "load_curriculum", lambda extra=None: failed)
    assert load_curriculum_cached(None, tmp_path) is failed
    assert not (tmp_path / CACHE_NAME).exists()


def test_the_parsers_own_source_is_part_of_the_key(tmp_path):
    key = cache.fingerprint(None)
    assert key is not None and key == cache.fingerprint(None)
    assert cache.fingerprint(tmp_path / "missing") != key


def test_titles_and_warnings_come_from_a_current_cache_alone(tmp_path, parses):
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "stage.toml").write_text(STAGE.format(title="Extra title"))
    (extra / "broken.toml").write_text("[stage\n")
    data = tmp_path / "data"
    assert cache.titles_cached(extra, data) is None  # nothing cached yet
    loaded = load_curriculum_cached(extra, data)
    titles, warnings = cache.titles_cached(extra, data)
    assert titles == {t.id: t.title for t in loaded.curriculum.topics}
    assert titles["extra-topic"] == "Extra title"
    assert warnings == [str(p) for p in loaded.user_problems] and warnings
    (extra / "stage.toml").write_text(STAGE.format(title="Changed"))
    assert cache.titles_cached(extra, data) is None


@pytest.mark.parametrize(
    "header", [b"[]", b'{"titles": {"a": 1}, "warnings": []}', b'{"titles": {}}', b"\xff"]
)
def test_a_wrong_titles_part_is_no_answer(tmp_path, header):
    load_curriculum_cached(None, tmp_path)
    _rewrite(tmp_path / CACHE_NAME, header=header)
    assert cache.titles_cached(None, tmp_path) is None
