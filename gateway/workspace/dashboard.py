"""A unit's dashboard: what needs doing today."""
from __future__ import annotations

from gateway.workspace.base import Workspace


class Dashboard(Workspace):
    def on_get(self, req, resp, unit):
        with self.rpc.services() as services:
            staff, unit = self.member(req, services, unit)
        self.render(req, resp, "workspace/dashboard.html", staff=staff, unit=unit)
