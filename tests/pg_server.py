"""A throwaway PostgreSQL server for the test suite, started from the system's binaries."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def find_bin_dir() -> Path | None:
    """Where initdb and pg_ctl live: PATH first, then Debian's versioned folders."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).resolve().parent
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PgServer:
    bin_dir: Path
    data_dir: Path
    port: int
    user: str
    run_as: list[str]
    log_file: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        subprocess.run(
            [*self.run_as, *args], check=True, capture_output=True, text=True, timeout=120
        )

    def stop(self) -> None:
        subprocess.run(
            [
                *self.run_as,
                str(self.bin_dir / "pg_ctl"),
                "-D",
                str(self.data_dir),
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(self.data_dir.parent, ignore_errors=True)


def start_server() -> PgServer:
    """initdb into a temporary folder and start a server on a free loopback port.

    PostgreSQL refuses to run as root, so under root it runs as the `postgres` user."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise FileNotFoundError("no PostgreSQL server binaries (initdb, pg_ctl) found")
    root = Path(tempfile.mkdtemp(prefix="mlplanner-pg-"))
    data_dir, log_file = root / "data", root / "server.log"
    run_as: list[str] = []
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(root, account.pw_uid, account.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    server = PgServer(bin_dir, data_dir, _free_port(), "mlplanner", run_as, log_file)
    server._run(
        str(bin_dir / "initdb"), "-D", str(data_dir), "-A", "trust", "-U", server.user, "-E", "UTF8"
    )
    server._run(
        str(bin_dir / "pg_ctl"),
        "-D",
        str(data_dir),
        "-l",
        str(log_file),
        "-w",
        "-o",
        f"-p {server.port} -c listen_addresses=127.0.0.1 -k {root} -c fsync=off",
        "start",
    )
    return server
