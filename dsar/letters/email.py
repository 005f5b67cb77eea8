"""Email and web-form versions of a letter: a plain-text subject and body, a mailto: link, and
for organisations that only take a web form, short instructions and the text to paste.

The body is the letter's own text (rendered from the same template and presenter, then reduced
to plain text), so the email never drifts from the PDF."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import quote

from dsar.letters.data import LetterData
from dsar.letters.phrases import phrases
from dsar.letters.presenters import LetterPresenter, present
from dsar.letters.render import render_html

# Long mailto: links are cut by some mail programs and browsers (2,000 characters is the safe
# limit commonly cited); beyond it the link carries the subject only and the body is pasted.
MAILTO_MAX = 2000

_BLOCKS = re.compile(r"</(p|h1|h2|li|div|tr|dd|dt)>|<br\s*/?>", re.IGNORECASE)
_CELL_END = re.compile(r"</th>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")
# Marks where a list item starts; private-use, so neither whitespace nor ever in our text.
_ITEM = "\ue000"
_LIST_ITEM = re.compile(r"<li[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class EmailText:
    to: str
    subject: str
    body: str
    mailto: str
    # Only for web-form recipients: numbered steps and the same subject/body to paste.
    webform_url: str = ""
    webform_steps: tuple[str, ...] = ()

    @property
    def uses_webform(self) -> bool:
        return bool(self.webform_url)


def subject_for(presenter: LetterPresenter) -> str:
    return f"{presenter.title} – {presenter.reference}"


def html_to_text(markup: str) -> str:
    """The letter body as plain text: one paragraph per block, list items as "- ", entities
    decoded. Only our own template's markup is parsed here; user text arrives escaped."""
    body = markup.split("<body>", 1)[-1].split("</body>", 1)[0]
    body = _LIST_ITEM.sub("\n" + _ITEM, body)  # list items carry their own "a) " / "– "
    body = _CELL_END.sub(": ", body)
    body = _BLOCKS.sub("\n", body)
    text = html.unescape(_TAGS.sub("", body))
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    paragraphs: list[str] = []
    for line in lines:
        if line:
            paragraphs.append(line)
    # Items of one list stay on consecutive lines.
    return "\n\n".join(paragraphs).replace("\n\n" + _ITEM, "\n").replace(_ITEM, "")


def body_for(presenter: LetterPresenter) -> str:
    """The text after the address block: greeting to signature, with the reference on top."""
    text = html_to_text(render_html(presenter))
    # The PDF's letterhead, address window and info block make no sense in an email: start at
    # the subject line, which the email carries as its subject.
    marker = subject_for(presenter).split(" – ")[0]
    _, found, rest = text.partition(marker)
    rest = rest.split("\n\n", 1)[-1] if found else text
    return rest.strip() + "\n"


def mailto_link(to: str, subject: str, body: str) -> str:
    """A mailto: URI (RFC 6068): address and fields percent-encoded as UTF-8, CRLF line ends."""
    address = quote(to, safe="@")
    query = f"subject={quote(subject, safe='')}"
    with_body = f"{query}&body={quote(body.replace(chr(10), chr(13) + chr(10)), safe='')}"
    link = f"mailto:{address}?{with_body}"
    return link if len(link) <= MAILTO_MAX else f"mailto:{address}?{query}"


def email_for(letter: LetterData) -> EmailText:
    presenter = present(letter)
    subject = subject_for(presenter)
    body = body_for(presenter)
    recipient = letter.recipient
    to = recipient.email
    uses_webform = bool(recipient.webform) and (not to or recipient.preferred_channel == "webform")
    steps: tuple[str, ...] = ()
    if uses_webform:
        steps = tuple(step.format(url=recipient.webform) for step in phrases(letter.language)["webform_steps"])
    return EmailText(
        to=to,
        subject=subject,
        body=body,
        mailto=mailto_link(to, subject, body) if to else "",
        webform_url=recipient.webform if uses_webform else "",
        webform_steps=steps,
    )
