"""A lost store: 503 problem+json with ``Retry-After`` (never 500) while PostgreSQL is cut off or
no connection is free, and the same app answering again once it is back, with no restart."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

import pytest
from litestar.testing import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from provenance.api.app import create_app
from provenance.plugins import PluginRegistry
from provenance.settings import Settings


class Relay:
    """A TCP relay to the PostgreSQL server, to cut the store off as a network failure or a
    database restart would: :meth:`cut` closes the listener and every relayed connection,
    :meth:`restore` listens again on the same port."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        assert self._listener is not None
        with self._lock:
            for sock in (self._listener, *self._open):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)  # wakes the threads blocked on it, unlike close()
                sock.close()
            self._open.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:  # cut
                return
            server = socket.create_connection(self.target)
            with self._lock:
                self._open.update((client, server))
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                sock.close()


@pytest.fixture
def relay(postgres_url: str) -> Iterator[tuple[Relay, str]]:
    """A relay to the test database, and the store URL through it."""
    url = make_url(postgres_url)
    relay = Relay(url.host or "127.0.0.1", url.port or 5432)
    relay.restore()
    yield relay, url.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
    relay.cut()


@pytest.mark.postgres
def test_a_lost_store_answers_503_with_retry_after_and_the_app_recovers_when_it_returns(
    relay: tuple[Relay, str],
) -> None:
    proxy, url = relay
    settings = Settings(database_url=url, db_connect_timeout=2, db_retry_after=7, ingest_workers=1)
    with TestClient(create_app(settings, PluginRegistry.create(settings, False))) as client:
        assert client.get("/v1/claims").status_code == 200
        proxy.cut()
        for method, path, body in [
            ("GET", "/v1/claims", None),
            ("GET", "/health", None),
            ("POST", "/v1/match", {"text": "We will keep the clinics open all winter."}),
        ]:
            response = client.request(method, path, json=body)
            assert response.status_code == 503, (path, response.text)
            assert response.headers["retry-after"] == "7"
            assert response.headers["content-type"].startswith("application/problem+json")
            assert "retry in 7 s" in response.json()["detail"]
        proxy.restore()
        assert client.get("/v1/claims").status_code == 200
        assert client.get("/health").json()["status"] == "ok"


@pytest.mark.postgres
def test_connections_the_server_ends_are_replaced_without_an_error(postgres_url: str) -> None:
    settings = Settings(database_url=postgres_url, ingest_workers=1)
    with TestClient(create_app(settings, PluginRegistry.create(settings, False))) as client:
        assert client.get("/v1/claims").status_code == 200
        admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:  # as a restarted server or a failover would
            ended = connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
        admin.dispose()
        assert ended >= 1
        for _ in range(3):  # the pool tests each connection before use and replaces the dead ones
            assert client.get("/v1/claims").status_code == 200


def test_no_free_connection_answers_503_and_the_next_request_gets_one(database_url: str) -> None:
    settings = Settings(
        database_url=database_url, db_pool_size=1, db_max_overflow=0, db_pool_timeout=0.2, ingest_workers=1
    )
    app = create_app(settings, PluginRegistry.create(settings, False))
    with TestClient(app) as client:
        with app.state.engine.connect():  # the pool's only connection, held
            response = client.get("/v1/claims")
            assert response.status_code == 503, response.text
            assert response.headers["retry-after"] == str(settings.db_retry_after)
        assert client.get("/v1/claims").status_code == 200
