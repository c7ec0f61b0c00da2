"""The metrics every service shares, named as Prometheus asks (`_total`, `_seconds`) and
labelled with bounded values only: the service, an entrypoint's method name, an outcome.

They live in the process's default registry; a service's own figures (outbox backlog, index
size …) are read when scraped, by collectors its dependencies register with the OpsServer.
"""
from prometheus_client import Counter, Histogram

# Pages wait on RPCs: buckets from a cached lookup (~1 ms) to the RPC timeout (10 s).
DURATION_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

RPC_DURATION = Histogram(
    "portal_rpc_duration_seconds", "Time a service took to serve an RPC, by method.",
    ["service", "method"], buckets=DURATION_BUCKETS)
RPC_ERRORS = Counter(
    "portal_rpc_errors_total",
    "RPCs that raised: 'refused' for errors the caller is meant to get (PortalError), 'failed' otherwise.",
    ["service", "method", "kind"])
EVENT_DURATION = Histogram(
    "portal_event_handling_seconds", "Time an event handler took, by handler, whatever the outcome.",
    ["service", "handler"], buckets=DURATION_BUCKETS)
EVENTS = Counter(
    "portal_events_handled_total",
    "Events a handler received, by outcome: 'ok', 'retried' (set aside to try again) or 'parked'.",
    ["service", "handler", "outcome"])
