"""`mlplanner serve` says where it listens, and warns when that is beyond this computer."""

from __future__ import annotations

import shlex

import pytest

from mlplanner.cli import main, serve


class FakeServer:
    started: list[FakeServer] = []

    def __init__(self, command: str, host: str, port: int, title: str) -> None:
        self.command, self.host, self.port = command, host, port

    def serve(self) -> None:
        FakeServer.started.append(self)


@pytest.fixture
def fake_server(monkeypatch):
    import textual_serve.server

    FakeServer.started = []
    monkeypatch.setattr(textual_serve.server, "Server", FakeServer)
    return FakeServer.started


def test_serve_binds_to_localhost_by_default_and_says_so(fake_server, tmp_path, capsys):
    db = tmp_path / "planner.db"
    assert main(["serve", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "serving on http://127.0.0.1:8000 — this computer only" in out
    assert "warning" not in out
    [server] = fake_server
    assert (server.host, server.port) == ("127.0.0.1", 8000)
    command = shlex.split(server.command)
    assert command[1:4] == ["-m", "mlplanner.cli.serve", "--db"]
    assert command[4] == f"sqlite:///{db.resolve()}"


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.7", "::"])
def test_serve_elsewhere_warns_that_the_network_can_use_it(fake_server, tmp_path, capsys, host):
    assert main(["serve", "--host", host, "--port", "8123", "--db", str(tmp_path / "p.db")]) == 0
    out = capsys.readouterr().out
    assert "warning" in out and "anyone on that network" in out
    assert fake_server[0].host == host and fake_server[0].port == 8123


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("localhost", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("example.org", False),
    ],
)
def test_which_hosts_are_this_computer(host, local):
    assert serve.is_local(host) is local


def test_a_port_out_of_range_is_refused(fake_server, tmp_path, capsys):
    assert main(["serve", "--port", "70000", "--db", str(tmp_path / "p.db")]) == 2
    assert "a port is a number from 1 to 65535" in capsys.readouterr().err
    assert fake_server == []
