"""support.servers: private real servers, and demonstrations that run live or from a recording."""

from __future__ import annotations

import re

import nbformat
import pytest
from conftest import ROOT

from support import servers

DEMO_CALL = re.compile(r"real_server_demo\(\s*[\"']([^\"']+)[\"']")


def _demo_cells():
    for folder in ("notebooks", "solutions"):
        for path in sorted((ROOT / folder).glob("*.ipynb")):
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
