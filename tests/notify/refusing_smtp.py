"""A mail server that refuses some recipients, as real ones do, and keeps what it accepts in a
Maildir: an address starting `khong-ton-tai` does not exist (550, for good), one starting
`hop-thu-day` has a full mailbox (452, try later)."""
import subprocess
import sys

from aiosmtpd.handlers import Mailbox

from tests.servers import SmtpServer, project_root, subprocess_env, wait_for_port

REFUSED_FOR_GOOD = "khong-ton-tai"
REFUSED_FOR_NOW = "hop-thu-day"


class RefusingMailbox(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith(REFUSED_FOR_GOOD):
            return "550 5.1.1 No such user here"
        if address.startswith(REFUSED_FOR_NOW):
            return "452 4.2.2 Mailbox full, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


class RefusingSmtpServer(SmtpServer):
    def start(self):
        self.directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{self.port}",
             "-c", f"{__name__}.RefusingMailbox", str(self.directory / "Maildir")],
            cwd=project_root(), env=subprocess_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, process=self.process)
        return self
