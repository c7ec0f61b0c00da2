"""The processes `make run` keeps alive, under supervisord (supervisor 4.3), as compose's
`restart:` and a Kubernetes Deployment keep containers alive.

One supervisord per run directory: `.run/supervisord.conf` (written here), its socket
`.run/supervisor.sock` (mode 0700) and its PID in `.run/pids/supervisord.pid`. A process that
exits is started again at once; one that exits again before STARTSECS waits a second longer
each time (1 s, 2 s, 3 s …) and, after STARTRETRIES such tries, is left FATAL for a person
(`make run` starts it again). Each process logs to `.run/logs/<name>.log`. Stopping goes by
priority, highest first: the gateway, then the services, the backing servers last.

`supervisorctl -c .run/supervisord.conf status|pid NAME|tail -f NAME` works on it too.
"""
from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
import xmlrpc.client
from dataclasses import dataclass, field
from pathlib import Path

from supervisor.states import RUNNING_STATES, ProcessStates, getProcessStateDescription
from supervisor.xmlrpc import Faults, SupervisorTransport

BIN = Path(sys.executable).parent
# Seconds a process must stay up to count as started, and how many quick exits in a row are retried.
STARTSECS = 3
STARTRETRIES = 30
# Seconds a process has to stop on SIGTERM before its whole process group is killed.
STOPWAITSECS = 15
# A program on its way up, up, or on its way down.
_UP = {getProcessStateDescription(state) for state in (*RUNNING_STATES, ProcessStates.STOPPING)}


@dataclass(frozen=True)
class Program:
    name: str
    command: list[str]
    priority: int  # started in this order by the launcher, stopped in the reverse order
    environment: dict[str, str] = field(default_factory=dict)  # on top of what supervisord was given


@dataclass(frozen=True)
class ProcessState:
    state: str  # RUNNING, STARTING, BACKOFF, STOPPED, EXITED, FATAL …
    pid: int | None
    description: str  # supervisord's own: "pid 1234, uptime 0:01:02", "Exited too quickly" …


class Supervisor:
    def __init__(self, run_dir: Path, directory: Path):
        self.directory = directory  # where every program runs
        self.config_path = run_dir / "supervisord.conf"
        self.socket_path = run_dir / "supervisor.sock"
        self.pid_path = run_dir / "pids" / "supervisord.pid"
        self.log_dir = run_dir / "logs"

    # supervisord itself

    def running(self) -> bool:
        try:
            return self._api().supervisor.getState()["statename"] == "RUNNING"
        except (OSError, xmlrpc.client.Error):
            return False

    def launch(self, programs: list[Program], environment: dict[str, str]):
        """Write the configuration and start supervisord with `environment`, which every
        program inherits. It daemonizes: it outlives the command that started it."""
        self.pid_path.parent.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        # Private: a program's environment may hold a password (its own broker user's).
        self.config_path.touch(mode=0o600)
        self.config_path.chmod(0o600)
        self.config_path.write_text(self._config(programs))
        subprocess.run([str(BIN / "supervisord"), "-c", str(self.config_path)], env=environment, check=True)
        wait_until(self.running, 15, "supervisord")

    def shutdown(self):
        """Stop every program still running, by priority (see the module's docstring), then supervisord."""
        if not self.running():
            return
        pid = int(self.pid_path.read_text())
        self._api().supervisor.shutdown()
        wait_until(lambda: not _alive(pid), STOPWAITSECS * 8, "supervisord to stop everything")

    # Its programs

    def start(self, name: str):
        """Start one program unless it is already up (or on its way up)."""
        try:
            self._api().supervisor.startProcess(name, False)
        except xmlrpc.client.Fault as fault:
            if fault.faultCode != Faults.ALREADY_STARTED:
                raise

    def stop(self, *names: str):
        """Stop these programs together, and keep them stopped (until `start`)."""
        api = self._api()
        for name in names:
            try:
                api.supervisor.stopProcess(name, False)
            except xmlrpc.client.Fault as fault:
                if fault.faultCode not in (Faults.NOT_RUNNING, Faults.BAD_NAME):
                    raise

        def stopped():
            states = self.states()
            return not any(states[name].state in _UP for name in names if name in states)

        wait_until(stopped, STOPWAITSECS + 5, f"{', '.join(names)} to stop")

    def states(self) -> dict[str, ProcessState]:
        return {info["name"]: ProcessState(info["statename"], info["pid"] or None, info["description"])
                for info in self._api().supervisor.getAllProcessInfo()}

    def anything_up(self) -> bool:
        return any(process.state in _UP for process in self.states().values())

    def _api(self):
        transport = SupervisorTransport(None, None, f"unix://{self.socket_path}")
        return xmlrpc.client.ServerProxy("http://127.0.0.1", transport=transport)

    def _config(self, programs: list[Program]) -> str:
        sections = [
            ("supervisord", {"logfile": self.log_dir / "supervisord.log", "pidfile": self.pid_path,
                             "childlogdir": self.log_dir}),
            ("unix_http_server", {"file": self.socket_path, "chmod": "0700"}),
            ("rpcinterface:supervisor",
             {"supervisor.rpcinterface_factory": "supervisor.rpcinterface:make_main_rpcinterface"}),
            ("supervisorctl", {"serverurl": f"unix://{self.socket_path}"}),
        ]
        for program in programs:
            sections.append((f"program:{program.name}", {
                "command": shlex.join(program.command),
                "directory": self.directory,
                "priority": program.priority,
                # The launcher starts each in order, once what it needs is up.
                "autostart": "false",
                "autorestart": "true",
                "startsecs": STARTSECS,
                "startretries": STARTRETRIES,
                "stopsignal": "TERM",
                "stopwaitsecs": STOPWAITSECS,
                # gunicorn's workers and anything else a program forks go with it.
                "stopasgroup": "true",
                "killasgroup": "true",
                "redirect_stderr": "true",
                "stdout_logfile": self.log_dir / f"{program.name}.log",
                "stdout_logfile_maxbytes": "10MB",
                "stdout_logfile_backups": 3,
                **({"environment": _environment(program.environment)} if program.environment else {}),
            }))
        return "\n".join(f"[{name}]\n" + "".join(f"{key}={_escaped(value)}\n" for key, value in options.items())
                         for name, options in sections)


def _environment(variables: dict[str, str]) -> str:
    """supervisord's KEY="value",… form; its parser has no escape for a double quote."""
    for name, value in variables.items():
        if '"' in str(value):
            raise ValueError(f"{name} contains a double quote, which supervisord cannot be given")
    return ",".join(f'{name}="{value}"' for name, value in variables.items())


def _escaped(value) -> str:
    return str(value).replace("%", "%%")  # supervisord expands %(name)s in every value


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_until(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise RuntimeError(f"timed out after {timeout:.0f}s waiting for {what}")
