"""What an operator sees of a nameko service: Prometheus metrics and readiness, on the small
HTTP endpoint of OPS_PORT (`/metrics`, `/healthz`, `/readyz`; deploy/RUNBOOK.md).

- metrics.py: the metrics every service shares (RPC and event handling), defined once.
- endpoint.py: the endpoint itself (OpsServer), the `Ops` dependency each service declares
  (it times every worker), and the readiness checks.
"""
