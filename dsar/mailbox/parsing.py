"""An incoming email as plain data: pure Python (the standard library's email package).

Hostile mail is the normal case here: every part is read as data and nothing in it is
followed. HTML is reduced to its text (scripts, styles and every URL of an image or link
dropped, nothing fetched), and the text is what pages show, always escaped. Attachments are
bytes with a declared name and type; the caller decides what to keep.

Delivery status notifications (RFC 3464 bounces) are recognised by their report part; the
headers of the message that bounced (ours) say which request it was.
"""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import re
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser

# Where a copy of the message can say whom it was for (Delivered-To and X-Original-To are set
# by the receiving server with the envelope recipient: the reply address survives even when
# the sender's To shows only a display name).
RECIPIENT_HEADERS = ("to", "cc", "delivered-to", "x-original-to", "envelope-to")
MESSAGE_ID = re.compile(r"<[^<>\s]+>")
# What of an HTML part becomes no text at all.
_SKIPPED_TAGS = {"script", "style", "head", "title", "noscript", "template", "svg", "iframe", "object"}
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote"}


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass(frozen=True)
class Bounce:
    """What a DSN reports: permanent ("failed", 5.x.x) or only delayed (4.x.x)."""

    action: str
    status: str
    diagnostic: str
    recipient: str
    # Message-IDs and recipients of the message that bounced (the copy or headers in the DSN).
    original_message_ids: tuple[str, ...]
    original_recipients: tuple[str, ...]

    @property
    def permanent(self) -> bool:
        return self.action.lower() == "failed" or self.status.startswith("5")


@dataclass(frozen=True)
class ParsedMessage:
    message_id: str
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    sender: str
    recipients: tuple[str, ...]
    subject: str
    date: dt.datetime | None
    text: str
    has_html: bool
    attachments: tuple[Attachment, ...]
    headers: str
    fingerprint: str
    bounce: Bounce | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def sender_domain(self) -> str:
        return domain_of(self.sender)

    @property
    def thread_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.in_reply_to + self.references))


def domain_of(address: str) -> str:
    return address.rpartition("@")[2].strip().lower().rstrip(".")


def fingerprint(raw: bytes, message_id: str) -> str:
    """Equal for two copies of one message: its Message-ID and its body (the header block
    differs between copies, e.g. by the Received lines of a second delivery)."""
    _, _, body = raw.replace(b"\r\n", b"\n").partition(b"\n\n")
    return hashlib.sha256(message_id.encode() + b"\0" + hashlib.sha256(body).digest()).hexdigest()


def fingerprint_of(raw: bytes) -> str:
    """The fingerprint without parsing the whole message (the header block only, read the
    fast compat32 way): a message fetched again is recognised before any real work."""
    headers = BytesHeaderParser(policy=email.policy.compat32).parsebytes(raw, headersonly=True)
    ids = _ids(str(headers.get("message-id") or ""))
    return fingerprint(raw, ids[0] if ids else "")


def parse(raw: bytes) -> ParsedMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    message_id = _ids(_header(message, "message-id"))
    text, has_html, attachments = _content(message)
    return ParsedMessage(
        message_id=message_id[0] if message_id else "",
        in_reply_to=_ids(_header(message, "in-reply-to")),
        references=_ids(_header(message, "references")),
        sender=_addresses(message, ("from",))[:1][0] if _addresses(message, ("from",)) else "",
        recipients=tuple(dict.fromkeys(_addresses(message, RECIPIENT_HEADERS))),
        subject=" ".join(_header(message, "subject").split()),
        date=_date(_header(message, "date")),
        text=text,
        has_html=has_html,
        attachments=attachments,
        headers=_header_block(raw),
        fingerprint=fingerprint(raw, message_id[0] if message_id else ""),
        bounce=_bounce(message),
    )


def _header(message: Message, name: str) -> str:
    try:
        values = message.get_all(name) or []
        return " ".join(str(value) for value in values)
    except (ValueError, TypeError, IndexError):
        # A header the parser cannot decode is no header at all.
        return ""


def _ids(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(MESSAGE_ID.findall(value)))


def _addresses(message: Message, names: tuple[str, ...]) -> list[str]:
    found: list[str] = []
    for name in names:
        value = _header(message, name)
        if value:
            found += [address.strip().lower() for _, address in getaddresses([value]) if "@" in address]
    return found


def _date(value: str) -> dt.datetime | None:
    try:
        parsed = parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def _header_block(raw: bytes) -> str:
    head = raw.replace(b"\r\n", b"\n").partition(b"\n\n")[0]
    return head.decode("utf-8", errors="replace")


def _content(message: EmailMessage) -> tuple[str, bool, tuple[Attachment, ...]]:
    """(text, whether there was HTML, attachments): text/plain parts first, the text of HTML
    parts only when there is no plain text at all."""
    plain: list[str] = []
    html: list[str] = []
    attachments: list[Attachment] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        disposition = part.get_content_disposition()
        if content_type in ("message/delivery-status", "text/rfc822-headers"):
            continue
        name = part.get_filename()
        if disposition == "attachment" or name or not content_type.startswith("text/"):
            attachments.append(Attachment(_safe_name(name, content_type), content_type, _payload(part)))
        elif content_type == "text/html":
            html.append(_text(part))
        else:
            plain.append(_text(part))
    text = "\n\n".join(plain) if plain else "\n\n".join(html_to_text(markup) for markup in html)
    return text.strip(), bool(html), tuple(attachments)


def _payload(part: Message) -> bytes:
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        return payload
    # message/rfc822 parts: the enclosed message as bytes.
    inner = part.get_payload()
    if isinstance(inner, list) and inner and isinstance(inner[0], Message):
        return inner[0].as_bytes()
    return str(inner or "").encode("utf-8", errors="replace")


def _text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return str(part.get_payload() or "")
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name
        return payload.decode("utf-8", errors="replace")


def _safe_name(name: str | None, content_type: str) -> str:
    """A file name to show: no path, no control characters, not empty."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()[:150]
    return base or f"attachment.{content_type.rpartition('/')[2][:10] or 'bin'}"


class _TextOnly(HTMLParser):
    """The visible words of an HTML part. Tags, attributes (src, href, on*) and the content of
    script/style elements are dropped: nothing can run or load."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    parser = _TextOnly()
    parser.feed(markup)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- bounces -------------------------------------------------------------------------------------


def _bounce(message: EmailMessage) -> Bounce | None:
    if message.get_content_type() != "multipart/report":
        return None
    if str(message.get_param("report-type") or "").lower() != "delivery-status":
        return None
    fields: dict[str, str] = {}
    original_ids: list[str] = []
    original_to: list[str] = []
    for part in message.walk():
        content_type = part.get_content_type()
        if content_type == "message/delivery-status":
            fields = _dsn_fields(part)
        elif content_type in ("message/rfc822", "text/rfc822-headers"):
            original = _original(part)
            if original is not None:
                original_ids += _ids(_header(original, "message-id"))
                original_to += _addresses(original, ("to", "reply-to", "from", "return-path"))
    return Bounce(
        action=fields.get("action", ""),
        status=fields.get("status", ""),
        diagnostic=" ".join(fields.get("diagnostic-code", "").split())[:300],
        recipient=fields.get("final-recipient", "").rpartition(";")[2].strip().lower(),
        original_message_ids=tuple(original_ids),
        original_recipients=tuple(dict.fromkeys(original_to)),
    )


def _dsn_fields(part: Message) -> dict[str, str]:
    """The per-message and (first) per-recipient fields of a delivery-status part."""
    fields: dict[str, str] = {}
    payload = part.get_payload()
    blocks = payload if isinstance(payload, list) else []
    if not blocks:
        # Some servers send the status as text; read it as header blocks.
        text = _text(part)
        blocks = [email.message_from_string(block) for block in re.split(r"\n\s*\n", text) if block.strip()]
    for block in blocks:
        if not isinstance(block, Message):
            continue
        for name, value in block.items():
            fields.setdefault(name.lower(), str(value).strip())
    return fields


def _original(part: Message) -> Message | None:
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        return payload[0]
    text = _text(part)
    return email.message_from_string(text) if text else None
