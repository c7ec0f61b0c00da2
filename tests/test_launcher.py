"""`make run`, `make status` and `make stop` as a person runs them: `python -m deploy.launcher`
in a subprocess, on a throwaway run directory, vhost, databases and ports; and `make run`'s demo
data (a few of its units, in the test's process), whose address is printed only once it is ready.

supervisord keeps every process alive: a second start adds nothing, a process killed with
SIGKILL is back within seconds, stop leaves no process behind. The secrets kept in the run
directory are checked on their own first.
"""
from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from deploy.demo_data import ARTICLES, PASSES, units
from deploy.launcher import SERVICES, Platform, start
from deploy.local_secrets import kept_secrets
from services.common.config import SECRETS
from tests.servers import free_port, project_root, subprocess_env, wait_for

ROOT = project_root()


# --- secrets -------------------------------------------------------------------------------


def test_secrets_are_made_once_private_and_kept(tmp_path):
    path = tmp_path / "run" / "secrets.env"
    first = kept_secrets(path, {})
    assert set(first) == set(SECRETS)
    assert all(len(value) >= 40 and value != "change-me" for value in first.values())
    assert len(set(first.values())) == len(SECRETS)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert kept_secrets(path, {}) == first


def test_secrets_set_in_the_environment_win_and_the_rest_are_still_kept(tmp_path):
    path = tmp_path / "secrets.env"
    kept = kept_secrets(path, {"ACTOR_SECRET": "from-the-environment", "GATEWAY_SECRET": ""})
    assert set(kept) == {"PLATFORM_ADMIN_TOKEN", "GATEWAY_SECRET"}  # empty counts as unset
    assert kept_secrets(path, {})["PLATFORM_ADMIN_TOKEN"] == kept["PLATFORM_ADMIN_TOKEN"]


def test_a_secret_missing_from_an_older_file_is_added_and_the_file_made_private(tmp_path):
    path = tmp_path / "secrets.env"
    path.write_text("PLATFORM_ADMIN_TOKEN=kept-from-before\n")
    path.chmod(0o644)
    kept = kept_secrets(path, {})
    assert kept["PLATFORM_ADMIN_TOKEN"] == "kept-from-before"
    assert kept["ACTOR_SECRET"] and kept["GATEWAY_SECRET"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# --- the platform under supervisord --------------------------------------------------------


def launcher(run_dir: Path, environment: dict, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "deploy.launcher", *arguments, "--run-dir", str(run_dir)],
                          cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300)


@pytest.fixture
def launched(settings, tmp_path):
    """`make run` (without demo data) with everything but the secrets set by the test."""
    port = free_port()
    environment = subprocess_env(**{**settings.as_nameko_config(), "GATEWAY_BIND": f"127.0.0.1:{port}",
                                    "PUBLIC_URL": f"http://127.0.0.1:{port}", "GATEWAY_WORKERS": 1})
    for name in SECRETS:
        environment.pop(name)
    run_dir = tmp_path / "run"
    started = launcher(run_dir, environment, "start")
    platform = Platform(run_dir, environment)
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        yield platform, environment, started.stdout
    finally:
        platform.stop(log=lambda *_: None)


def children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            # pid (comm) state ppid …; comm may hold spaces, so read after its closing parenthesis.
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        tree.setdefault(int(fields[1]), []).append(int(stat_file.parent.name))
    return tree


def process_tree(root: int) -> set[int]:
    tree, found, waiting = children(), set(), [root]
    while waiting:
        pid = waiting.pop()
        found.add(pid)
        waiting.extend(tree.get(pid, []))
    return found


def command_lines() -> list[bytes]:
    lines = []
    for path in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            lines.append(path.read_bytes())
        except (FileNotFoundError, ProcessLookupError):
            continue  # ended meanwhile
    return lines


def supervisord_pid(platform: Platform) -> int:
    return int((platform.pid_dir / "supervisord.pid").read_text())


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_make_run_keeps_its_secrets_in_the_run_directory_and_says_where(launched):
    platform, _, output = launched
    path = platform.run_dir / "secrets.env"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    secrets = dict(line.split("=", 1) for line in path.read_text().splitlines() if not line.startswith("#"))
    assert set(secrets) == set(SECRETS)
    assert str(path) in output
    assert secrets["PLATFORM_ADMIN_TOKEN"] in output  # the demo users need it
    # Every process was given them.
    gateway_environment = Path(f"/proc/{platform.pid('gateway')}/environ").read_bytes().split(b"\0")
    assert f"ACTOR_SECRET={secrets['ACTOR_SECRET']}".encode() in gateway_environment


def test_a_second_start_adds_nothing(launched):
    platform, environment, _ = launched
    pids = {name: process.pid for name, process in platform.status().items()}
    assert set(pids) == {*SERVICES, "gateway"} and all(pids.values())
    before = process_tree(supervisord_pid(platform))
    secrets = (platform.run_dir / "secrets.env").read_text()

    again = launcher(platform.run_dir, environment, "start")

    assert again.returncode == 0, again.stdout + again.stderr
    assert "Already running" in again.stdout
    assert {name: process.pid for name, process in platform.status().items()} == pids
    assert process_tree(supervisord_pid(platform)) == before
    config = str(platform.run_dir / "supervisord.conf").encode()
    assert sum(config in command for command in command_lines()) == 1, "one supervisord for the run directory"
    assert (platform.run_dir / "secrets.env").read_text() == secrets


def test_status_lists_every_process_and_pid_names_the_current_one(launched):
    platform, environment, _ = launched
    status = launcher(platform.run_dir, environment, "status")
    lines = {line.split()[0]: line.split()[1] for line in status.stdout.splitlines()}
    assert set(lines) == set(platform.status())
    assert set(lines.values()) <= {"RUNNING", "STARTING"}
    pid = launcher(platform.run_dir, environment, "pid", "content")
    assert int(pid.stdout) == platform.pid("content")


@pytest.mark.parametrize("name", ["content", "gateway"])
def test_a_process_killed_with_sigkill_is_back_within_seconds(launched, name):
    platform, _, _ = launched
    killed = platform.pid(name)
    os.kill(killed, signal.SIGKILL)
    wait_for(lambda: platform.pid(name) not in (None, killed), timeout=10, message=f"a new {name} process")
    if name == "gateway":
        wait_for(lambda: requests.get(f"{platform.url}/healthz", timeout=2).ok, timeout=30,
                 message="the gateway answering again")
    else:
        platform.wait_for_service(name, timeout=30)
    assert f"exited: {name} (terminated by SIGKILL" in (platform.log_dir / "supervisord.log").read_text()


def test_stop_leaves_no_process_behind(launched):
    platform, environment, _ = launched
    processes = process_tree(supervisord_pid(platform))
    assert len(processes) > len(platform.status())  # supervisord and gunicorn's workers besides

    stopped = launcher(platform.run_dir, environment, "stop")

    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert not [pid for pid in processes if alive(pid)]
    assert "Not running" in launcher(platform.run_dir, environment, "status").stdout
    assert platform.pid("content") is None


# --- the demo data: the address comes last, once the pages are ready ------------------------

DEMO_UNITS = ("thua-thien-hue", "thanh-pho-hue", "phuong-thuy-bieu")  # parents before children


@pytest.mark.slow
def test_the_address_is_printed_once_the_demos_pages_are_ready_and_before_its_past(settings, tmp_path, capsys):
    port = free_port()
    environment = {**settings.as_nameko_config(), "GATEWAY_BIND": f"127.0.0.1:{port}",
                   "PUBLIC_URL": f"http://127.0.0.1:{port}", "GATEWAY_WORKERS": 1,
                   "PLATFORM_ADMIN_TOKEN": "launcher-test-token"}
    platform = Platform(tmp_path / "run", environment)
    chosen = [unit for unit in units() if unit["slug"] in DEMO_UNITS]
    try:
        start(platform, demo=True, only=chosen)
        # At once, no waiting: the last unit's newest article is on the portal and in search.
        last = chosen[-1]["slug"]
        newest = requests.get(f"{platform.url}/api/units/{last}/articles", params={"limit": 1}, timeout=10).json()
        path = f"/{last}/tin-tuc/{newest['items'][0]['slug']}"
        assert requests.get(platform.url + path, timeout=10).status_code == 200
        found = requests.get(f"{platform.url}/api/search", timeout=10,
                             params={"q": newest["items"][0]["title"], "unit": last}).json()["items"]
        assert path in [hit["path"] for hit in found]
        # The past months came after the address, before start() returned: more than this week's three.
        this_week = requests.get(f"{platform.url}/api/units/{last}/articles", params={"limit": len(ARTICLES)},
                                 timeout=10).json()
        assert this_week["next"] is not None
    finally:
        platform.stop(log=lambda *_: None)
    output = capsys.readouterr().out
    up, ready = output.index("Services up"), output.index("Waiting until the demo's pages are ready")
    address = output.index("Cổng thông tin điện tử: ")
    this_week, past = output.index(f"{PASSES[False]}: {len(chosen)}/{len(chosen)}"), output.index(PASSES[True])
    loaded = output.index("Demo data loaded in")
    assert up < this_week < ready < address < past < loaded
    assert "Khu làm việc" in output[address:past], "the workspace's sign-ins with the address"
    assert platform.url not in output[:address], "no address to open before the demo is in"
    assert "Platform running" not in output
