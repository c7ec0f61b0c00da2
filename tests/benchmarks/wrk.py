"""wrk (Debian's package `wrk`) driven from Python: one run, its figures parsed."""
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

UNIQUE_PATHS = Path(__file__).with_name("unique_paths.lua")
UNIT_SCALE = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


@dataclass(frozen=True)
class Figures:
    rps: float
    p50: float  # seconds
    p99: float
    non_2xx: int  # "Non-2xx or 3xx responses": a 3xx counts as success
    socket_errors: int  # connect, read, write and timeout errors together

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors


def ensure_wrk():
    if shutil.which("wrk") is None:
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)


def run(url: str, seconds: int, connections: int, threads: int, timeout: float,
        paths_file: Path | None = None) -> Figures:
    """One wrk run on `url`, or on the paths of `paths_file` at `url`'s host (unique_paths.lua).
    `timeout`: seconds a request may take before wrk counts it as a socket error."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", f"--timeout={timeout}s", "--latency"]
    if paths_file is not None:
        command += ["-s", str(UNIQUE_PATHS), url, "--", str(paths_file), str(threads)]
    else:
        command.append(url)
    return parse(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def parse(out: str) -> Figures:
    percentiles = {percent: float(value) * UNIT_SCALE[unit] for percent, value, unit
                   in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.MULTILINE)}
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return Figures(rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
                   p50=percentiles["50"], p99=percentiles["99"],
                   non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
                   socket_errors=sum(map(int, sockets.groups())) if sockets else 0)
