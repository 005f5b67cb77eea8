"""Answer emails shaped like real ones, as bytes (what IMAP returns)."""
from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid


def answer(
    text: str,
    *,
    to: str = "dsar <noreply@dsar.test>",
    sender: str = "Privacy Team <privacy@example.org>",
    subject: str = "Re: your request",
    in_reply_to: str = "",
    html: str = "",
    attachments: tuple[tuple[str, str, bytes], ...] = (),
    message_id: str = "",
    extra_headers: dict[str, str] | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC))
    message["Message-ID"] = message_id or make_msgid(domain="example.org")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    for name, value in (extra_headers or {}).items():
        message[name] = value
    if text:
        message.set_content(text)
    if html:
        if text:
            message.add_alternative(html, subtype="html")
        else:
            message.set_content(html, subtype="html")
    for name, content_type, content in attachments:
        maintype, subtype = content_type.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def bounce(*, original_message_id: str, original_to: str, reply_address: str,
           status: str = "5.1.1", action: str = "failed") -> bytes:
    """A delivery status notification (RFC 3464) as Postfix writes it."""
    boundary = "dsn-boundary-1"
    return (
        f"From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\r\n"
        f"To: {reply_address}\r\n"
        f"Subject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: <dsn.{original_message_id.strip('<>')}>\r\n"
        f"MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"\r\n'
        f"\r\n"
        f"--{boundary}\r\n"
        f"Content-Type: text/plain\r\n\r\n"
        f"I'm sorry to have to inform you that your message could not be delivered.\r\n\r\n"
        f"--{boundary}\r\n"
        f"Content-Type: message/delivery-status\r\n\r\n"
        f"Reporting-MTA: dns; mx.example.org\r\n\r\n"
        f"Final-Recipient: rfc822; {original_to}\r\n"
        f"Action: {action}\r\n"
        f"Status: {status}\r\n"
        f"Diagnostic-Code: smtp; 550 {status} <{original_to}>: Recipient address rejected: User unknown\r\n\r\n"
        f"--{boundary}\r\n"
        f"Content-Type: text/rfc822-headers\r\n\r\n"
        f"From: dsar <noreply@dsar.test>\r\n"
        f"Reply-To: {reply_address}\r\n"
        f"To: {original_to}\r\n"
        f"Subject: Request\r\n"
        f"Message-ID: {original_message_id}\r\n\r\n"
        f"--{boundary}--\r\n"
    ).encode()
