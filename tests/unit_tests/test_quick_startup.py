"""What the quick commands skip loading gives the same answers as what it replaces: the
user's folders as platformdirs finds them, the command line as argparse reads it, the
curriculum cache's titles, and the printed text."""

from __future__ import annotations

import platformdirs
import pytest

from mlplanner import config


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"XDG_DATA_HOME": "/srv/data", "XDG_CONFIG_HOME": "/srv/config"},
        {"XDG_DATA_HOME": "relative/data", "XDG_CONFIG_HOME": ""},
        {"XDG_DATA_HOME": "/srv/data/", "XDG_CONFIG_HOME": "//etc/conf"},
    ],
)
@pytest.mark.parametrize("home", ["/home/ada", "/home/ada/", "/"])
def test_user_folders_are_where_platformdirs_puts_them(monkeypatch, env, home):
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("HOME", home)
    assert config.user_dir("data") == platformdirs.user_data_dir("mlplanner", appauthor=False)
    assert config.user_dir("config") == platformdirs.user_config_dir(
        "mlplanner", appauthor=False
    )


def test_without_a_usable_home_platformdirs_decides(monkeypatch):
    monkeypatch.setenv("HOME", "relative")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    asked = []
    monkeypatch.setattr(
        platformdirs, "user_data_dir", lambda *a, **k: asked.append(a) or "/from/platformdirs"
    )
    assert config.user_dir("data") == "/from/platformdirs"
    assert asked == [("mlplanner",)]
