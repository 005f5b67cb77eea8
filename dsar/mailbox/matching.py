"""Which request an incoming email belongs to. The rule, strongest first:

1. **Reply address**: a recipient ``reply+<token>@DSAR_MAIL_REPLY_DOMAIN`` whose token's hash is
   one of our sent emails'. The token is unguessable and was only ever sent to the addressee.
2. **Thread**: In-Reply-To or References names the Message-ID of one of our sent emails (also
   unguessable: it carries part of the token's hash). A bounce is matched by the headers of
   our message that it quotes.
3. **Reference in the subject** (``DSAR-XXXX-XXXX``, printed on every letter, also the posted
   ones): only when the sender's domain is the domain of the addressee's privacy email (or a
   subdomain of it, or it of the sender's). A reference is no secret (it is on paper, in
   subjects, in forwarded mail), so a reference alone from any other sender goes to staff
   review: someone who knows another person's reference cannot attach mail to their case.

When these disagree (a reply address of one request and the reference of another case in the
subject, or two of our requests at once), nothing is attached: the message goes to review.
Everything attached is still only a proposal until a person or caseworker confirms it; the
From header itself can be forged, which is why rule 3 never stands alone for more than that.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings

from dsar.cases.models import Request
from dsar.mailbox.models import InboundMessage, OutgoingEmail
from dsar.mailbox.parsing import ParsedMessage, domain_of

REFERENCE = re.compile(r"\bDSAR-[0-9A-Z]{4}-[0-9A-Z]{4}\b", re.IGNORECASE)
REPLY_LOCAL = re.compile(r"^reply\+([a-z2-7]{16,64})$")
# The requests an answer can be about (a mandate goes to nobody, a complaint to an authority).
ANSWERABLE = (Request.Kind.ACCESS, Request.Kind.ERASURE, Request.Kind.ACCESS_ERASURE, Request.Kind.FOLLOWUP)

Match = InboundMessage.Match
Review = InboundMessage.Review


@dataclass(frozen=True)
class MatchResult:
    request: Request | None
    matched_by: str
    review: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def reply_tokens(addresses: tuple[str, ...]) -> list[str]:
    """Tokens of the reply addresses among `addresses` (our reply domain only)."""
    domain = settings.DSAR_MAIL_REPLY_DOMAIN.lower()
    tokens = []
    for address in addresses:
        local, _, host = address.lower().rpartition("@")
        found = REPLY_LOCAL.match(local)
        if found and host == domain:
            tokens.append(found.group(1))
    return tokens


def match_message(parsed: ParsedMessage) -> MatchResult:
    by_token, by_thread = _strong_matches(parsed)
    strong = by_token | by_thread
    referenced = {ref.upper() for ref in REFERENCE.findall(parsed.subject)}
    if len(strong) > 1:
        return MatchResult(None, Match.NONE, Review.CONFLICT)
    if strong:
        request = Request.objects.select_related("case", "organisation").get(pk=next(iter(strong)))
        if referenced and request.case.reference not in referenced:
            return MatchResult(None, Match.NONE, Review.CONFLICT)
        return MatchResult(request, Match.REPLY_ADDRESS if by_token else Match.THREAD, Review.NONE)
    if not referenced or parsed.bounce is not None:
        return MatchResult(None, Match.NONE, Review.NO_MATCH)
    return _match_reference(referenced, parsed.sender_domain)


def _strong_matches(parsed: ParsedMessage) -> tuple[set[int], set[int]]:
    addresses = parsed.recipients
    thread_ids = parsed.thread_ids
    if parsed.bounce is not None:
        addresses += parsed.bounce.original_recipients
        thread_ids += parsed.bounce.original_message_ids
    hashes = [token_hash(token) for token in reply_tokens(addresses)]
    sent = OutgoingEmail.objects.filter(sent_at__isnull=False)
    by_token = set(sent.filter(reply_token_hash__in=hashes).values_list("request_id", flat=True)) if hashes else set()
    by_thread = set(sent.filter(message_id__in=thread_ids).values_list("request_id", flat=True)) if thread_ids else set()
    return by_token, by_thread


def _match_reference(references: set[str], sender_domain: str) -> MatchResult:
    # The one place a reference is read: when requests get references of their own (one per
    # request, printed on each letter), this lookup is what changes.
    requests = list(
        Request.objects.select_related("case", "organisation")
        .filter(case__reference__in=references, kind__in=ANSWERABLE, sent_on__isnull=False)
        .order_by("sent_on", "pk")
    )
    fitting = [r for r in requests if r.organisation and _same_domain(sender_domain, r.organisation.email)]
    if not fitting:
        return MatchResult(None, Match.NONE, Review.SENDER_MISMATCH if requests else Review.NO_MATCH)
    if len({r.organisation_id for r in fitting}) > 1:
        return MatchResult(None, Match.NONE, Review.AMBIGUOUS)
    # The original request to that organisation (its follow-up is tracked on it).
    originals = [r for r in fitting if r.kind != Request.Kind.FOLLOWUP] or fitting
    return MatchResult(originals[0], Match.REFERENCE, Review.NONE)


def _same_domain(sender_domain: str, address: str) -> bool:
    theirs = domain_of(address)
    if not sender_domain or not theirs:
        return False
    return sender_domain == theirs or sender_domain.endswith("." + theirs) or theirs.endswith("." + sender_domain)
