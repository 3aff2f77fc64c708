"""`mlplanner completion SHELL`: tab completion for bash, zsh and fish (argcomplete)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .registry import Commands

if TYPE_CHECKING:
    from .context import Context

SHELLS = ("bash", "zsh", "fish")


def register(commands: Commands) -> None:
    parser = commands.add(
        "completion",
        help="print the shell code that completes mlplanner's commands",
        description=(
            "Print tab-completion code for your shell. Add it to your shell's start-up, e.g. "
            '`eval "$(mlplanner completion bash)"` in ~/.bashrc, the same with zsh in '
            "~/.zshrc, or `mlplanner completion fish | source` in config.fish."
        ),
        run=completion,
    )
    parser.add_argument("shell", choices=SHELLS)


def completion(args: argparse.Namespace, context: Context) -> None:
    import argcomplete

    print(argcomplete.shellcode(["mlplanner"], shell=args.shell), end="")


def complete_if_asked(parser: argparse.ArgumentParser) -> None:
    """Answer the shell's completion request (it sets _ARGCOMPLETE) and exit; otherwise a
    no-op that costs nothing: argcomplete is imported only when the shell asks."""
    import os

    if "_ARGCOMPLETE" in os.environ:
        import argcomplete

        argcomplete.autocomplete(parser)
