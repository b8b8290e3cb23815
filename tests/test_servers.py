"""support.servers: private real servers, and demonstrations that run live or from a recording."""

from __future__ import annotations

import re

import nbformat
import pytest
from conftest import ROOT

from support import servers
from support.course import notebook_paths

DEMO_CALL = re.compile(r"real_server_demo\(\s*[\"']([^\"']+)[\"']")


def _demo_cells():
    for folder in ("notebooks", "solutions"):
        for path in notebook_paths(folder):
            nb = nbformat.read(path, as_version=4)
            for index, cell in enumerate(nb.cells):
                if cell.cell_type == "code":
                    for name in DEMO_CALL.findall(cell.source):
                        yield f"{folder}/{path.name}#{index}", name, cell


DEMO_CELLS = list(_demo_cells())


@pytest.mark.parametrize("where,name,cell", DEMO_CELLS, ids=[d[0] for d in DEMO_CELLS])
def test_recording_matches_the_stored_output(where, name, cell) -> None:
    stored = "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")
    lines = stored.splitlines()
    assert lines and lines[0].startswith(("[live: ", "[recorded on ")), f"{where}: no demo header"
    assert lines[1:] == servers.recorded_lines(name)[1:], (
        f"{where}: support/recorded/{name}.txt differs from the cell's stored output; "
        f"re-run the notebook with {servers.RECORD_ENV}=1")


def test_every_recording_is_used() -> None:
    used = {name for _, name, _ in DEMO_CELLS}
    files = {p.stem for p in servers.RECORDED_DIR.glob("*.txt")}
    assert files <= used, f"recordings no notebook uses: {sorted(files - used)}"


def test_recorded_lines_are_printed_without_the_binary(monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setattr(servers, "RECORDED_DIR", tmp_path)
    monkeypatch.setattr(servers, "installed_version", lambda kind: None)
    (tmp_path / "demo.txt").write_text("redis-server 7.0.15\nsurvived: True\n")
    servers.real_server_demo("demo", lambda: pytest.fail("the demo must not run"))
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("[recorded on redis-server 7.0.15; install Redis")
    assert out[1:] == ["survived: True"]


def test_a_missing_recording_says_how_to_make_one(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(servers, "RECORDED_DIR", tmp_path)
    monkeypatch.setattr(servers, "installed_version", lambda kind: None)
    with pytest.raises(FileNotFoundError, match="FCC_RECORD_DEMOS=1"):
        servers.real_server_demo("nothing-here", list)


def test_live_run_prints_and_records(monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setattr(servers, "RECORDED_DIR", tmp_path)
    monkeypatch.setattr(servers, "installed_version", lambda kind: "9.9.9")
    monkeypatch.setenv(servers.RECORD_ENV, "1")
    servers.real_server_demo("demo", lambda: ["a: 1", "b: 2"])
    assert capsys.readouterr().out.splitlines() == [
        "[live: redis-server 9.9.9 on a private port]", "a: 1", "b: 2"]
    assert (tmp_path / "demo.txt").read_text() == "redis-server 9.9.9\na: 1\nb: 2\n"


def test_names_cannot_leave_the_folder() -> None:
    for bad in ("", "../x", ".hidden", "a/b"):
        with pytest.raises(ValueError):
            servers.recorded_path(bad)


def test_missing_binary_is_a_clear_error(monkeypatch) -> None:
    monkeypatch.setattr(servers, "binary", lambda kind: None)
    with pytest.raises(servers.ServerMissing, match="apt-get install redis-server"):
        with servers.private_redis():
            pass
    with pytest.raises(servers.ServerMissing, match="apt-get install memcached"):
        with servers.private_memcached():
            pass


@pytest.mark.skipif(servers.binary("redis") is None, reason="redis-server is not installed")
def test_private_redis_starts_with_its_config_and_always_stops() -> None:
    with pytest.raises(KeyError):
        with servers.private_redis("--maxmemory", "3mb") as server:
            client = server.client()
            assert client.ping()
            assert client.config_get("maxmemory")["maxmemory"] == str(3 * 1024 * 1024)
            port = server.port
            raise KeyError("a failing cell")
    import socket
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    assert not servers._running


@pytest.mark.skipif(servers.binary("memcached") is None, reason="memcached is not installed")
def test_private_memcached_starts_and_stops() -> None:
    import memcache

    with servers.private_memcached("-m", "8") as server:
        client = memcache.Client(server.servers)
        assert client.set("fcc-test", "1") and client.get("fcc-test") == "1"
        port = server.port
    import socket
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()


# --- added for h/l08: the private Sentinel group and Cluster always stop ----------------------

needs_redis = pytest.mark.skipif(servers.binary("redis") is None or servers.cli_binary() is None,
                                 reason="redis-server / redis-cli are not installed")


def _all_ports_closed(ports) -> bool:
    return all(servers.port_is_closed(port) for port in ports)


@needs_redis
def test_private_sentinel_group_fails_over_and_always_stops() -> None:
    with pytest.raises(KeyError):
        with servers.private_sentinel_group() as group:
            ports = [group.primary_port, *group.replica_ports, *group.sentinel_ports]
            processes = list(group.processes.by_port.values())
            assert len(processes) == 5 and all(p.poll() is None for p in processes)
            assert group.primary_address() == ("127.0.0.1", group.primary_port)
            group.client(group.primary_port).set("k", "v")
            group.client(group.primary_port).execute_command("WAIT", 1, 2000)
            assert group.client(group.replica_ports[0]).get("k") == b"v"
            raise KeyError("a failing cell")
    assert _all_ports_closed(ports)
    assert all(p.poll() is not None for p in processes)
    assert not servers._running


@needs_redis
def test_private_cluster_spreads_slots_and_always_stops() -> None:
    with pytest.raises(KeyError):
        with servers.private_cluster() as cluster:
            ports = list(cluster.ports)
            processes = list(cluster.processes.by_port.values())
            client = cluster.client()
            names = [f"k{n}" for n in range(30)]
            for name in names:
                client.set(name, 1)
            per_node = [cluster.node_client(port).dbsize() for port in ports]
            assert sum(per_node) == 30 and all(per_node), per_node
            raise KeyError("a failing cell")
    assert _all_ports_closed(ports)
    assert all(p.poll() is not None for p in processes)
    assert not servers._running


@needs_redis
def test_a_start_that_fails_stops_what_it_started(monkeypatch) -> None:
    started = []
    original = servers._Processes.start

    def start_then_fail(self, argv, port, name="redis-server"):
        original(self, argv, port, name)
        started.append((port, self.by_port[port]))
        if len(started) == 3:
            raise RuntimeError("the third process did not come up")

    monkeypatch.setattr(servers._Processes, "start", start_then_fail)
    with pytest.raises(RuntimeError, match="third process"):
        with servers.private_sentinel_group():
            pytest.fail("the block must not run")
    assert _all_ports_closed([port for port, _ in started])
    assert all(process.poll() is not None for _, process in started)


@pytest.mark.kernel
@needs_redis
def test_nothing_is_left_behind_when_a_notebook_cell_fails(tmp_path) -> None:
    """A cell raises inside the blocks, in a real kernel: every process and port is gone."""
    import json

    import nbformat
    from nbclient import NotebookClient

    record = tmp_path / "ports.json"
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(
            "import json, os\nfrom support import servers\n"
            "with servers.private_sentinel_group() as group:\n"
            f"    ports = [group.primary_port, *group.replica_ports, *group.sentinel_ports]\n"
            "    pids = [p.pid for p in group.processes.by_port.values()]\n"
            "    with servers.private_cluster() as cluster:\n"
            "        ports += list(cluster.ports)\n"
            "        pids += [p.pid for p in cluster.processes.by_port.values()]\n"
            f"        open({str(record)!r}, 'w').write(json.dumps([ports, pids]))\n"
            "        1 / 0\n"),
        nbformat.v4.new_code_cell("print(len(servers._running))"),
    ])
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(ROOT)}}).execute()
    assert nb.cells[0].outputs[-1]["ename"] == "ZeroDivisionError"
    assert nb.cells[1].outputs[0]["text"].strip() == "0"
    ports, pids = json.loads(record.read_text())
    assert len(ports) == 8 and _all_ports_closed(ports)
    for pid in pids:
        assert not _alive(pid), f"process {pid} outlived the failing cell"


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie of an exited child counts as gone
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split()[2] != "Z"
    except OSError:
        return True


def test_missing_binaries_for_groups_are_a_clear_error(monkeypatch) -> None:
    monkeypatch.setattr(servers, "cli_binary", lambda: None)
    with pytest.raises(servers.ServerMissing, match="redis-cli"):
        with servers.private_cluster():
            pass
    monkeypatch.setattr(servers, "binary", lambda kind: None)
    with pytest.raises(servers.ServerMissing, match="apt-get install redis-server"):
        with servers.private_sentinel_group():
            pass
