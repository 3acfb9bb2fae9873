"""A local imitation of Nominatim's JSON search API that misbehaves on cue.

``FakeNominatim`` serves ``GET /search?q=…&format=json`` on 127.0.0.1 at a
free port, from a thread. Before each request it takes the next behaviour off
``script`` (then answers normally):

* ``"ok"``: 200 and a JSON list of places for ``q`` (``PLACES``, else ``[]``);
* ``"429"``: 429 with ``Retry-After: <retry_after>``;
* ``"500"``: 500 with an HTML body;
* any other three digits (``"503"``, ``"403"``...): that status, a text body;
* ``"slow"``: the normal answer, but only after ``slow_seconds``;
* ``"stall"``: the headers at once, the body only after ``slow_seconds``;
* ``"malformed"``: 200, ``application/json``, and a body that is not JSON;
* ``"html"``: 200 and an HTML page (a captive portal, a proxy's error page);
* ``bytes``: 200, ``application/json``, and these bytes as the body.

Every request is recorded (path, query parameters, headers, arrival time) so
tests can assert what was asked and when. :func:`running` starts one and
stops it on exit; a watchdog stops it anyway after a minute, so a stuck test
cannot keep it alive.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# Answers in Nominatim's format (jsonv1 with addressdetails=1), keyed by q.lower().
PLACES = {
    "moscow": [
        {
            "place_id": 309463573,
            "licence": "Data © OpenStreetMap contributors, ODbL 1.0.",
            "osm_type": "relation",
            "osm_id": 2555133,
            "lat": "55.625578",
            "lon": "37.6063916",
            "class": "boundary",
            "type": "administrative",
            "addresstype": "city",
            "name": "Moscow",
            "display_name": "Moscow, Central Federal District, Russia",
            "importance": 0.82,
            "address": {"city": "Moscow", "country": "Russia", "country_code": "ru"},
        },
        {
            "place_id": 298123,
            "osm_type": "node",
            "osm_id": 151584497,
            "lat": "46.7323875",
            "lon": "-117.0001651",
            "class": "place",
            "type": "city",
            "addresstype": "city",
            "name": "Moscow",
            "display_name": "Moscow, Latah County, Idaho, United States",
            "importance": 0.51,
            "address": {"city": "Moscow", "state": "Idaho", "country_code": "us"},
        },
    ],
    "kursk oblast": [
        {
            "place_id": 1,
            "osm_type": "relation",
            "osm_id": 72223,
            "lat": "51.6568453",
            "lon": "36.4852695",
            "class": "boundary",
            "type": "administrative",
            "addresstype": "state",
            "name": "Kursk Oblast",
            "display_name": "Kursk Oblast, Central Federal District, Russia",
            "importance": 0.6,
            "address": {"state": "Kursk Oblast", "country_code": "ru"},
        }
    ],
}


@dataclass
class Request:
    path: str
    params: dict[str, str]
    headers: dict[str, str]
    at: float  # time.monotonic() on arrival


@dataclass
class FakeNominatim:
    script: list[str | bytes] = field(default_factory=list)
    retry_after: str = "1"
    slow_seconds: float = 1.5
    requests: list[Request] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def searches(self) -> list[Request]:
        return [r for r in self.requests if r.path == "/search"]

    def start(self) -> FakeNominatim:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the name http.server calls
                parts = urlsplit(self.path)
                params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                fake.requests.append(
                    Request(parts.path, params, dict(self.headers.items()), time.monotonic())
                )
                behaviour = fake.script.pop(0) if fake.script else "ok"
                if parts.path != "/search":
                    return self._send(404, b"not found", "text/plain")
                if behaviour == "429":
                    return self._send(429, b"Too Many Requests", "text/plain",
                                      {"Retry-After": fake.retry_after})  # fmt: skip
                if behaviour == "500":
                    return self._send(500, b"<html>Internal Server Error</html>", "text/html")
                if behaviour == "malformed":
                    return self._send(200, b'[{"lat": "55.7", "lon":', "application/json")
                if behaviour == "html":
                    return self._send(200, b"<html><body>Log in</body></html>", "text/html")
                if isinstance(behaviour, bytes):
                    return self._send(200, behaviour, "application/json")
                if behaviour.isdigit() and len(behaviour) == 3:
                    return self._send(int(behaviour), b"nope", "text/plain",
                                      {"Retry-After": fake.retry_after})  # fmt: skip
                if behaviour == "stall":
                    return self._stall(b"[]")
                if behaviour == "slow":
                    time.sleep(fake.slow_seconds)
                answer = PLACES.get(params.get("q", "").lower(), [])
                limit = int(params.get("limit", 10))
                body = json.dumps(answer[:limit]).encode()
                try:
                    self._send(200, body, "application/json")
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client timed out and hung up

            def _stall(self, body):
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.flush()
                time.sleep(fake.slow_seconds)
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _send(self, status, body, ctype, headers=None):
                self.send_response(status)
                self.send_header("Content-Type", f"{ctype}; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):  # keep test output quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        self._watchdog = threading.Timer(60.0, self.stop)
        self._watchdog.daemon = True
        self._watchdog.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._watchdog.cancel()
            self._server = None


def closed_port_url() -> str:
    """A 127.0.0.1 URL where nothing listens: connections are refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def running(**settings) -> Iterator[FakeNominatim]:
    """A started server, stopped on exit (the tests' ``fake_nominatim`` fixture)."""
    server = FakeNominatim(**settings).start()
    try:
        yield server
    finally:
        server.stop()
