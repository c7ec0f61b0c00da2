"""Every setting the platform reads, in one place.

Each setting is an environment variable of the same name. nameko services receive them
through `deploy/nameko.yml` (which substitutes the same names and defaults, checked by
tests/test_deploy.py); the gateway reads them with `Settings.from_env()`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields

# Settings whose defaults are public: each must be a long random value of one's own wherever the
# platform can be reached from other machines (the gateway refuses to listen there otherwise).
SECRETS = ("PLATFORM_ADMIN_TOKEN", "GATEWAY_SECRET", "ACTOR_SECRET")


@dataclass(frozen=True)
class Settings:
    AMQP_URI: str = "amqp://guest:guest@127.0.0.1:5672/"
    MONGO_URI: str = "mongodb://127.0.0.1:27017/"
    # Each service owns one database on the MongoDB server.
    CONTENT_DB: str = "portal_content"
    RANKING_DB: str = "portal_ranking"
    # The ranking's criteria file; empty for the one shipped (services/ranking/criteria.toml).
    RANKING_CRITERIA: str = ""
    NOTIFY_DB: str = "portal_notify"
    # Search: the embedded engine (index on local disk) unless ELASTICSEARCH_URL is set.
    ELASTICSEARCH_URL: str = ""
    SEARCH_INDEX: str = "portal-articles"
    SEARCH_INDEX_DIR: str = "var/search-index"
    SMTP_HOST: str = "127.0.0.1"
    SMTP_PORT: int = 8025
    SMTP_USER: str = ""
    SMTP_PASSWORD: str = ""
    SMTP_STARTTLS: bool = False
    MAIL_FROM: str = "Cong thong tin dien tu <no-reply@portal.local>"
    # The address citizens use; links in emails are built from it.
    PUBLIC_URL: str = "http://127.0.0.1:8000"
    # The platform administrator kept in place at start-up; it creates units and users.
    PLATFORM_ADMIN_USER: str = "admin"
    PLATFORM_ADMIN_TOKEN: str = "change-me"
    # The gateway under gunicorn (deploy/gunicorn.conf.py); RPC_TIMEOUT stays below GATEWAY_TIMEOUT.
    GATEWAY_BIND: str = "127.0.0.1:8000"
    GATEWAY_WORKERS: int = 2
    GATEWAY_THREADS: int = 8
    GATEWAY_TIMEOUT: int = 30
    RPC_TIMEOUT: float = 10.0
    RPC_POOL_SIZE: int = 4
    MAX_BODY_BYTES: int = 1_000_000
    # Rendered pages each gateway process keeps (dropped by content events, not by time).
    PAGE_CACHE_SIZE: int = 5000
    # Search answers each gateway process keeps (dropped when the search index changes).
    SEARCH_ANSWERS_KEPT: int = 5000
    # Seconds between the batches of page views each gateway process sends to ranking.
    VISIT_FLUSH_INTERVAL: float = 1.0
    # Whether the gateway counts page views and shows the visit counters (off: neither).
    VISIT_COUNTING: bool = True
    # Signs the gateway's form tokens (CSRF) and confirmation links; every gateway process shares it.
    GATEWAY_SECRET: str = "change-me"
    # Signs the acting user's assertion that the gateway sends with each request to the services;
    # the gateway and every service share it, and a service refuses a user it names without it.
    ACTOR_SECRET: str = "change-me"
    # The proxies in front of the gateway (addresses or networks, comma-separated), whose
    # X-Forwarded-For names the citizen's address (gateway/client_addresses.py); none: the peer's.
    TRUSTED_PROXIES: str = ""
    # The most questions one client address may send to one unit in an hour.
    QUESTION_RATE_LIMIT: int = 5
    # A unit's board is reminded of citizens' questions waiting longer than this many days.
    QUESTION_REMINDER_DAYS: int = 7
    # The most emails a second one notify process sends (GOV.UK Notify's own cap); 0: no cap.
    NOTIFY_SEND_RATE: float = 350.0
    # Seconds between sweeps that re-send what a crash left undelivered.
    SWEEP_INTERVAL: float = 1.0
    # A failed event handler is retried after 1 s, 2 s, 4 s … (capped), then parked on this attempt.
    EVENT_MAX_ATTEMPTS: int = 8
    EVENT_RETRY_BASE_SECONDS: float = 1.0
    EVENT_RETRY_MAX_SECONDS: float = 300.0
    # Each nameko service's metrics and readiness endpoint (services/common/ops); 0: none. 9100 in
    # containers; `make run` gives each service its own (deploy/launcher.py).
    OPS_PORT: int = 0
    # Whether the gateway times each request and each service each RPC and event (off: to measure
    # what the timing costs, tests/benchmarks/bench_portal.py --metrics-off); /readyz and the counters stay.
    METRICS: bool = True

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @classmethod
    def defaults(cls) -> dict[str, object]:
        return {f.name: f.default for f in fields(cls)}

    @classmethod
    def from_mapping(cls, values) -> "Settings":
        """Build settings from a mapping (os.environ or a nameko container's config),
        converting text to each field's type; unknown keys are ignored."""
        kwargs = {}
        for f in fields(cls):
            if f.name not in values or values[f.name] is None:
                continue
            kwargs[f.name] = _convert(values[f.name], type(f.default))
        return cls(**kwargs)

    @classmethod
    def from_env(cls) -> "Settings":
        return cls.from_mapping(os.environ)

    def as_nameko_config(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.names()}


def _convert(value, kind):
    if isinstance(value, kind):
        return value
    text = str(value).strip()
    if kind is bool:
        return text.lower() in {"1", "true", "yes", "on"}
    return kind(text)
