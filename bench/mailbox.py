#!/usr/bin/env python
"""Benchmark the mailbox: messages matched and stored per second from a real IMAP mailbox.

Starts Dovecot (Debian's dovecot-imapd) on a free loopback port in a temp dir, makes N requests
that dsar "sent" by email (rows written directly: rendering N letters is not what is measured),
appends N answers to the mailbox (70% to a reply address, 15% replying to our Message-ID, 10%
naming the reference from the addressee's domain, 5% matching nothing; one in ten with a 50 KB
attachment), then times beat's fetch (read over IMAP, parse, match, classify, encrypt, store,
move to the processed folder). A second pass appends the same N messages again and times the
fetch that finds them all stored already.

Usage (from the repository root):
    .venv/bin/python bench/mailbox.py [--messages 1000]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ANSWERS = (
    "Thank you for your email. We confirm receipt of your subject access request. Ticket number CRM-{n}.",
    "Due to the number of requests we need to extend the time for our response by two further months. "
    "We will respond by 2 June 2026.",
    "Before we can process your request we need to verify your identity. Please send a copy of your passport.",
    "Leider können wir Ihrem Antrag nicht nachkommen; nach Art. 89 Abs. 2 DSGVO ist das Auskunftsrecht ausgeschlossen.",
    "Nous ne détenons plus ce jeu de données, qui a été supprimé en 2019.",
    "In response to your subject access request, please find attached a copy of the personal data we hold.",
)


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1000)
    return parser.parse_args()


def setup_django(workdir: Path, port: int) -> None:
    from cryptography.fernet import Fernet

    from tests.mailbox.servers import PASSWORD, USER

    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "dsar.settings",
        "DATABASE_URL": f"sqlite:///{workdir / 'mailbox.sqlite3'}",
        "DSAR_VAR_DIR": str(workdir),
        "DSAR_FIELD_KEYS": Fernet.generate_key().decode(),
        "DSAR_BLIND_INDEX_KEY": "bench",
        "DSAR_SECRET_KEY": "bench",
        "DSAR_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DSAR_MAIL_REPLY_DOMAIN": "mail.dsar.test",
        "DSAR_IMAP_HOST": "127.0.0.1",
        "DSAR_IMAP_PORT": str(port),
        "DSAR_IMAP_SSL": "false",
        "DSAR_IMAP_USER": USER,
        "DSAR_IMAP_PASSWORD": PASSWORD,
        "DSAR_LOG_LEVEL": "WARNING",
    })
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_requests(count: int) -> list[tuple[str, str, str]]:
    """`count` requests sent by email; returns (reply token, Message-ID, case reference) each."""
    from django.utils import timezone

    from dsar.cases.models import Case, DataSubject, Request
    from dsar.catalog.models import Organisation
    from dsar.mailbox import matching, services
    from dsar.mailbox.models import OutgoingEmail

    organisation = Organisation.objects.create(slug="bench-org", name="Bench Org", kind="company", country="DE",
                                               origin="own_research", email="privacy@bench.example")
    subject = DataSubject.objects.create(name="Bench Person")
    cases = Case.objects.bulk_create([Case(data_subject=subject) for _ in range(count)])
    today = timezone.localdate()
    requests = Request.objects.bulk_create([
        Request(case=case, organisation=organisation, kind="access", channel="email", status="awaiting",
                sent_on=today, received_on=today, due_on=today + dt.timedelta(days=30)) for case in cases])
    now = timezone.now()
    rows = OutgoingEmail.objects.bulk_create([
        OutgoingEmail(request=request, to_address=organisation.email, subject="s", body="b", sent_at=now)
        for request in requests])
    found = []
    for row, case in zip(rows, cases, strict=True):
        token = services.reply_token(row.pk)
        row.reply_token_hash = matching.token_hash(token)
        row.message_id = services.outgoing_message_id(row.pk, token)
        found.append((token, row.message_id, case.reference))
    OutgoingEmail.objects.bulk_update(rows, ["reply_token_hash", "message_id"], batch_size=500)
    return found


def make_messages(sent: list[tuple[str, str, str]]) -> list[bytes]:
    from dsar.mailbox.services import reply_address
    from tests.mailbox.mails import answer

    messages = []
    for n, (token, message_id, reference) in enumerate(sent):
        text = ANSWERS[n % len(ANSWERS)].format(n=n)
        files = (("export.pdf", "application/pdf", os.urandom(50_000)),) if n % 10 == 0 else ()
        slot = n % 20
        if slot < 14:
            raw = answer(text, to=reply_address(token), attachments=files, message_id=f"<b{n}@bench.example>")
        elif slot < 17:
            raw = answer(text, in_reply_to=message_id, attachments=files, message_id=f"<b{n}@bench.example>")
        elif slot < 19:
            raw = answer(text, subject=f"Re: {reference}", sender="dpo@bench.example", attachments=files,
                         message_id=f"<b{n}@bench.example>")
        else:
            raw = answer(text, sender="someone@elsewhere.example", message_id=f"<b{n}@bench.example>")
        messages.append(raw)
    return messages


def append_all(mailbox, messages: list[bytes]) -> float:
    started = time.perf_counter()
    client = mailbox.imap()
    for raw in messages:
        client.append("INBOX", None, None, raw)
    client.logout()
    return time.perf_counter() - started


def main() -> None:
    args = parse()
    from tests.mailbox import servers

    with tempfile.TemporaryDirectory(prefix="dsar-bench-mailbox-") as tmp, servers.dovecot() as mailbox:
        setup_django(Path(tmp), mailbox.port)
        from dsar.mailbox.imap import mailbox_fetch
        from dsar.mailbox.models import InboundMessage

        sent = make_requests(args.messages)
        messages = make_messages(sent)
        megabytes = sum(len(m) for m in messages) / 1e6
        append_seconds = append_all(mailbox, messages)
        started = time.perf_counter()
        first = mailbox_fetch()
        fetch_seconds = time.perf_counter() - started
        matched = InboundMessage.objects.filter(request__isnull=False).count()
        append_all(mailbox, messages)
        started = time.perf_counter()
        second = mailbox_fetch()
        again_seconds = time.perf_counter() - started
        print(f"{args.messages} messages, {megabytes:.1f} MB, appended in {append_seconds:.1f} s")
        print("| pass | messages | stored | matched | for review | duplicates | seconds | messages/s |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        print(f"| first fetch | {first.seen} | {first.stored} | {matched} | {first.unmatched} | {first.duplicates} "
              f"| {fetch_seconds:.1f} | {first.seen / fetch_seconds:.0f} |")
        print(f"| same messages again | {second.seen} | {second.stored} | - | - | {second.duplicates} "
              f"| {again_seconds:.1f} | {second.seen / again_seconds:.0f} |")
        print(f"left in INBOX: {mailbox.count('INBOX')}, processed folder: {mailbox.count('dsar-processed')}")


if __name__ == "__main__":
    main()
