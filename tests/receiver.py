"""A local HTTP server for tests that post to or fetch from a URL: never the internet."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


class Receiver:
    """Records every POST (time, headers, body) and answers with ``answers`` in turn, then 200;
    while ``hold`` is cleared it keeps each request waiting. GET serves ``pages`` by path."""

    def __init__(self, answers: list[int] | None = None, pages: dict[str, str] | None = None) -> None:
        self.answers = list(answers or [])
        self.pages = pages or {}
        self.received: list[tuple[float, dict[str, str], bytes]] = []
        self.hold = threading.Event()
        self.hold.set()
        self.arrived = threading.Event()
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                import time

                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver._lock:
                    receiver.received.append((time.monotonic(), dict(self.headers.items()), body))
                    status = receiver.answers.pop(0) if receiver.answers else 200
                receiver.arrived.set()
                receiver.hold.wait(30)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self) -> None:
                page = receiver.pages.get(self.path)
                data = (page or "not found").encode()
                self.send_response(200 if page is not None else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The server's base URL."""
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.hold.set()
        self.server.shutdown()
        self.server.server_close()
