"""Every `--json` output in one shape: an object with `"version": 1` first, numbers of hours
rounded to two places, days as lists of objects with a `date` (documented in the README)."""

from __future__ import annotations

import json
from typing import Any

VERSION = 1


def rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, dict):
        return {key: rounded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [rounded(item) for item in value]
    return value


def emit(payload: dict[str, Any]) -> None:
    print(json.dumps({"version": VERSION, **rounded(payload)}, indent=2))
