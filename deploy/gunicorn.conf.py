"""gunicorn settings for the gateway: `gunicorn -c deploy/gunicorn.conf.py gateway.wsgi:app`.

Every value comes from services.common.config (GATEWAY_BIND, GATEWAY_WORKERS,
GATEWAY_THREADS, GATEWAY_TIMEOUT), like every other setting of the platform.

The gateway refuses to start (exit status 1, before it binds) when it would listen beyond this
machine while a secret (services.common.config.SECRETS) is still its public default; on
loopback it only warns.
"""
import ipaddress
import logging
import os
import shutil
import sys
import tempfile

from services.common.config import SECRETS, Settings
from services.common.logs import logging_config

_settings = Settings.from_env()

bind = _settings.GATEWAY_BIND
workers = _settings.GATEWAY_WORKERS
# gthread, by measurement (tests/benchmarks/README.md): cached pages cost the same under sync
# workers, but a sync worker waiting on an RPC reply serves no one: with 50 clients searching, the
# cached portal home kept 2,023 req/s under gthread 2x8 and 492 under sync 2x1, and deep list
# pages at 500 clients waited past 30 s. The gateway does not run under eventlet (stack.md):
# threads wait on RPC replies, and those beyond RPC_POOL_SIZE serve cached pages meanwhile.
worker_class = "gthread"
threads = _settings.GATEWAY_THREADS
# A request is cut off here; RPC_TIMEOUT is kept below it so the gateway answers 504 first.
timeout = _settings.GATEWAY_TIMEOUT
# Each worker makes its RPC proxies after the fork; nothing is loaded in the master.
preload_app = False
# gunicorn 25.1+ otherwise writes a control socket under $XDG_RUNTIME_DIR or $HOME.
control_socket_disable = True
accesslog = "-"
# JSON lines on stderr (services/common/logs.py, deploy/LOGS.md), LOG_FORMAT=plain for text; gunicorn's
# own loggers pass theirs to the root handler (access lines included: this replaces the stdout
# handler accesslog would add), each access line with its route, status, duration and request id.
logconfig_dict = logging_config(os.environ.get("LOG_FORMAT", "json"), service="gateway", loggers={
    "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
    "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": True, "filters": ["access"]},
})
logging.captureWarnings(True)  # Python's warnings too (eventlet's notice as a worker loads the app)
# A search may be a pasted paragraph (2,000 characters, ~5,000 bytes once Vietnamese is
# percent-encoded in the query string); gunicorn's default request line (4,094) answered 414.
limit_request_line = 8190  # gunicorn's most; 0 would mean a megabyte
# Metrics under several workers (gateway/ops.py): each worker writes its figures to files in this
# directory, which any worker's /metrics adds up; emptied when the gateway starts, and a worker
# that ends is marked dead so its live gauges stop counting.
_own_metrics_directory = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
_metrics_directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or os.path.join(
    tempfile.gettempdir(), f"portal-gateway-metrics-{os.getpid()}")
raw_env = [f"PROMETHEUS_MULTIPROC_DIR={_metrics_directory}"]


def _reachable_from_other_machines(address: str) -> bool:
    """`host:port`, `[v6]:port` or `unix:path`; a host name counts as reachable, except localhost."""
    if address.startswith("unix:"):
        return False
    host = address.rsplit(":", 1)[0].strip("[]")
    if host == "localhost":
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


_public_defaults = [name for name in SECRETS if getattr(_settings, name) == Settings.defaults()[name]]
if _public_defaults and _reachable_from_other_machines(bind):
    sys.exit(f"Refusing to start the gateway on {bind}: {', '.join(_public_defaults)} still "
             f"{'has' if len(_public_defaults) == 1 else 'have'} the public default value. Set each to a long "
             "random value (the same for the gateway and every service), or bind to 127.0.0.1.")


def on_starting(server):
    if _public_defaults:
        server.log.warning("%s still the public default: acceptable on %s only, never beyond this machine",
                           ", ".join(_public_defaults), bind)


def when_ready(server):
    os.makedirs(_metrics_directory, exist_ok=True)
    for name in os.listdir(_metrics_directory):  # an earlier run's figures
        if name.endswith(".db"):
            os.remove(os.path.join(_metrics_directory, name))


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid, _metrics_directory)


def on_exit(server):
    if _own_metrics_directory:
        shutil.rmtree(_metrics_directory, ignore_errors=True)
