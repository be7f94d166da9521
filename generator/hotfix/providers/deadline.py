"""A request that cannot outlive the budget: its socket is shut down when the deadline passes.

A socket timeout bounds each read, not the request: a server that sends one
header line, or one byte of the body, every few tenths of a second keeps
every read within it for as long as it likes. So each request gets a
watchdog, a timer set to the budget's deadline that shuts the request's
socket down (both directions): the read blocked on it returns at once, and
the request fails as out of time, whatever http.client made of the cut
answer. The socket is caught as it is created (``_create_connection``,
which HTTPConnection and HTTPSConnection both connect through), so the TLS
handshake is bounded too. Name resolution happens before there is a socket;
it stays bounded by the resolver's own timeouts only.

urllib still opens the connection (proxies from the environment, TLS
verification as before); only the connection classes are wrapped.

A call whose socket is out of reach (Secrets Manager, through the boto3
client the function was given, whose own timeouts and retries can run for
minutes) is made in a helper thread and waited for only as long as the
budget has left (``within``).
"""

from __future__ import annotations

import functools
import http.client
import socket
import threading
import urllib.request

from .base import OutOfTime


class Watchdog:
    """Shuts down every socket it watches ``seconds`` from now; ``fired`` says whether it did."""

    def __init__(self, seconds: float):
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.append(sock)
            if self.fired:  # created after the deadline: cut at once
                _shut(sock)
        return sock

    def cancel(self) -> None:
        self._timer.cancel()

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed: nothing left to cut


class _Watched:
    """Mixed into an http.client connection: every socket it creates is handed to the watchdog."""

    def __init__(self, *args, watchdog: Watchdog, **kwargs):
        super().__init__(*args, **kwargs)
        create = self._create_connection
        self._create_connection = lambda *a, **kw: watchdog.watch(create(*a, **kw))


class _HTTPConnection(_Watched, http.client.HTTPConnection):
    pass


class _HTTPSConnection(_Watched, http.client.HTTPSConnection):
    pass


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, watchdog: Watchdog):
        super().__init__()
        self.watchdog = watchdog

    def http_open(self, req):
        return self.do_open(functools.partial(_HTTPConnection, watchdog=self.watchdog), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, watchdog: Watchdog):
        super().__init__()
        self.watchdog = watchdog

    def https_open(self, req):
        # The same arguments urllib's own handler passes (a default context: certificates verified).
        context = {"context": self._context} if self._context is not None else {}
        return self.do_open(functools.partial(_HTTPSConnection, watchdog=self.watchdog), req, **context)


def opener(watchdog: Watchdog, *handlers) -> urllib.request.OpenerDirector:
    """urllib's opener, ``handlers`` added, its connections watched by ``watchdog``."""
    return urllib.request.build_opener(*handlers, _HTTPHandler(watchdog), _HTTPSHandler(watchdog))


def within(seconds: float | None, what: str, call):
    """``call()``, waited for at most ``seconds`` (None: as long as it takes): for a blocking call whose socket is out
    of reach (a boto3 client passed in, with its own timeouts and retries). Past the time it is left to finish on its
    own in a daemon thread, and OutOfTime says what did not finish."""
    if seconds is None:
        return call()
    if seconds <= 0:
        raise OutOfTime(f"no time left for {what} in this invocation")
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:  # handed to the caller's thread, whatever it is
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise OutOfTime(f"{what} had not finished when this invocation's time for provider requests ran out; "
                        "a later run goes on")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
