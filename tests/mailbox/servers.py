"""Real mail servers for the integration tests and the benchmark, each on a free loopback port in
a temporary folder, stopped afterwards:

- Dovecot (Debian's dovecot-imapd) as the IMAP mailbox, with its own configuration: one user
  from a passwd file, plain-text log-in allowed on loopback, Maildir storage. As root (CI) its
  processes run as Debian's `dovecot`/`dovenull` users; otherwise as the current user.
- aiosmtpd as the SMTP server that receives what dsar sends; it can refuse the first attempts
  with a temporary error, to exercise the retry.
"""
from __future__ import annotations

import contextlib
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER = "dsar"
PASSWORD = "mailbox-test-password"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def dovecot_available() -> bool:
    return Path(DOVECOT).exists()


@dataclass
class Dovecot:
    port: int
    root: Path
    user: str = USER
    password: str = PASSWORD

    def imap(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port)
        client.login(self.user, self.password)
        return client

    def append(self, raw: bytes, folder: str = "INBOX") -> None:
        """Deliver a message the way a mail server would leave it in the mailbox."""
        client = self.imap()
        try:
            status, _ = client.append(folder, None, None, raw)
            assert status == "OK"
        finally:
            client.logout()

    def count(self, folder: str) -> int:
        client = self.imap()
        try:
            status, data = client.select(folder, readonly=True)
            return int(data[0]) if status == "OK" else 0
        finally:
            client.logout()


def _dovecot_config(root: Path, port: int, users: tuple[str, str, str]) -> str:
    internal, login, group = users
    return f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
instance_name = dsar-test-{port}
protocols = imap
listen = 127.0.0.1
first_valid_uid = 1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_internal_group = {group}
default_login_user = {login}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={internal} gid={group} home={root}/mail/%u
}}
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  separator = /
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""


def _users() -> tuple[str, str, str]:
    """(internal user, login user, group): Debian's unprivileged users as root, else ourselves."""
    if os.geteuid() == 0:
        return "dovecot", "dovenull", "dovecot"
    me = pwd.getpwuid(os.geteuid())
    import grp

    return me.pw_name, me.pw_name, grp.getgrgid(me.pw_gid).gr_name


@contextlib.contextmanager
def dovecot() -> Iterator[Dovecot]:
    root = Path(tempfile.mkdtemp(prefix="dsar-dovecot-"))
    root.chmod(0o755)  # the unprivileged mail processes must reach their Maildir
    port = free_port()
    users = _users()
    (root / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    (root / "mail").mkdir()
    (root / "state").mkdir()
    if os.geteuid() == 0:
        shutil.chown(root / "mail", users[0], users[2])
    config = root / "dovecot.conf"
    config.write_text(_dovecot_config(root, port, users))
    # In the foreground (-F): the test owns the process and stops it, whatever happens.
    master = subprocess.Popen([DOVECOT, "-F", "-c", str(config)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        _wait_for_port(port, root / "dovecot.log")
        yield Dovecot(port=port, root=root)
    finally:
        master.terminate()
        try:
            master.wait(timeout=10)
        except subprocess.TimeoutExpired:
            master.kill()
            master.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


def _wait_for_port(port: int, log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            if sock.recv(100).startswith(b"* OK"):
                return
        time.sleep(0.1)
    raise RuntimeError(f"dovecot did not start: {log.read_text() if log.exists() else 'no log'}")


# --- SMTP ----------------------------------------------------------------------------------------


@dataclass
class SmtpSink:
    """What the SMTP server received, and how many first attempts to refuse with 451."""

    refuse_first: int = 0
    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    refused: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        if self.refused < self.refuse_first:
            self.refused += 1
            return "451 4.3.0 Try again later"
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@contextlib.contextmanager
def smtp_server(sink: SmtpSink) -> Iterator[int]:
    from aiosmtpd.controller import Controller

    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, data_size_limit=64 * 1024 * 1024)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()
