"""The whole platform as `make run` starts it (deploy/launcher.py), for the operations tests:
its own vhost, databases, search index and ports."""
from __future__ import annotations

import uuid
from contextlib import contextmanager

from deploy.launcher import Platform
from services.common.config import Settings
from tests.servers import free_port


@contextmanager
def running_platform(vhost_pipeline, amqp_uri: str, mongo_server, smtp_server, tmp_path_factory, **settings):
    """A started Platform with `.settings`; `settings` override the test defaults."""
    tag = uuid.uuid4().hex[:10]
    port = free_port()
    with vhost_pipeline.get() as vhost:
        chosen = Settings(**{
            "AMQP_URI": f"{amqp_uri.rstrip('/')}/{vhost}", "MONGO_URI": mongo_server.uri,
            "SMTP_PORT": smtp_server.port, "CONTENT_DB": f"content_{tag}", "RANKING_DB": f"ranking_{tag}",
            "NOTIFY_DB": f"notify_{tag}", "SEARCH_INDEX": f"articles-{tag}",
            "SEARCH_INDEX_DIR": str(tmp_path_factory.mktemp("search-index")), "PLATFORM_ADMIN_TOKEN": f"ops-{tag}",
            "GATEWAY_BIND": f"127.0.0.1:{port}", "PUBLIC_URL": f"http://127.0.0.1:{port}", "GATEWAY_WORKERS": 1,
            **settings})
        platform = Platform(tmp_path_factory.mktemp("platform"), chosen.as_nameko_config())
        platform.start(log=lambda *_: None)
        platform.settings, platform.port = chosen, port
        try:
            yield platform
        finally:
            platform.stop(log=lambda *_: None)
