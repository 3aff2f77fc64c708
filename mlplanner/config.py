"""Where things live and the user's config file, resolved once at start."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from .errors import PlannerError

APP_NAME = "mlplanner"


class ConfigError(PlannerError):
    """The config file or a location option is unusable; the message says why."""

    title = "Config"


class Paths(NamedTuple):
    """Where the database, the user's data and config, and any extra content are."""

    data_dir: Path
    config_file: Path
    db_url: str
    content_dir: Path | None


def db_url_from(value: str) -> str:
    """A SQLAlchemy URL from what a user typed: a URL as is, a path as a SQLite file."""
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


_XDG = {"data": ("XDG_DATA_HOME", "~/.local/share"), "config": ("XDG_CONFIG_HOME", "~/.config")}


def user_dir(kind: str) -> str:
    """The user's `kind` ("data" or "config") folder for the app, as platformdirs gives it.

    On Linux it is the XDG rule, worked out here: importing platformdirs (and the
    temporary-file machinery it loads) costs a quick command more than its answer. Any
    other system, Android, or a home that is not an absolute path asks platformdirs."""
    variable, default = _XDG[kind]
    home = os.environ.get("HOME", "")
    if (
        sys.platform == "linux"
        and not hasattr(sys, "getandroidapilevel")
        and not (os.environ.get("ANDROID_DATA") or os.environ.get("ANDROID_ROOT"))
        and os.path.isabs(home)
    ):
        base = os.environ.get(variable, "")
        if not os.path.isabs(base):
            base = os.path.expanduser(default)
        return os.path.join(base, APP_NAME)
    import platformdirs

    if kind == "data":
        return platformdirs.user_data_dir(APP_NAME, appauthor=False)
    return platformdirs.user_config_dir(APP_NAME, appauthor=False)


def resolve_paths(
    db: str | None = None,
    content: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Paths:
    env = os.environ if env is None else env
    data_dir = Path(user_dir("data"))
    config_dir = Path(user_dir("config"))
    db_value = db or env.get("MLPLANNER_DB")
    db_url = db_url_from(db_value) if db_value else f"sqlite:///{data_dir / 'mlplanner.db'}"
    content_value = content or env.get("MLPLANNER_CONTENT")
    content_dir = Path(content_value).expanduser() if content_value else None
    config_file = Path(env.get("MLPLANNER_CONFIG") or config_dir / "config.toml")
    return Paths(data_dir, config_file, db_url, content_dir)


NO_KEYS: Mapping[str, str] = MappingProxyType({})


class UserConfig(NamedTuple):
    """`config.toml`: key bindings by binding id, and display choices."""

    keys: Mapping[str, str] = NO_KEYS
    first_weekday: int = 0

    @classmethod
    def load(cls, path: Path) -> UserConfig:
        if not path.exists():
            return cls()
        import tomllib  # only when there is a file: most commands run without one

        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read config: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}") from None
        keys = data.get("keys", {})
        if not isinstance(keys, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in keys.items()
        ):
            raise ConfigError(f'{path}: [keys] must map binding ids to key names, e.g. help = "f1"')
        first_weekday = data.get("ui", {}).get("first_weekday", 0)
        if not isinstance(first_weekday, int) or not 0 <= first_weekday <= 6:
            raise ConfigError(f"{path}: [ui] first_weekday must be 0 (Monday) to 6 (Sunday)")
        return cls(keys=dict(keys), first_weekday=first_weekday)
