"""Reading the mailbox over IMAP (imap-tools): every message of DSAR_IMAP_FOLDER is stored
(services.message_receive) and then moved to DSAR_IMAP_PROCESSED_FOLDER.

Stored before moved: a fetch that dies between the two leaves the message in the folder, the
next fetch reads it again, and its fingerprint stores it once. A message that cannot be stored
(a bug, not bad mail: hostile mail is stored inert) stays in the folder and is logged by UID.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from imap_tools import BaseMailBox, MailBox, MailBoxUnencrypted

from dsar.mailbox import services

logger = logging.getLogger(__name__)

# Messages fetched per IMAP command (bounded memory: a message may be tens of MB).
BATCH = 20
_UID = re.compile(rb"UID (\d+)")


@dataclass
class FetchReport:
    seen: int = 0
    stored: int = 0
    duplicates: int = 0
    unmatched: int = 0
    failed: list[str] = field(default_factory=list)


def connect() -> BaseMailBox:
    box: BaseMailBox
    if settings.DSAR_IMAP_SSL:
        box = MailBox(settings.DSAR_IMAP_HOST, settings.DSAR_IMAP_PORT, timeout=settings.DSAR_IMAP_TIMEOUT)
    else:
        box = MailBoxUnencrypted(settings.DSAR_IMAP_HOST, settings.DSAR_IMAP_PORT,
                                 timeout=settings.DSAR_IMAP_TIMEOUT)
    return box.login(settings.DSAR_IMAP_USER, settings.DSAR_IMAP_PASSWORD,
                     initial_folder=settings.DSAR_IMAP_FOLDER)


def mailbox_fetch(*, limit: int | None = None) -> FetchReport:
    """Store and move every message waiting in the folder (at most `limit`)."""
    report = FetchReport()
    with connect() as box:
        processed = settings.DSAR_IMAP_PROCESSED_FOLDER
        if not box.folder.exists(processed):
            box.folder.create(processed)
        uids = box.uids("ALL")[:limit]
        for start in range(0, len(uids), BATCH):
            done = [uid for uid, raw in _fetch_raw(box, uids[start:start + BATCH]) if _receive(uid, raw, report)]
            if done:
                box.move(done, processed)
    logger.info("mailbox: %d seen, %d stored, %d duplicates, %d for review, %d failed",
                report.seen, report.stored, report.duplicates, report.unmatched, len(report.failed))
    return report


def _receive(uid: str, raw: bytes, report: FetchReport) -> bool:
    report.seen += 1
    try:
        received = services.message_receive(raw=raw)
    except Exception:
        logger.exception("mailbox: message UID %s could not be stored; left in the folder", uid)
        report.failed.append(uid)
        return False
    if received.created:
        report.stored += 1
        report.unmatched += received.message.request_id is None
    else:
        report.duplicates += 1
    return True


def _fetch_raw(box: BaseMailBox, uids: Sequence[str]) -> Iterator[tuple[str, bytes]]:
    """(uid, the message's bytes exactly as stored) without marking it read (BODY.PEEK)."""
    if not uids:
        return
    status, data = box.client.uid("FETCH", ",".join(uids), "(UID BODY.PEEK[])")
    if status != "OK":
        raise OSError(f"IMAP FETCH failed: {status}")
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            found = _UID.search(item[0])
            if found:
                yield found.group(1).decode(), item[1]
