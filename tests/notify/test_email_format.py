"""What the emails look like to mail clients, read from what the SMTP server received."""
import re
from pathlib import Path

from tests.drive import call
from tests.notify.helpers import token_of


def raw_emails_to(smtp_server, address: str) -> list[bytes]:
    """The bytes the SMTP server stored for `address`: parsing would decode what a mail client
    may not (an encoded header)."""
    maildir = Path(smtp_server.directory) / "Maildir"
    return [
        raw for path in sorted(maildir.glob("*/*")) if path.is_file()
        if re.search(rb"^To: " + re.escape(address.encode()) + rb"\r?$", raw := path.read_bytes(), re.MULTILINE)
    ]


def unfolded_headers(raw: bytes) -> str:
    """The header section with folded lines joined, as RFC 5322 reads it."""
    headers = raw.split(b"\n\n", 1)[0].replace(b"\r\n", b"\n")
    return re.sub(rb"\n[ \t]+", b" ", headers).decode("ascii")


def test_list_unsubscribe_reaches_mail_clients_as_a_plain_link(notify, notify_db, smtp_server, new_address):
    address = new_address()
    call(notify, "subscribe", address, "phu-vang")

    [raw] = raw_emails_to(smtp_server, address)
    headers = unfolded_headers(raw)
    link = f"<http://127.0.0.1:8000/dang-ky/huy?token={token_of(notify_db, address)}>"
    assert re.search(rf"^List-Unsubscribe:\s*{re.escape(link)}$", headers, re.MULTILINE), headers
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in headers
