"""One HTTP exchange with a LanguageTool server, under one deadline.

language-tool-python asks with `requests`, which follows redirects (a 307 from
a configured 127.0.0.1 server sent the whole email to another host), tries
twice, times out per read (a server trickling a byte every few seconds held
a check for minutes) and reads any answer whole (600 MB took 4 GB). Every
request the app makes to a LanguageTool server goes through `fetch` instead:

- redirects are never followed: a 3xx is an error naming the server and status;
- one deadline covers the whole exchange, the host name's lookup, connecting,
  sending the text and every read of the answer: a watchdog shuts the socket
  down when it passes, whatever the socket was waiting for;
- the answer is read in pieces and dropped past RESPONSE_LIMIT.

Proxies and certificate bundles are taken from the environment as `requests`
takes them (HTTP(S)_PROXY, NO_PROXY, REQUESTS_CA_BUNDLE, certifi's bundle).
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import ipaddress
import json
import os
import re
import socket
import ssl
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from functools import lru_cache

RESPONSE_LIMIT = 5 * 1024 * 1024
"""Bytes an answer may have. A real one is a few KB per slip found; past this
it is a broken or hostile server, and reading on would cost memory and time."""

_CHUNK = 64 * 1024


class ExchangeError(Exception):
    """The exchange failed; the message is a finished reason naming the server."""

    def __init__(self, reason: str, *, rate_limited: bool = False) -> None:
        super().__init__(reason)
        self.rate_limited = rate_limited


@dataclass
class Budget:
    """The deadline of one check, shared by every request the check makes."""

    where: str
    """Who is asked, as messages name it: "the LanguageTool server at …"."""
    seconds: float
    deadline: float = 0.0

    def start(self) -> None:
        self.deadline = time.monotonic() + self.seconds

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def late(self) -> ExchangeError:
        return ExchangeError(f"{self.where} did not answer within {self.seconds:g} s")


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes


class _Watchdog:
    """Shuts down the exchange's sockets at the deadline: a blocked send or
    read then returns at once, whatever it was waiting for.

    It keeps file descriptors, not socket objects: TLS moves the descriptor
    into a new object (and empties the old one) while the handshake runs."""

    def __init__(self, seconds: float) -> None:
        self._descriptors: list[int] = []
        self._lock = threading.Lock()
        self._over = False
        self.fired = False
        self._timer = threading.Timer(max(0.0, seconds), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def guard(self, sock: socket.socket) -> None:
        with self._lock:
            self._descriptors.append(sock.fileno())
            if self.fired:
                _cut(sock.fileno())

    def _fire(self) -> None:
        with self._lock:
            if self._over:
                return
            self.fired = True
            for descriptor in self._descriptors:
                _cut(descriptor)

    def cancel(self) -> None:
        """No cut after this returns (the descriptors may then be closed and reused)."""
        with self._lock:
            self._over = True
        self._timer.cancel()


def _cut(descriptor: int) -> None:
    with contextlib.suppress(OSError):
        sock = socket.socket(fileno=descriptor)
        try:
            sock.shutdown(socket.SHUT_RDWR)
        finally:
            sock.detach()  # the exchange's own socket still owns the descriptor


def fetch(method: str, url: str, fields: dict | None, budget: Budget) -> Answer:
    """`method` ("get" or "post") `url` with form `fields`, within what is left
    of `budget`; raises ExchangeError for a redirect, the deadline, an answer
    over RESPONSE_LIMIT, or a server that cannot be reached."""
    if budget.left() <= 0:
        raise budget.late()
    watchdog = _Watchdog(budget.left())
    connection = None
    try:
        connection, target, headers = _open(url, budget, watchdog)
        body = urllib.parse.urlencode(fields or {}, doseq=True)
        if method.lower() == "post":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request("POST", target, body=body.encode("ascii"), headers=headers)
        else:
            query = f"{'&' if '?' in target else '?'}{body}" if body else ""
            connection.request("GET", target + query, headers=headers)
        _set_timeout(connection, budget)
        response = connection.getresponse()
        if 300 <= response.status < 400:
            raise _redirect(response, budget.where)
        body = _read(response, budget)
        if watchdog.fired:  # a cut socket reads as the end of the answer
            raise budget.late()
        return Answer(response.status, response.getheader("Content-Type", ""), body)
    except ExchangeError:
        raise
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if watchdog.fired or budget.left() <= 0:
            raise budget.late() from None
        raise ExchangeError(_unreachable(exc, budget.where)) from None
    finally:
        watchdog.cancel()
        if connection is not None:
            connection.close()


def fetch_json(method: str, url: str, fields: dict | None, budget: Budget) -> object:
    """`fetch`, then the answer's JSON; a status or body that is not
    LanguageTool's answer is an ExchangeError that says what came back."""
    answer = fetch(method, url, fields, budget)
    where = budget.where
    if answer.status == 426:
        raise ExchangeError(f"{where} says too many requests (HTTP 426)", rate_limited=True)
    if not 200 <= answer.status < 300:
        said = _printable(answer.body.decode("utf-8", "replace"))
        said = f"{said}; " if said else ""
        raise ExchangeError(f"{where} failed: {said}HTTP {answer.status}")
    try:
        return json.loads(answer.body)
    except ValueError:
        if answer.body.lstrip()[:1] == b"<" or "html" in answer.content_type.lower():
            raise ExchangeError(
                f"{where} answered with a web page, not LanguageTool's JSON (is the URL right?)"
            ) from None
        raise ExchangeError(f"{where} answered with something that is not JSON") from None


def _open(url: str, budget: Budget, watchdog: _Watchdog):
    """A connection to `url` (or to its proxy), the request target, and headers."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ExchangeError(f"{budget.where}: {url!r} is not an http:// or https:// address")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    headers = {"Accept": "application/json", "User-Agent": "outreach-composer"}
    proxy = _proxy_for(parts.scheme, parts.hostname)
    if proxy is None:
        connection = _connection(parts.scheme, parts.hostname, port)
    else:
        proxy_parts = urllib.parse.urlsplit(proxy)
        authorization = _proxy_authorization(proxy_parts)
        connection = _connection(parts.scheme, proxy_parts.hostname or "", proxy_parts.port or 80)
        if parts.scheme == "https":
            connection.set_tunnel(parts.hostname, port, headers=authorization)
        else:
            target = url  # a plain-HTTP proxy is asked for the whole address
            headers.update(authorization)
    # http.client's hook for opening its socket: ours looks the host up and
    # connects within the deadline, under the watchdog from the start.
    connection._create_connection = lambda address, _timeout, _source: _connect(
        address, budget, watchdog
    )
    return connection, target, headers


def _connection(scheme: str, host: str, port: int) -> http.client.HTTPConnection:
    if scheme == "https":
        return http.client.HTTPSConnection(host, port, context=_tls_context())
    return http.client.HTTPConnection(host, port)


def _connect(address: tuple[str, int], budget: Budget, watchdog: _Watchdog) -> socket.socket:
    """A connected socket, guarded by the watchdog from before it connects."""
    host, port = address
    last: OSError | None = None
    for family, kind, proto, _name, place in _resolve(host, port, budget):
        sock = socket.socket(family, kind, proto)
        watchdog.guard(sock)
        try:
            sock.settimeout(max(0.001, budget.left()))
            sock.connect(place)
            return sock
        except OSError as exc:
            sock.close()
            last = exc
    raise last or OSError(f"no address for {host}")


def _resolve(host: str, port: int, budget: Budget) -> list:
    """getaddrinfo, which no socket timeout bounds, given only what is left of the
    deadline: it runs in a helper thread that is left behind if it is late."""
    with contextlib.suppress(ValueError):
        ipaddress.ip_address(host)
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found: list = []
    done = threading.Event()

    def look_up() -> None:
        try:
            found.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as exc:
            found.append(exc)
        done.set()

    threading.Thread(target=look_up, name="grammar-dns", daemon=True).start()
    if not done.wait(max(0.0, budget.left())):
        raise budget.late()
    if isinstance(found[0], OSError):
        raise found[0]
    return found[0]


def _set_timeout(connection: http.client.HTTPConnection, budget: Budget) -> None:
    """Each wait on the socket ends by the deadline too (the watchdog's thread
    may be late to run on a busy machine)."""
    if connection.sock is not None:
        connection.sock.settimeout(max(0.001, budget.left()))


def _read(response: http.client.HTTPResponse, budget: Budget) -> bytes:
    """The body in pieces, within the deadline and RESPONSE_LIMIT."""
    too_big = ExchangeError(
        f"{budget.where} sent more than {RESPONSE_LIMIT / 1024 / 1024:g} MB; "
        "its answer was not read"
    )
    declared = response.getheader("Content-Length", "")
    if declared.strip().isdigit() and int(declared) > RESPONSE_LIMIT:
        raise too_big
    pieces: list[bytes] = []
    size = 0
    while True:
        if budget.left() <= 0:
            raise budget.late()
        piece = response.read1(_CHUNK)
        if not piece:
            return b"".join(pieces)
        size += len(piece)
        if size > RESPONSE_LIMIT:
            raise too_big
        pieces.append(piece)


def _redirect(response: http.client.HTTPResponse, where: str) -> ExchangeError:
    target = response.getheader("Location", "")
    # The address is the server's text: shown only when it is plain printable ASCII.
    shown = f" to {target}" if re.fullmatch(r"[!-~]{1,200}", target) else ""
    return ExchangeError(
        f"{where} answered with a redirect (HTTP {response.status}{shown}); "
        "redirects are not followed, so the text was not sent on"
    )


def _unreachable(exc: BaseException, where: str) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return (
            f"{where} is not reachable (connection refused): start it, or check "
            "[grammar] server_url in config.toml"
        )
    if isinstance(exc, socket.gaierror):
        return f"{where} is not reachable (its host name does not resolve)"
    if isinstance(exc, ssl.SSLError):
        return f"{where} failed: {_printable(str(exc))}"
    if isinstance(exc, OSError) and not isinstance(exc, ConnectionError):
        reason = exc.strerror or str(exc) or type(exc).__name__
        return f"{where} is not reachable ({_printable(reason)})"
    return f"{where} failed: {_printable(str(exc)) or type(exc).__name__}"


def _printable(text: str, limit: int = 120) -> str:
    """A server's text, one line, control characters dropped, cut to `limit`."""
    text = " ".join("".join(ch for ch in text if ch.isprintable() or ch.isspace()).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _proxy_for(scheme: str, host: str) -> str | None:
    """The proxy the environment names for `scheme`, unless NO_PROXY exempts `host`."""
    proxy = urllib.request.getproxies().get(scheme)
    if not proxy or urllib.request.proxy_bypass(host):
        return None
    return proxy if "://" in proxy else f"http://{proxy}"


def _proxy_authorization(parts: urllib.parse.SplitResult) -> dict[str, str]:
    if parts.username is None:
        return {}
    user = urllib.parse.unquote(parts.username)
    password = urllib.parse.unquote(parts.password or "")
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return {"Proxy-Authorization": f"Basic {token}"}


@lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    """Certificates verified against the bundle `requests` would use."""
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if not bundle:
        with contextlib.suppress(ImportError):
            import certifi

            bundle = certifi.where()
    return ssl.create_default_context(cafile=bundle or None)
