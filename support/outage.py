"""Simulate a Redis outage without touching the Redis server.

Lesson 06 needs Redis to "go down" while an app runs. The course never stops or reconfigures
the learner's server; instead the app reaches Redis through a *line* that the lesson can cut
and restore::

    line = RedisLine()
    app = create_app(line.config("production"))   # RedisCache through the line
    line.cut()        # every call through the line now raises redis.exceptions.ConnectionError
    line.restore()    # and works again
    with line.down():  # or cut for a block only
        ...
    line.close()      # always: stops the proxy thread (if any) and restores the line

How the line is made depends on the course's Redis:

* a **real server** (``REDIS_URL``): a small TCP proxy on ``127.0.0.1`` (a port the system
  picks) forwards bytes to the server. Cutting closes every connection through it and drops new
  ones until it is restored. The server itself, and every other client of it, never notice.
* the **embedded fakeredis** (no ``REDIS_URL``): fakeredis has no socket, so the line sets the
  documented ``FakeServer.connected`` flag of the course's shared fake server; its clients then
  raise ``ConnectionError``. While the line is cut, every fakeredis client in the process sees
  the outage (with a real server, only the clients that use the line do).

Either way the app's client is built with retries off and short timeouts, so a cut line fails
at once (redis-py 8's default is ten retries with backoff: seconds per call).

Two more ways for Redis to be dead, for timing what a client does with each:

* :class:`HungRedis`: a loopback socket that **accepts** connections and never answers (a
  stopped or overloaded server, a half-open network path). Each attempt of a client waits for
  its ``socket_timeout``; ``accepted`` counts the attempts (redis-py reconnects for each retry).
* :func:`refused_port`: a loopback port where nothing listens, so every connection is refused
  at once (the server process is gone, the host is up).
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading
import weakref
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse, urlunparse

from support import backends

SOCKET_TIMEOUT = 1.0
_POLL_SECONDS = 0.2


def no_retry_options() -> dict[str, Any]:
    """redis-py options that make a dead server fail fast: no retries, short timeouts."""
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return {"retry": Retry(NoBackoff(), 0), "socket_timeout": SOCKET_TIMEOUT,
            "socket_connect_timeout": SOCKET_TIMEOUT}


class RedisLine:
    """A connection to the course's Redis that can be cut and restored (see the module doc)."""

    def __init__(self) -> None:
        self._url = backends.redis_url()
        self._up = True
        self._closed = False
        self._proxy: _Proxy | None = None
        if self._url is not None:
            self._proxy = _Proxy(_upstream_address(self._url))
            self._proxy.start()
            weakref.finalize(self, self._proxy.stop)  # a line never closed still stops its thread

    # --- what the lesson uses ---------------------------------------------------------------

    @property
    def mode(self) -> str:
        """``"proxy"`` in front of a real server, ``"embedded"`` for fakeredis."""
        return "proxy" if self._proxy is not None else "embedded"

    @property
    def is_up(self) -> bool:
        return self._up

    def describe(self) -> str:
        """One line saying how the outage is simulated (machine-dependent: a port number)."""
        if self._proxy is not None:
            return (f"a TCP proxy on 127.0.0.1:{self._proxy.port} in front of the Redis at "
                    f"{_redacted(self._url)}; cutting it leaves the server running")
        return "the embedded fakeredis server; cutting sets its `connected` flag to False"

    def client(self) -> Any:
        """A new Redis client whose every call goes through the line."""
        self._check_open()
        if self._proxy is not None:
            import redis

            return redis.Redis.from_url(self._proxy_url(), **no_retry_options())
        import fakeredis

        return fakeredis.FakeRedis(server=_fake_server())

    def config(self, lesson: str, **overrides: Any) -> dict[str, Any]:
        """``redis_config(lesson)`` with the app's connection routed through the line.

        The client is passed as ``CACHE_REDIS_HOST`` (an object, not a URL), so options such as
        ``CACHE_OPTIONS={"check_connection": True}`` reach Flask-Caching's RedisCache.
        """
        config = backends.redis_config(lesson)
        config.pop("CACHE_REDIS_URL", None)
        config.pop("CACHE_OPTIONS", None)
        config["CACHE_REDIS_HOST"] = self.client()
        config.update(overrides)
        return config

    def cut(self) -> None:
        """Break the line: calls through it raise ``redis.exceptions.ConnectionError``."""
        self._check_open()
        self._up = False
        if self._proxy is not None:
            self._proxy.set_up(False)
        else:
            _fake_server().connected = False

    def restore(self) -> None:
        """Mend the line: calls work again (clients reconnect by themselves)."""
        self._check_open()
        self._set_restored()

    @contextlib.contextmanager
    def down(self) -> Iterator[RedisLine]:
        """Cut the line for the duration of a ``with`` block, then restore it."""
        self.cut()
        try:
            yield self
        finally:
            self.restore()

    @property
    def connections(self) -> int:
        """How many connections the proxy forwarded (0 for the embedded server)."""
        return self._proxy.forwarded if self._proxy is not None else 0

    @property
    def dropped(self) -> int:
        """How many connection attempts the proxy dropped while cut (0 when embedded)."""
        return self._proxy.dropped if self._proxy is not None else 0

    def close(self) -> None:
        """Restore the line and stop the proxy thread. Safe to call twice."""
        if self._closed:
            return
        self._set_restored()
        self._closed = True
        if self._proxy is not None:
            self._proxy.stop()

    def __enter__(self) -> RedisLine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else ("up" if self._up else "cut")
        return f"<RedisLine {self.mode} {state}>"

    # --- internals ---------------------------------------------------------------------------

    def _set_restored(self) -> None:
        self._up = True
        if self._proxy is not None:
            self._proxy.set_up(True)
        else:
            _fake_server().connected = True

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("this RedisLine is closed: make a new one")

    def _proxy_url(self) -> str:
        assert self._proxy is not None and self._url is not None
        parsed = urlparse(self._url)
        if parsed.scheme == "unix":
            query = parsed.query
            db = ""
            for part in query.split("&"):
                if part.startswith("db="):
                    db = part[3:]
            return f"redis://127.0.0.1:{self._proxy.port}/{db or 0}"
        auth = ""
        if parsed.username or parsed.password:
            auth = f"{parsed.username or ''}:{parsed.password or ''}@"
        netloc = f"{auth}127.0.0.1:{self._proxy.port}"
        return urlunparse(parsed._replace(netloc=netloc))


def _fake_server() -> Any:
    """The embedded fakeredis server that every course client shares."""
    return backends.shared_fake_server()


def _redacted(url: str | None) -> str:
    return backends.redacted(url or "")


def _upstream_address(url: str) -> Any:
    parsed = urlparse(url)
    if parsed.scheme == "unix":
        return parsed.path
    return (parsed.hostname or "127.0.0.1", parsed.port or 6379)


class HungRedis:
    """A loopback server that accepts connections and never answers: a hung Redis.

    ::

        with HungRedis() as hung:
            client = redis.Redis(port=hung.port, socket_timeout=0.1)
            client.get("x")        # raises redis.exceptions.TimeoutError
            hung.accepted          # how many connections (attempts) the client made
    """

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(_POLL_SECONDS)
        self.port: int = self._listener.getsockname()[1]
        self._held: list[socket.socket] = []
        self._count = 0
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"hung-redis-{self.port}",
                                        daemon=True)
        self._thread.start()

    @property
    def accepted(self) -> int:
        """How many connections were accepted (and left unanswered) so far."""
        with self._lock:
            return self._count

    def reset(self) -> None:
        """Start counting from 0 again (the connections already held stay open)."""
        with self._lock:
            self._count = 0

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _run(self) -> None:
        while not self._stopped.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self._held.append(conn)  # kept open, never read from, never answered
                self._count += 1

    def close(self) -> None:
        """Stop accepting and close every held connection. Safe to call twice."""
        if self._stopped.is_set():
            return
        self._stopped.set()
        self._thread.join(timeout=5)
        with contextlib.suppress(OSError):
            self._listener.close()
        with self._lock:
            for conn in self._held:
                with contextlib.suppress(OSError):
                    conn.close()
            self._held.clear()

    def __enter__(self) -> HungRedis:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._stopped.is_set() else "open"
        return f"<HungRedis 127.0.0.1:{self.port} {state}, {self.accepted} accepted>"


@contextlib.contextmanager
def refused_port() -> Iterator[int]:
    """A loopback port where every connection is refused (bound, never listening)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]
    finally:
        sock.close()


class _Proxy:
    """A loopback TCP proxy run by one daemon thread; it can drop every connection on demand."""

    def __init__(self, upstream: Any) -> None:
        self.upstream = upstream
        self.forwarded = 0
        self.dropped = 0
        self._up = True
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.setblocking(False)
        self.port: int = self._listener.getsockname()[1]
        self._wake_r, self._wake_w = socket.socketpair()
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._listener, selectors.EVENT_READ, "accept")
        self._selector.register(self._wake_r, selectors.EVENT_READ, "wake")
        self._peers: dict[socket.socket, socket.socket] = {}
        self._commands: list[tuple[str, threading.Event]] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name=f"redis-line-{self.port}",
                                        daemon=True)

    def start(self) -> None:
        self._thread.start()

    def set_up(self, up: bool) -> None:
        """Switch the line; returns once every connection of a cut line is closed."""
        self._command("up" if up else "cut")

    def stop(self) -> None:
        if self._thread.is_alive():
            self._command("stop")
            self._thread.join(timeout=5)

    def _command(self, name: str) -> None:
        done = threading.Event()
        with self._lock:
            self._commands.append((name, done))
        self._wake_w.send(b"x")
        if not done.wait(timeout=5):
            raise RuntimeError(f"the Redis line did not answer {name!r}")

    # --- the loop (runs in the proxy thread) --------------------------------------------------

    def _run(self) -> None:
        running = True
        try:
            while running:
                for key, _ in self._selector.select(timeout=_POLL_SECONDS):
                    if key.data == "accept":
                        self._accept()
                    elif key.data == "wake":
                        running = self._handle_commands()
                        if not running:
                            break
                    else:
                        self._pump(key.fileobj)  # type: ignore[arg-type]
        finally:
            self._shutdown()

    def _handle_commands(self) -> bool:
        with contextlib.suppress(BlockingIOError, OSError):
            self._wake_r.recv(4096)
        with self._lock:
            commands, self._commands = self._commands, []
        running = True
        for name, done in commands:
            if name == "cut":
                self._up = False
                self._close_all()
            elif name == "up":
                self._up = True
            elif name == "stop":
                running = False
                self._close_all()
            done.set()
        return running

    def _accept(self) -> None:
        try:
            client, _ = self._listener.accept()
        except (BlockingIOError, OSError):
            return
        if not self._up:
            self.dropped += 1
            client.close()
            return
        family = socket.AF_UNIX if isinstance(self.upstream, str) else socket.AF_INET
        if family == socket.AF_INET and ":" in self.upstream[0]:
            family = socket.AF_INET6
        server = socket.socket(family, socket.SOCK_STREAM)
        server.settimeout(2.0)
        try:
            server.connect(self.upstream)
        except OSError:
            server.close()
            client.close()
            return
        for sock in (client, server):
            sock.setblocking(True)
            sock.settimeout(5.0)
        self._peers[client] = server
        self._peers[server] = client
        self._selector.register(client, selectors.EVENT_READ, "pump")
        self._selector.register(server, selectors.EVENT_READ, "pump")
        self.forwarded += 1

    def _pump(self, sock: socket.socket) -> None:
        peer = self._peers.get(sock)
        if peer is None:
            return
        try:
            data = sock.recv(65536)
            if data:
                peer.sendall(data)
                return
        except OSError:
            pass
        self._close_pair(sock)

    def _close_pair(self, sock: socket.socket) -> None:
        peer = self._peers.pop(sock, None)
        for s in (sock, peer):
            if s is None:
                continue
            self._peers.pop(s, None)
            with contextlib.suppress(KeyError, ValueError):
                self._selector.unregister(s)
            with contextlib.suppress(OSError):
                s.close()

    def _close_all(self) -> None:
        for sock in list(self._peers):
            self._close_pair(sock)

    def _shutdown(self) -> None:
        self._close_all()
        for sock in (self._listener, self._wake_r):
            with contextlib.suppress(KeyError, ValueError):
                self._selector.unregister(sock)
            sock.close()
        self._selector.close()
        self._wake_w.close()
