"""What a browser would send from a page's form: every control's name and value as the page
holds them (ticked boxes only, the chosen option), so a test changes one field and sends the
rest untouched, as a person does. And a form with a file, as multipart/form-data."""
from __future__ import annotations

import uuid
from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, list[list[str]]]] = []  # (action, [[name, value], ...])
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append((attrs.get("action", ""), []))
        elif not self.forms:
            return
        fields = self.forms[-1][1]
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                fields.append([name, attrs.get("value", "on" if attrs.get("type") == "checkbox" else "")])
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
            fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected] or [v for v, _ in self._options[:1]]
            if chosen:
                self.forms[-1][1].append([self._select, chosen[0]])
            self._select = None
        elif tag == "textarea":
            if self._textarea is not None and self._textarea[1].startswith("\n"):
                self._textarea[1] = self._textarea[1][1:]  # HTML drops a textarea's first newline
            self._textarea = None


def form_fields(page_html: str, action: str) -> dict[str, str]:
    """The fields of the page's form posting to `action`, without its CSRF token (Desk adds it)."""
    parser = _Forms()
    parser.feed(page_html)
    for form_action, fields in parser.forms:
        if form_action == action:
            return {name: value for name, value in fields if name != "ma_bieu_mau"}
    raise AssertionError(f"no form posting to {action!r} on the page")


def multipart(fields: dict[str, str], files: dict[str, tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body and its Content-Type: `files` name -> (filename, type, bytes)."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                     + value.encode() + b"\r\n")
    for name, (filename, content_type, data) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def post_with_files(desk, path: str, fields: dict[str, str], files: dict[str, tuple[str, str, bytes]],
                    token: str | None = None):
    """POST a form with files from `desk` (a workspace_desk.Desk), with the last page's CSRF
    token (or `token`; "" for none), following the redirect as a browser does."""
    token = desk.token() if token is None else token
    body, content_type = multipart({**fields, **({"ma_bieu_mau": token} if token else {})}, files)
    return desk._send("POST", path, True, body=body, headers={"Content-Type": content_type})
