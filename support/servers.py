"""Private real servers for the lessons that need one: a ``redis-server`` or ``memcached`` started
on a free loopback port, configured for one demonstration, and always stopped afterwards.

Some truths need a real server (eviction under ``maxmemory``, ACLs, memcached's non-atomic
``inc``). :func:`real_server_demo` runs such a demonstration when the binary is installed and
otherwise prints what a real server printed when the lesson was written (``support/recorded/``),
so a notebook cell gives the same output on both paths::

    def demo() -> list[str]:
        with private_redis("--maxmemory", "2mb") as server:
            ...
            return [f"version key survived: {survived}"]

    real_server_demo("invalidation-eviction", demo)

The private servers are the course's own: nothing else is on them, so a demonstration may do
anything there (FLUSHALL included) without touching a learner's data.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

RECORDED_DIR = Path(__file__).resolve().parent / "recorded"
RECORD_ENV = "FCC_RECORD_DEMOS"
_STARTUP_SECONDS = 10.0
_running: set[subprocess.Popen[bytes]] = set()

Kind = Literal["redis", "memcached"]
_BINARIES = {"redis": "redis-server", "memcached": "memcached"}
_INSTALL = {
    "redis": "install Redis to run it here (Debian/Ubuntu: sudo apt-get install redis-server; "
             "macOS: brew install redis)",
    "memcached": "install memcached to run it here (Debian/Ubuntu: sudo apt-get install "
                 "memcached; macOS: brew install memcached)",
}


class ServerMissing(RuntimeError):
    """The server binary is not installed; the message says how to install it."""


@dataclass(frozen=True)
class PrivateRedis:
    """A running private ``redis-server``."""

    port: int
    version: str

    @property
    def url(self) -> str:
        """The server's URL, database 0."""
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self, **options: Any) -> Any:
        """A new ``redis.Redis`` client for this server."""
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5, **options)


@dataclass(frozen=True)
class PrivateMemcached:
    """A running private ``memcached``."""

    port: int
    version: str

    @property
    def servers(self) -> list[str]:
        """The value for ``CACHE_MEMCACHED_SERVERS``."""
        return [f"127.0.0.1:{self.port}"]


def binary(kind: Kind) -> str | None:
    """The path of the server binary for ``kind``, or ``None`` when it is not installed."""
    name = _BINARIES[kind]
    return shutil.which(name) or next(
        (str(p) for p in (Path("/usr/sbin") / name, Path("/usr/bin") / name) if p.exists()), None)


def installed_version(kind: Kind) -> str | None:
    """The version of the installed server binary (``"7.0.15"``), or ``None``."""
    path = binary(kind)
    if path is None:
        return None
    out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10).stdout
    for word in out.replace("v=", " ").split():
        if word[:1].isdigit() and "." in word:
            return word.strip(",")
    return "unknown"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_listening(process: subprocess.Popen[bytes], port: int, name: str) -> None:
    deadline = time.monotonic() + _STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            err = process.stderr.read().decode(errors="replace") if process.stderr else ""
            raise RuntimeError(f"{name} exited at start-up: {err.strip() or process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{name} did not listen on 127.0.0.1:{port} within {_STARTUP_SECONDS} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    _running.discard(process)


@atexit.register
def _stop_all() -> None:
    for process in list(_running):
        _stop(process)


@contextmanager
def _server(kind: Kind, argv: list[str], port: int) -> Iterator[None]:
    name = _BINARIES[kind]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _running.add(process)
    try:
        _wait_until_listening(process, port, name)
        yield
    finally:
        _stop(process)


@contextmanager
def private_redis(*config: str) -> Iterator[PrivateRedis]:
    """A private ``redis-server`` on a free loopback port, with extra config arguments
    (``"--maxmemory", "2mb"``); stopped when the block ends, also on an error."""
    path = binary("redis")
    if path is None:
        raise ServerMissing(f"redis-server is not installed: {_INSTALL['redis']}")
    port = _free_port()
    folder = tempfile.mkdtemp(prefix="fcc-redis-")
    argv = [path, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", folder, *config]
    try:
        with _server("redis", argv, port):
            yield PrivateRedis(port, installed_version("redis") or "unknown")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def private_memcached(*options: str) -> Iterator[PrivateMemcached]:
    """A private ``memcached`` on a free loopback port, with extra options (``"-m", "1"``);
    stopped when the block ends, also on an error."""
    path = binary("memcached")
    if path is None:
        raise ServerMissing(f"memcached is not installed: {_INSTALL['memcached']}")
    port = _free_port()
    argv = [path, "-l", "127.0.0.1", "-p", str(port), "-U", "0", *options]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv += ["-u", "root"]
    with _server("memcached", argv, port):
        yield PrivateMemcached(port, installed_version("memcached") or "unknown")


# --- a demonstration that needs a real server ----------------------------------------------


def recorded_path(name: str) -> Path:
    """The file holding the lines a real server printed for demonstration ``name``."""
    if not name or "/" in name or name.startswith("."):
        raise ValueError(f"a demonstration name is a plain word like 'invalidation-eviction', got {name!r}")
    return RECORDED_DIR / f"{name}.txt"


def recorded_lines(name: str) -> list[str]:
    """The lines recorded for ``name`` (the first is the server it was recorded on)."""
    path = recorded_path(name)
    if not path.exists():
        raise FileNotFoundError(
            f"no recording for {name!r}: run the notebook once with {RECORD_ENV}=1 and a server")
    return path.read_text(encoding="utf-8").splitlines()


def real_server_demo(name: str, demo: Callable[[], Iterable[str]],
                     server: Kind = "redis") -> None:
    """Print ``demo()``'s lines, run on a real server; without the binary, print the lines a
    real server gave when the lesson was recorded. The first line says which happened."""
    version = installed_version(server)
    binary_name = _BINARIES[server]
    if version is None:
        lines = recorded_lines(name)
        recorded_on = lines[0] if lines else binary_name
        print(f"[recorded on {recorded_on}; {_INSTALL[server]}]")
        print("\n".join(lines[1:]))
        return
    lines = [str(line) for line in demo()]
    print(f"[live: {binary_name} {version} on a private port]")
    print("\n".join(lines))
    if os.environ.get(RECORD_ENV) == "1":
        path = recorded_path(name)
        path.parent.mkdir(exist_ok=True)
        path.write_text("\n".join([f"{binary_name} {version}", *lines]) + "\n", encoding="utf-8")


# --- added for h/l08: a private Sentinel group and a private Cluster -------------------------

_CLUSTER_READY_SECONDS = 20.0


def cli_binary() -> str | None:
    """The path of ``redis-cli`` (it builds a cluster), or ``None`` when it is not installed."""
    return shutil.which("redis-cli") or next(
        (str(p) for p in (Path("/usr/bin/redis-cli"), Path("/usr/local/bin/redis-cli"))
         if p.exists()), None)


def _free_ports(count: int) -> list[int]:
    """``count`` distinct free loopback ports (held open together while they are chosen)."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [int(s.getsockname()[1]) for s in sockets]
    finally:
        for sock in sockets:
            sock.close()


def port_is_closed(port: int) -> bool:
    """True when nothing listens on 127.0.0.1:``port`` (a stopped server left nothing behind)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return False
    except OSError:
        return True


class _Processes:
    """The processes one group started, by port; every one is stopped when the group ends."""

    def __init__(self) -> None:
        self.by_port: dict[int, subprocess.Popen[bytes]] = {}

    def start(self, argv: list[str], port: int, name: str = "redis-server") -> None:
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _running.add(process)
        self.by_port[port] = process
        _wait_until_listening(process, port, name)

    def stop(self, port: int) -> None:
        """Stop the server on ``port`` now (SIGTERM, then SIGKILL): a crash, for a failover."""
        process = self.by_port.get(port)
        if process is not None:
            _stop(process)

    def kill(self, port: int) -> None:
        """Kill the server on ``port`` at once (SIGKILL): the machine died."""
        process = self.by_port.get(port)
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(timeout=5)
        if process is not None:
            _running.discard(process)

    def stop_all(self) -> None:
        for process in self.by_port.values():
            _stop(process)


def _redis_argv(path: str, port: int, folder: str, *config: str) -> list[str]:
    return [path, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", folder, *config]


@dataclass(frozen=True)
class PrivateSentinelGroup:
    """A running private primary, its replicas and the sentinels that watch them."""

    master: str
    primary_port: int
    replica_ports: tuple[int, ...]
    sentinel_ports: tuple[int, ...]
    version: str
    processes: _Processes

    @property
    def sentinels(self) -> list[tuple[str, int]]:
        """The value for ``CACHE_REDIS_SENTINELS``."""
        return [("127.0.0.1", port) for port in self.sentinel_ports]

    def client(self, port: int, **options: Any) -> Any:
        """A new ``redis.Redis`` client for the server (or sentinel) on ``port``."""
        import redis

        return redis.Redis(host="127.0.0.1", port=port, **{"socket_timeout": 5, **options})

    def primary_address(self) -> tuple[str, int] | None:
        """Where the first sentinel that answers says the primary is now."""
        for port in self.sentinel_ports:
            try:
                found = self.client(port, socket_timeout=1).execute_command(
                    "SENTINEL", "GET-MASTER-ADDR-BY-NAME", self.master)
            except Exception:  # noqa: BLE001 - a sentinel may be down; ask the next one
                continue
            if found:
                host = found[0].decode() if isinstance(found[0], bytes) else str(found[0])
                return host, int(found[1])
        return None

    def kill_primary(self) -> None:
        """Kill the original primary (SIGKILL): the sentinels will fail over to a replica."""
        self.processes.kill(self.primary_port)


@contextmanager
def private_sentinel_group(*config: str, replicas: int = 1, sentinels: int = 3,
                           master: str = "shop", down_after_ms: int = 1000,
                           failover_timeout_ms: int = 5000) -> Iterator[PrivateSentinelGroup]:
    """A primary, ``replicas`` replicas and ``sentinels`` sentinels (quorum: a majority) on free
    loopback ports, with extra config for the data servers; every process is stopped and every
    port freed when the block ends, also when it raises."""
    path = binary("redis")
    if path is None:
        raise ServerMissing(f"redis-server is not installed: {_INSTALL['redis']}")
    ports = _free_ports(1 + replicas + sentinels)
    primary, replica_ports, sentinel_ports = ports[0], ports[1:1 + replicas], ports[1 + replicas:]
    folder = tempfile.mkdtemp(prefix="fcc-sentinel-")
    processes = _Processes()
    try:
        processes.start(_redis_argv(path, primary, folder, "--dbfilename", f"d{primary}.rdb",
                                    *config), primary)
        for port in replica_ports:
            processes.start(_redis_argv(path, port, folder, "--dbfilename", f"d{port}.rdb",
                                        "--replicaof", "127.0.0.1", str(primary), *config), port)
        _wait_for(lambda: _replicas_online(primary, len(replica_ports)), "the replicas to sync")
        quorum = sentinels // 2 + 1
        for port in sentinel_ports:
            conf = Path(folder) / f"sentinel-{port}.conf"
            conf.write_text(
                f"port {port}\nbind 127.0.0.1\ndir {folder}\n"
                f"sentinel monitor {master} 127.0.0.1 {primary} {quorum}\n"
                f"sentinel down-after-milliseconds {master} {down_after_ms}\n"
                f"sentinel failover-timeout {master} {failover_timeout_ms}\n"
                f"sentinel parallel-syncs {master} 1\n", encoding="utf-8")
            processes.start([path, str(conf), "--sentinel"], port, "redis-sentinel")
        group = PrivateSentinelGroup(master, primary, tuple(replica_ports), tuple(sentinel_ports),
                                     installed_version("redis") or "unknown", processes)
        _wait_for(lambda: _sentinels_see_each_other(group), "the sentinels to find each other")
        yield group
    finally:
        processes.stop_all()
        shutil.rmtree(folder, ignore_errors=True)


def _wait_for(ready: Callable[[], bool], what: str, seconds: float = _CLUSTER_READY_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if ready():
                return
        except Exception:  # noqa: BLE001 - not ready yet
            pass
        time.sleep(0.1)
    raise RuntimeError(f"timed out after {seconds:.0f} s waiting for {what}")


def _info(port: int, section: str) -> dict[str, Any]:
    import redis

    return redis.Redis(host="127.0.0.1", port=port, socket_timeout=2).info(section)


def _replicas_online(primary: int, count: int) -> bool:
    info = _info(primary, "replication")
    online = [v for k, v in info.items() if k.startswith("slave") and isinstance(v, dict)
              and v.get("state") == "online"]
    return len(online) >= count


def _sentinels_see_each_other(group: PrivateSentinelGroup) -> bool:
    import redis

    for port in group.sentinel_ports:
        client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=2)
        state = client.sentinel_master(group.master)
        if int(state.get("num-other-sentinels", 0)) < len(group.sentinel_ports) - 1:
            return False
        if int(state.get("num-slaves", 0)) < len(group.replica_ports):
            return False
    return True


@dataclass(frozen=True)
class PrivateCluster:
    """A running private Redis Cluster (primaries only, the 16384 slots split between them)."""

    ports: tuple[int, ...]
    version: str
    processes: _Processes

    @property
    def nodes(self) -> list[dict[str, Any]]:
        """The value for ``CACHE_REDIS_CLUSTER`` style start-up nodes."""
        return [{"host": "127.0.0.1", "port": port} for port in self.ports]

    @property
    def startup(self) -> str:
        """``"127.0.0.1:p1,127.0.0.1:p2,..."``: the value for ``CACHE_REDIS_CLUSTER``."""
        return ",".join(f"127.0.0.1:{port}" for port in self.ports)

    def client(self, **options: Any) -> Any:
        """A new ``redis.cluster.RedisCluster`` client."""
        from redis.cluster import ClusterNode, RedisCluster

        return RedisCluster(startup_nodes=[ClusterNode("127.0.0.1", p) for p in self.ports],
                            **{"socket_timeout": 5, **options})

    def node_client(self, port: int) -> Any:
        """A plain client for one node (it answers only for its own slots)."""
        import redis

        return redis.Redis(host="127.0.0.1", port=port, socket_timeout=5)


@contextmanager
def private_cluster(*config: str, nodes: int = 3) -> Iterator[PrivateCluster]:
    """A Redis Cluster of ``nodes`` primaries on free loopback ports (``redis-cli --cluster
    create``); every process is stopped and every port freed when the block ends, also when it
    raises."""
    path, cli = binary("redis"), cli_binary()
    if path is None or cli is None:
        raise ServerMissing(f"redis-server and redis-cli are not installed: {_INSTALL['redis']}")
    ports = _free_ports(2 * nodes)
    data_ports, bus_ports = ports[:nodes], ports[nodes:]
    folder = tempfile.mkdtemp(prefix="fcc-cluster-")
    processes = _Processes()
    try:
        for port, bus in zip(data_ports, bus_ports, strict=True):
            processes.start(_redis_argv(
                path, port, folder, "--dbfilename", f"d{port}.rdb", "--cluster-enabled", "yes",
                "--cluster-config-file", f"nodes-{port}.conf", "--cluster-port", str(bus),
                "--cluster-node-timeout", "2000", *config), port)
        created = subprocess.run(
            [cli, "--cluster", "create", *[f"127.0.0.1:{p}" for p in data_ports],
             "--cluster-replicas", "0", "--cluster-yes"],
            capture_output=True, text=True, timeout=60)
        if created.returncode != 0:
            raise RuntimeError(f"redis-cli --cluster create failed: {created.stdout[-500:]}"
                               f"{created.stderr[-500:]}")
        _wait_for(lambda: all(_info_cluster_ok(p, nodes) for p in data_ports),
                  "the cluster to agree on its slots")
        yield PrivateCluster(tuple(data_ports), installed_version("redis") or "unknown",
                             processes)
    finally:
        processes.stop_all()
        shutil.rmtree(folder, ignore_errors=True)


def _info_cluster_ok(port: int, nodes: int) -> bool:
    import redis

    info = redis.Redis(host="127.0.0.1", port=port, socket_timeout=2).execute_command(
        "CLUSTER", "INFO")
    text = info.decode() if isinstance(info, bytes) else str(info)
    fields = dict(line.split(":", 1) for line in text.split() if ":" in line)
    return (fields.get("cluster_state") == "ok"
            and int(fields.get("cluster_known_nodes", 0)) == nodes
            and int(fields.get("cluster_slots_ok", 0)) == 16384)
