"""A person at the workspace, as a browser without JavaScript would be: cookies kept between
requests, each form sent with the CSRF token of the page it came from, redirects followed.

`staffed` fills Xã Phú Mậu with its editorial board, one person per role, each with a password."""
from __future__ import annotations

import html
import re
from urllib.parse import urlencode, urlsplit

PASSWORD = "Mat-khau-thu-nghiem-2026"
BOARD = {  # username -> role in phu-mau
    "tac-gia": "author",
    "bien-tap": "editor",
    "tong-bien-tap": "editor_in_chief",
    "quan-tri-xa": "unit_admin",
}
_TOKEN = re.compile(r'name="ma_bieu_mau" value="([^"]+)"')


def staffed(client, unit: str = "phu-mau") -> None:
    """One person per role in `unit`, each signing in with PASSWORD."""
    from tests.gateway.conftest import PORTAL_ADMIN  # conftest uses this module: imported when called
    for username, role in BOARD.items():
        created = client.simulate_post("/api/users", headers=PORTAL_ADMIN, json={
            "username": username, "name": f"Cán bộ {username}", "roles": {unit: [role]}, "password": PASSWORD})
        assert created.status_code == 201, created.text


def signed_in(client, username: str, password: str = PASSWORD, desk: type["Desk"] | None = None) -> "Desk":
    """A Desk (or a `desk` subclass) with `username` signed in."""
    signed = (desk or Desk)(client)
    answered = signed.sign_in(username, password)
    assert answered.status_code == 200, answered.text
    return signed


class Desk:
    def __init__(self, client):
        self.client = client
        self.cookies: dict[str, str] = {}
        self.last = None

    def get(self, path: str, follow: bool = True, **kwargs):
        return self._send("GET", path, follow, **kwargs)

    def post(self, path: str, fields: dict | list | None = None, follow: bool = True, token: str | None = None,
             **kwargs):
        """POST `fields` as a form, with the CSRF token of the last page (or `token`; "" for none)."""
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields or [])
        token = self.token() if token is None else token
        if token:
            pairs.append(("ma_bieu_mau", token))
        return self._send("POST", path, follow, body=urlencode(pairs),
                          headers={"Content-Type": "application/x-www-form-urlencoded"}, **kwargs)

    def sign_in(self, username: str, password: str = PASSWORD):
        self.get("/quan-tri/dang-nhap")
        return self.post("/quan-tri/dang-nhap", {"username": username, "password": password})

    def token(self) -> str:
        found = _TOKEN.search(self.last.text if self.last is not None else "")
        return html.unescape(found.group(1)) if found else ""

    def _send(self, method, path, follow, headers=None, **kwargs):
        headers = dict(headers or {})
        path, _, query = path.partition("?")
        result = self.client.simulate_request(method, path, query_string=query or None, headers=headers,
                                              cookies=dict(self.cookies), **kwargs)
        for cookie in result.cookies.values():
            if cookie.max_age == 0 or cookie.value == "":
                self.cookies.pop(cookie.name, None)
            else:
                self.cookies[cookie.name] = cookie.value
        if follow and result.status_code in (301, 302, 303) and result.headers.get("location"):
            location = urlsplit(result.headers["location"])
            target = location.path + ("?" + location.query if location.query else "")
            return self._send("GET", target, True)
        # A redirect's own short page is no page a person fills in: the forms are the last page's.
        is_redirect = 300 <= result.status_code < 400
        if result.headers.get("content-type", "").startswith("text/html") and not is_redirect:
            self.last = result
        return result
