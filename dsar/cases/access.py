"""The ONE access function for cases. Every view, download, attachment and export that shows a
case (public tracking pages here, the casework UI, admin exports) calls `access_case` first.

Who sees a case:
1. the holder of its secret link (the token's sha256 matches and has not expired);
2. a member of the case's team (with a verified second factor when the team requires one);
3. staff.
Everyone else gets Http404 — never 403, so a guessed id or token reveals nothing. Anonymous
users on NGO routes get 404 too; a view that prefers a login redirect says so with
`login_required` before calling this.
"""
from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from dsar.cases.models import Case, TeamMembership


def access_case(user: Any = None, *, token: str | None = None, case_id: int | None = None,
                reference: str | None = None) -> Case:
    """The case the caller may see, or Http404. Give `token` (public link) or `case_id` /
    `reference` with `user` (casework, staff)."""
    if token is not None:
        return _case_for_token(token)
    lookup = {"pk": case_id} if case_id is not None else {"reference": reference}
    if case_id is None and not reference:
        raise Http404
    case = Case.objects.select_related("team", "data_subject").filter(**lookup).first()
    if case is None or not user_may_see_case(user, case):
        raise Http404
    return case


def user_may_see_case(user: Any, case: Case) -> bool:
    """The rule for logged-in users, one condition per line (also used by `cases_visible_to`)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff:
        return True
    if case.team_id is None:
        return False
    if case.team is not None and case.team.require_otp and not _otp_verified(user):
        return False
    return TeamMembership.objects.filter(team_id=case.team_id, user=user).exists()


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """Lists and exports: the same rule as `user_may_see_case`, as a queryset filter."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    if user.is_staff:
        return Case.objects.all()
    teams = TeamMembership.objects.filter(user=user).values("team_id")
    visible = Case.objects.filter(team_id__in=teams)
    if not _otp_verified(user):
        visible = visible.exclude(team__require_otp=True)
    return visible


def token_hash(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode("utf-8")).hexdigest()


def _case_for_token(raw_token: str) -> Case:
    if not raw_token or len(raw_token) > 100:
        raise Http404
    digest = token_hash(raw_token)
    case = Case.objects.select_related("data_subject").filter(access_token_hash=digest).first()
    if case is None or not hmac.compare_digest(case.access_token_hash, digest):
        raise Http404
    if case.token_expires_at is None or case.token_expires_at <= timezone.now():
        raise Http404
    return case


def _otp_verified(user: Any) -> bool:
    # django-otp's middleware sets is_verified on request.user; a user object without it
    # (e.g. loaded outside a request) has not passed a second factor.
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False
