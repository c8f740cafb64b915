"""The real served app for benches and tests: a fresh store of either kind, ``provenance serve``
(uvicorn) in a subprocess on a free loopback port, and an API key to write with."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx
from sqlalchemy import create_engine, text

from provenance import keys
from provenance.db import create_db_engine, upgrade

DEFAULT_POSTGRES = os.environ.get(
    "PROVENANCE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
"""The PostgreSQL server benches create their databases on, unless told another."""


@contextmanager
def fresh_store(kind: str, folder: Path | None = None, postgres_url: str = DEFAULT_POSTGRES) -> Iterator[str]:
    """A fresh, migrated store: a SQLite file in ``folder`` (a temporary one, removed afterwards,
    if none is given), or a PostgreSQL database of its own on the server at ``postgres_url``
    (dropped afterwards)."""
    if kind == "sqlite" and folder is None:
        with tempfile.TemporaryDirectory() as temporary, fresh_store(kind, Path(temporary)) as url:
            yield url
        return
    if kind == "sqlite":
        url = f"sqlite:///{folder}/bench-{uuid.uuid4().hex[:8]}.db"
        upgrade(url)
        yield url
        return
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    name = f"provenance_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A running ``provenance serve``: its address and process."""

    base_url: str
    process: subprocess.Popen[bytes]
    log: IO[bytes]  # the server's standard error

    def errors(self) -> str:
        """The end of what the server wrote to standard error."""
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-3000:]

    def kill(self, within_s: float = 30) -> None:
        """SIGKILL the server's process, as the kernel or an orchestrator would, and wait until its
        ingest workers have ended with it (so nothing commits after this returns)."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        deadline = time.monotonic() + within_s
        while group_members(self.process.pid):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server's workers outlived it by {within_s} s")
            time.sleep(0.05)


def group_members(group: int) -> list[int]:
    """Live processes (not zombies) of the process group ``group``."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(fields[2]) == group and fields[0] != "Z":
                members.append(int(entry.name))
    return members


@contextmanager
def served(database_url: str, startup_s: float = 60, **settings: str) -> Iterator[Server]:
    """``provenance serve`` on ``database_url`` until the block ends; ``settings`` are more
    ``PROVENANCE_*`` variables by their lower-case names (``ingest_workers="2"``); rate limits are
    off unless given, since load is what is measured. The server runs in a process group of its
    own, which is ended whole afterwards."""
    port = free_port()
    settings = {"rate_limit": "0", "rate_limit_anonymous": "0", **settings}
    env = {
        **os.environ,
        "PROVENANCE_DATABASE_URL": database_url,
        **{f"PROVENANCE_{name.upper()}": value for name, value in settings.items()},
    }
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "provenance", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
        )
        server = Server(f"http://127.0.0.1:{port}", process, log)
        try:
            wait_healthy(server, startup_s)
            yield server
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    server.kill()
            with contextlib.suppress(ProcessLookupError):  # anything of the group left behind
                os.killpg(process.pid, signal.SIGKILL)


def wait_healthy(server: Server, within_s: float) -> None:
    """Wait until ``/health`` answers 200; raise with the server's errors if it ends or never does."""
    deadline = time.monotonic() + within_s
    with httpx.Client(base_url=server.base_url, timeout=5) as client:
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                raise RuntimeError(f"the server ended with {server.process.returncode}: {server.errors()}")
            try:
                if client.get("/health").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
    raise RuntimeError(f"the server did not answer /health within {within_s} s")


def write_key(database_url: str, name: str) -> dict[str, str]:
    """A new key with the ``write`` scope in the store, as the header that sends it."""
    engine = create_db_engine(database_url)
    try:
        _, token = keys.create(engine, name, {keys.Scope.WRITE})
    finally:
        engine.dispose()
    return {"X-API-Key": token}
