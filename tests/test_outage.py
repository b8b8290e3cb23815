"""support.outage: a line to Redis that can be cut, for the embedded fake and as a TCP proxy."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

import pytest
import redis
from flask import Flask
from flask_caching import Cache

from support import backends
from support.outage import RedisLine, no_retry_options

# --- the embedded fakeredis ----------------------------------------------------------------


@pytest.fixture
def embedded(monkeypatch: pytest.MonkeyPatch) -> Iterator[RedisLine]:
    monkeypatch.delenv("REDIS_URL", raising=False)
    line = RedisLine()
    try:
        yield line
    finally:
        line.close()
        assert backends.shared_fake_server().connected


def test_embedded_cut_and_restore(embedded: RedisLine) -> None:
    client = embedded.client()
    key = backends.course_prefix("outage-test") + "k"
    client.set(key, b"v")
    assert embedded.mode == "embedded" and embedded.is_up
    embedded.cut()
    assert not embedded.is_up
    with pytest.raises(redis.exceptions.ConnectionError):
        client.get(key)
    embedded.restore()
    assert client.get(key) == b"v"
    client.delete(key)


def test_down_restores_even_after_an_error(embedded: RedisLine) -> None:
    client = embedded.client()
    with pytest.raises(ZeroDivisionError), embedded.down():
        assert not embedded.is_up
        1 / 0  # noqa: B018
    assert embedded.is_up and client.ping()


def test_config_routes_the_cache_through_the_line(embedded: RedisLine) -> None:
    config = embedded.config("outage-test", CACHE_DEFAULT_TIMEOUT=10)
    assert "CACHE_REDIS_URL" not in config and "CACHE_OPTIONS" not in config
    assert config["CACHE_KEY_PREFIX"] == backends.course_prefix("outage-test")
    assert config["CACHE_DEFAULT_TIMEOUT"] == 10
    app, cache = Flask("outage_test"), Cache()
    cache.init_app(app, config=config)
    with app.app_context():
        cache.set("x", 1)
        with embedded.down(), pytest.raises(redis.exceptions.ConnectionError):
            cache.get("x")
        assert cache.get("x") == 1
        cache.delete("x")


def test_check_connection_fails_only_while_cut(embedded: RedisLine) -> None:
    options = {"CACHE_OPTIONS": {"check_connection": True}}
    with embedded.down(), pytest.raises(RuntimeError, match="could not connect"):
        Cache(Flask("cut"), config=embedded.config("outage-test", **options))
    Cache(Flask("up"), config=embedded.config("outage-test", **options))


def test_a_closed_line_refuses_to_cut_and_close_is_idempotent(embedded: RedisLine) -> None:
    embedded.cut()
    embedded.close()
    embedded.close()
    assert embedded.is_up and backends.shared_fake_server().connected
    with pytest.raises(RuntimeError, match="closed"):
        embedded.cut()
    assert "closed" in repr(embedded)


def test_no_retry_options_fail_fast() -> None:
    options = no_retry_options()
    assert options["retry"].get_retries() == 0
    assert options["socket_timeout"] <= 2 and options["socket_connect_timeout"] <= 2


# --- the TCP proxy, in front of a tiny loopback echo server ---------------------------------


class EchoServer:
    """Echoes bytes back; stands for a Redis server (the proxy only forwards bytes)."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.stop = threading.Event()
        self.connections = 0
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            threading.Thread(target=self._echo, args=(conn,), daemon=True).start()

    def _echo(self, conn: socket.socket) -> None:
        conn.settimeout(0.2)
        with conn:
            while not self.stop.is_set():
                try:
                    data = conn.recv(4096)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not data:
                    return
                conn.sendall(data)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=2)
        self.listener.close()


@pytest.fixture
def proxied(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[RedisLine, EchoServer]]:
    server = EchoServer()
    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{server.port}/0")
    line = RedisLine()
    try:
        yield line, server
    finally:
        line.close()
        server.close()


def _port(line: RedisLine) -> int:
    assert line._proxy is not None
    return line._proxy.port


def _roundtrip(port: int, payload: bytes = b"PING\r\n") -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
        sock.sendall(payload)
        return sock.recv(4096)


def test_proxy_forwards_bytes(proxied: tuple[RedisLine, EchoServer]) -> None:
    line, server = proxied
    assert line.mode == "proxy" and "127.0.0.1" in line.describe()
    assert _roundtrip(_port(line)) == b"PING\r\n"
    assert line.connections == 1 and server.connections == 1


def test_cut_closes_open_connections_and_drops_new_ones(
        proxied: tuple[RedisLine, EchoServer]) -> None:
    line, server = proxied
    port = _port(line)
    sock = socket.create_connection(("127.0.0.1", port), timeout=2)
    sock.sendall(b"a")
    assert sock.recv(10) == b"a"
    line.cut()
    with sock:
        try:
            closed = sock.recv(10) == b""
        except ConnectionResetError:
            closed = True
    assert closed, "a cut line must close the connections it carried"
    with contextlib.suppress(ConnectionResetError):
        assert _roundtrip(port) == b""
    assert line.dropped == 1
    line.restore()
    assert _roundtrip(port) == b"PING\r\n"
    assert server.connections == 2  # the dropped attempt never reached the server


def test_close_stops_the_thread_and_the_port(proxied: tuple[RedisLine, EchoServer]) -> None:
    line, _ = proxied
    port = _port(line)
    thread = line._proxy._thread  # type: ignore[union-attr]
    line.close()
    assert not thread.is_alive()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_proxy_url_keeps_credentials_and_db(monkeypatch: pytest.MonkeyPatch) -> None:
    server = EchoServer()
    monkeypatch.setenv("REDIS_URL", f"redis://user:secret@127.0.0.1:{server.port}/3")
    line = RedisLine()
    try:
        url = line._proxy_url()
        assert url == f"redis://user:secret@127.0.0.1:{_port(line)}/3"
        assert "secret" not in line.describe()
    finally:
        line.close()
        server.close()


# --- a real Redis, when the run has one ------------------------------------------------------


@pytest.mark.skipif(not backends.using_real_redis(), reason="needs REDIS_URL")
def test_real_redis_through_the_proxy() -> None:
    key = backends.course_prefix("outage-test") + "real"
    direct = backends.redis_client()
    with RedisLine() as line:
        client = line.client()
        client.set(key, b"1")
        with line.down():
            with pytest.raises(redis.exceptions.ConnectionError):
                client.get(key)
            assert direct.get(key) == b"1", "the server itself must keep running"
        assert client.get(key) == b"1"
    direct.delete(key)


def test_hung_redis_accepts_and_never_answers() -> None:
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    from support.outage import HungRedis

    with HungRedis() as hung:
        client = redis.Redis(port=hung.port, socket_timeout=0.05, socket_connect_timeout=0.05,
                             retry=Retry(NoBackoff(), 2))
        with pytest.raises(redis.exceptions.TimeoutError):
            client.get("x")
        assert hung.accepted == 3  # one attempt and two retries, each on a new connection
        hung.reset()
        assert hung.accepted == 0
    hung.close()  # twice is fine
    assert "closed" in repr(hung)


def test_refused_port_refuses() -> None:
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    from support.outage import refused_port

    with refused_port() as port:
        client = redis.Redis(port=port, retry=Retry(NoBackoff(), 0))
        with pytest.raises(redis.exceptions.ConnectionError, match="refused"):
            client.get("x")
