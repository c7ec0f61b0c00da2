"""The workspace's people and pages for the browser tests: Phường Thủy Biều's editorial board,
one person per role, each with a password, a person who works in two units (for the chooser),
and every workspace page with the role that opens it.

Signing in costs a sign-in attempt from 127.0.0.1, and one address may try 60 an hour
(services/content/sessions.py): each person signs in once per test module, in a browser, and
the tests open pages with the cookies that left (`signed_in`)."""
from __future__ import annotations

from dataclasses import dataclass

import requests

from tests.browser.conftest import TOKEN, UNIT, next_page

PASSWORD = "Mat-khau-thu-nghiem-2026"
SIGN_IN = "/quan-tri/dang-nhap"
BOARD = {  # username -> role in the ward
    "tb-tac-gia": "author",
    "tb-bien-tap": "editor",
    "tb-tong-bien-tap": "editor_in_chief",
    "tb-quan-tri": "unit_admin",
}
TWO_UNITS = "tb-hai-don-vi"  # an editor in the ward and in the city
OTHER_UNIT = "thanh-pho-hue"


def create_board(site) -> None:
    """The ward's board and the person of two units, through the JSON API as the platform admin."""
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {TOKEN}"
    people = {username: {UNIT: [role]} for username, role in BOARD.items()}
    people[TWO_UNITS] = {UNIT: ["editor"], OTHER_UNIT: ["editor"]}
    for username, roles in people.items():
        created = api.post(f"{site.url}/api/users", timeout=30, json={
            "username": username, "name": f"Cán bộ {username}", "roles": roles, "password": PASSWORD})
        assert created.status_code == 201, created.text


def sign_in(page, url: str, username: str, password: str = PASSWORD):
    """Sign in on the page's tab, from the sign-in page, by typing and Enter as a person would."""
    page.goto(url + SIGN_IN)
    page.locator("#ten-dang-nhap").fill(username)
    page.locator("#mat-khau").fill(password)
    page.locator("#mat-khau").press("Enter")
    next_page(page, "header .workspace-person", timeout=30)


@dataclass(frozen=True)
class WorkspacePage:
    """A workspace page: who opens it (None: nobody signed in) and its address, which may name
    things the module made (`made["article"]`…)."""

    who: str | None
    path: str

    def address(self, made: dict) -> str:
        return self.path.format(unit=UNIT, **made)


WORKSPACE = f"/quan-tri/{UNIT}"
AUTHOR, EDITOR, CHIEF, ADMIN = BOARD
# Every workspace page (gateway/app.py's routes under /quan-tri), named, with who opens it.
PAGES = {
    "sign-in": WorkspacePage(None, SIGN_IN),
    "password change": WorkspacePage(AUTHOR, "/quan-tri/mat-khau"),
    "unit chooser": WorkspacePage(TWO_UNITS, "/quan-tri"),
    "dashboard": WorkspacePage(CHIEF, WORKSPACE),
}
