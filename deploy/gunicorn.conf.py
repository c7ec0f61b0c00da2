"""gunicorn settings for the gateway: `gunicorn -c deploy/gunicorn.conf.py gateway.wsgi:app`.

Every value comes from services.common.config (GATEWAY_BIND, GATEWAY_WORKERS,
GATEWAY_THREADS, GATEWAY_TIMEOUT), like every other setting of the platform.
"""
from services.common.config import Settings

_settings = Settings.from_env()

bind = _settings.GATEWAY_BIND
workers = _settings.GATEWAY_WORKERS
# The gateway does not run under eventlet: threads wait on RPC replies instead.
worker_class = "gthread"
threads = _settings.GATEWAY_THREADS
# A request is cut off here; RPC_TIMEOUT is kept below it so the gateway answers 504 first.
timeout = _settings.GATEWAY_TIMEOUT
# Each worker makes its RPC proxies after the fork; nothing is loaded in the master.
preload_app = False
# gunicorn 25.1+ otherwise writes a control socket under $XDG_RUNTIME_DIR or $HOME.
control_socket_disable = True
accesslog = "-"
