"""`make test`'s two processes (tests/shards.py), run on a small suite of their own: every test
runs once, in one share or the other, each module's fixtures set up and torn down in the share
that runs it, and a failure in either share fails the run."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

from tests import shards
from tests.servers import project_root

CONFTEST = '''
import os, pytest

def note(line):
    with open(os.environ["SUITE_LOG"], "a") as log:
        log.write(f"{os.getpid()} {line}\\n")

@pytest.fixture(scope="session", autouse=True)
def server():
    note("session up")
    yield
    note("session down")
'''

MODULE = '''
import time

import pytest
from conftest import note

@pytest.fixture(scope="module", autouse=True)
def module_state(request):
    note(f"module up {{request.module.__name__}}")
    yield
    note(f"module down {{request.module.__name__}}")

@pytest.mark.parametrize("n", range({count}))
def test_case(request, n):
    note(f"ran {{request.node.nodeid}}")
    time.sleep(0.3)  # long enough that a share starting later still finds files to claim
    assert {passes}
'''


def suite(root: Path, sizes: dict[str, int], failing: str | None = None) -> Path:
    """Test files of the given sizes (some in packages), each test noting that it ran."""
    (root / "conftest.py").write_text(textwrap.dedent(CONFTEST))
    for name, count in sizes.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(MODULE.format(count=count, passes=name != failing))
    return root


def run_shares(root: Path, count: int = 2) -> tuple[subprocess.CompletedProcess, list[str]]:
    log = root / "suite.log"
    done = subprocess.run([sys.executable, "-m", "tests.shards", str(count), "-q", "-p", "no:cacheprovider",
                           "--rootdir", str(root), str(root)], cwd=root, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "SUITE_LOG": str(log), "PYTHONPATH": str(project_root())})
    return done, log.read_text().splitlines() if log.exists() else []


SIZES = {"test_big.py": 7, "alpha/test_one.py": 3, "alpha/test_two.py": 4, "beta/test_three.py": 2,
         "beta/deep/test_four.py": 5, "test_small.py": 1, "gamma/test_five.py": 6}


def test_every_test_runs_once_in_one_share_with_its_modules_fixtures_around_it(tmp_path):
    done, lines = run_shares(suite(tmp_path, SIZES))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "error" not in done.stdout.lower() and "torn down" not in done.stdout, done.stdout
    ran = Counter(line.split(" ", 2)[2] for line in lines if " ran " in line)
    expected = {f"{name}::test_case[{n}]" for name, count in SIZES.items() for n in range(count)}
    assert set(ran) == expected and set(ran.values()) == {1}, ran
    shares = {line.split()[0] for line in lines}
    assert len(shares) == 2, lines  # both took part
    for pid in shares:  # each share: its session once, each of its modules set up and down around its tests
        own = [line.split(" ", 1)[1] for line in lines if line.split()[0] == pid]
        assert own[0] == "session up" and own[-1] == "session down" and own.count("session up") == 1, own
        modules = [entry.split()[-1] for entry in own if entry.startswith("module up")]
        assert len(modules) == len(set(modules)), own
        for module in modules:
            start, end = own.index(f"module up {module}"), own.index(f"module down {module}")
            inside = own[start + 1:end]
            assert inside and all(entry.startswith("ran ") for entry in inside), own


def test_a_failure_in_either_share_fails_the_run_and_is_named(tmp_path):
    done, _ = run_shares(suite(tmp_path, SIZES, failing="beta/test_three.py"))
    assert done.returncode == 1, done.stdout
    assert "FAILED beta/test_three.py::test_case[0]" in done.stdout, done.stdout
    assert "the shares' exit codes:" in done.stdout


def test_files_are_dealt_longest_first_a_slow_test_counting_for_a_minute():
    def test(nodeid: str, slow: bool = False) -> SimpleNamespace:
        marked = {"slow"} if slow else set()
        return SimpleNamespace(nodeid=nodeid, get_closest_marker=lambda name: object() if name in marked else None)

    items = ([test(f"a.py::t{n}") for n in range(3)] + [test("b.py::fuzz", slow=True)]
             + [test(f"c.py::t{n}") for n in range(5)] + [test("d.py::t0")])
    assert [item.nodeid for item in shards.largest_first(items)] == [
        "b.py::fuzz", "c.py::t0", "c.py::t1", "c.py::t2", "c.py::t3", "c.py::t4",
        "a.py::t0", "a.py::t1", "a.py::t2", "d.py::t0"]
