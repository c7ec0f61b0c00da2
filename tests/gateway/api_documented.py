"""One area's routes and their OpenAPI document (built as api_answers.build builds it), held as one
value with what an area's tests ask of it: answers checked against the document, the examples of
its bodies; and the users and second commune those tests need."""
from __future__ import annotations

import re
from typing import NamedTuple

from tests.gateway import api_answers
from tests.gateway.conftest import PORTAL_ADMIN, Portal


class Documented(NamedTuple):
    document: dict
    templates: list[str]  # as app.py names them

    def check(self, template: str, method: str, response) -> None:
        """`response` is one its operation documents, with a body its schema takes."""
        api_answers.check(self.document, method, template, response)

    def examples(self, component: str) -> list:
        return self.document["components"]["schemas"][component]["examples"]


def documented(portal: Portal, area: re.Pattern) -> Documented:
    """The document of the routes whose template `area` finds."""
    templates = [template for template, _ in api_answers.api_routes(portal.client) if area.search(template)]
    assert templates, f"no route matches {area.pattern}"
    return Documented(api_answers.build(portal, (), templates=tuple(templates)), templates)


def user(client, username: str, unit: str, role: str) -> dict:
    """A user holding `role` in `unit`, made through the API; their request headers."""
    made = client.simulate_post("/api/users", headers=PORTAL_ADMIN, json={
        "username": username, "name": username.replace("-", " ").title(), "email": f"{username}@example.vn",
        "roles": {unit: [role]}})
    assert made.status_code == 201, made.text
    return {"Authorization": f"Bearer {made.json['token']}"}


def second_commune(client) -> None:
    made = client.simulate_post("/api/units", headers=PORTAL_ADMIN, json={
        "slug": "phu-da", "name": "Thị trấn Phú Đa", "level": "xa", "parent": "thua-thien-hue"})
    assert made.status_code == 201, made.text
