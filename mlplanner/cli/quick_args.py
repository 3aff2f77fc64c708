"""The quick commands' usual command lines, read without argparse.

Importing argparse and building even one command's parsers (its help formatter asks the
terminal's size, which loads shutil) takes a good part of `timer status`'s whole answer.
`read` takes the plain forms a prompt or a status bar runs — `timer status`, `week
[--date D] [--json]`, `block list [--json]`, `topics [WORDS] [--json]`, `log [DURATION]
[--topic T] [--at W | --end W] [--note N] [--allow-overlap]`, each with `--db`/`--content`
anywhere outside the command's words — and gives the very arguments argparse would.
Anything else (help, an abbreviated or repeated option, a value that starts with `-`,
`--`, a word after an option, a mistake) returns None: argparse reads it, and explains.
"""

from __future__ import annotations

from importlib import import_module
from types import SimpleNamespace
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from argparse import Namespace
    from collections.abc import Sequence

GLOBAL_OPTIONS = {"--db": "db", "--content": "content"}


class Form:
    """One quick command's plain form (a plain class: a NamedTuple costs more to make)."""

    __slots__ = ("words", "module", "handler", "fixed", "flags", "options", "defaults")
    __slots__ += ("positional", "exclusive")

    def __init__(
        self,
        words: tuple[str, ...],  # the command's words, e.g. ("timer", "status")
        module: str,  # the command module (in mlplanner.cli) with the handler
        handler: str,
        fixed: dict[str, str],  # what the subparsers' `dest`s record
        flags: dict[str, str],  # store_true options by their dest
        options: dict[str, str],  # options with a value by their dest
        defaults: dict[str, object],  # every argument's value when not given
        positional: tuple[str, str] | None = None,  # (dest, nargs "?" or "*")
        exclusive: tuple[str, ...] = (),  # options that cannot go together
    ) -> None:
        self.words = words
        self.module = module
        self.handler = handler
        self.fixed = fixed
        self.flags = flags
        self.options = options
        self.defaults = defaults
        self.positional = positional
        self.exclusive = exclusive


FORMS = (
    Form(
        ("timer", "status"),
        "timer",
        "status",
        {"command": "timer", "timer_command": "status"},
        {},
        {},
        {},
    ),
    Form(
        ("week",),
        "week",
        "week",
        {"command": "week"},
        {"--json": "json"},
        {"--date": "date"},
        {"date": None, "json": False},
    ),
    Form(
        ("block", "list"),
        "block",
        "list_blocks",
        {"command": "block", "block_command": "list"},
        {"--json": "json"},
        {},
        {"json": False},
    ),
    Form(
        ("topics",),
        "topics",
        "topics",
        {"command": "topics"},
        {"--json": "json"},
        {},
        {"search": [], "json": False},
        ("search", "*"),
    ),
    Form(
        ("log",),
        "logbook",
        "log",
        {"command": "log"},
        {"--allow-overlap": "allow_overlap"},
        {"--topic": "topic", "--at": "at", "--end": "end", "--note": "note"},
        {
            "duration": None,
            "topic": None,
            "at": None,
            "end": None,
            "note": "",
            "allow_overlap": False,
        },
        ("duration", "?"),
        ("--at", "--end"),
    ),
)


def _option(words: Sequence[str], index: int, names: dict[str, str]) -> tuple[str, str, int] | None:
    """(option, value, index after it) for `--name VALUE` or `--name=VALUE` at `index`."""
    word = words[index]
    name, equals, value = word.partition("=")
    if name not in names:
        return None
    if equals:
        return name, value, index + 1
    if index + 1 >= len(words) or words[index + 1].startswith("-"):
        return None  # argparse decides (a negative number is a value, an option is not)
    return name, words[index + 1], index + 2


def read(words: Sequence[str]) -> Namespace | None:
    """The arguments of a quick command's plain form, as argparse gives them; None for
    anything else."""
    values: dict[str, object] = {}
    seen: set[str] = set()

    def option_at(index: int, names: dict[str, str]) -> int | None:
        found = _option(words, index, names)
        if found is None or found[0] in seen:
            return None
        name, value, after = found
        seen.add(name)
        values[names[name]] = value
        return after

    index = 0
    while index < len(words) and words[index].startswith("-"):
        after = option_at(index, GLOBAL_OPTIONS)
        if after is None:
            return None
        index = after
    form = next((f for f in FORMS if tuple(words[index : index + len(f.words)]) == f.words), None)
    if form is None:
        return None
    index += len(form.words)
    values.update(form.fixed)
    values.update({k: list(v) if isinstance(v, list) else v for k, v in form.defaults.items()})
    options = {**GLOBAL_OPTIONS, **form.options}
    positionals: list[str] = []
    after_option = False
    while index < len(words):
        word = words[index]
        if word.startswith("-"):
            after_option = True
            if word in form.flags and word not in seen:
                seen.add(word)
                values[form.flags[word]] = True
                index += 1
                continue
            after = option_at(index, options)
            if after is None:
                return None
            index = after
            continue
        if form.positional is None or after_option:
            return None
        positionals.append(word)
        index += 1
    if form.positional is not None and positionals:
        dest, nargs = form.positional
        if nargs == "?" and len(positionals) > 1:
            return None
        values[dest] = positionals if nargs == "*" else positionals[0]
    if sum(name in seen for name in form.exclusive) > 1:
        return None
    handler = getattr(import_module(f"{__package__}.{form.module}"), form.handler)
    # Read by attribute, as a Namespace is.
    return cast("Namespace", SimpleNamespace(**values, run=handler))
