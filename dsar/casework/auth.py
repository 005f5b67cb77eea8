"""Who may enter the casework pages: login, the team's second-factor policy, staff.

Every casework view is wrapped in `casework_view` (or `staff_view`); access to a single case is
then decided by cases' one access function, and lists by `selectors.cases_for_user`.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django_otp import user_has_device

from dsar.casework import selectors
from dsar.casework.models import CaseworkerLanguage

if TYPE_CHECKING:
    from django.contrib.auth.models import User

View = Callable[..., HttpResponseBase]


def needs_second_factor(user: Any) -> bool:
    """A user must verify a TOTP code when they set one up or when one of their teams requires it.

    Staff see every case, so a staff account with a device is always asked for it too.
    """
    return user_has_device(user) or selectors.team_requires_totp(user)


def casework_view(view: View) -> View:
    """Logged in, and second factor verified where needed; 404 for no one: that is per case."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_verified() and needs_second_factor(user):  # type: ignore[attr-defined]  # django-otp's middleware adds it
            target = "casework:otp_verify" if user_has_device(user) else "casework:otp_setup"
            return redirect_to_login(request.get_full_path(), login_url=target)
        remember_language(request)
        return view(request, *args, **kwargs)

    return wrapper


# The session remembers the language last written, so a page view costs no query.
LANGUAGE_SESSION_KEY = "casework_language"


def remember_language(request: HttpRequest) -> None:
    """Record the language this caseworker uses the pages in (for their digest), when it changed."""
    language = getattr(request, "LANGUAGE_CODE", "") or ""
    if not language or request.session.get(LANGUAGE_SESSION_KEY) == language:
        return
    user = cast("User", request.user)  # casework_view has checked the log-in
    language_rows = CaseworkerLanguage.objects.filter(user=user)
    if not language_rows.update(language=language, changed_at=timezone.now()):
        CaseworkerLanguage.objects.get_or_create(user=user, defaults={"language": language})
    request.session[LANGUAGE_SESSION_KEY] = language


def staff_view(view: View) -> View:
    """A casework view for staff only; anyone else logged in gets a 404 (nothing to see here)."""

    @casework_view
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_staff:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def safe_next(request: HttpRequest, default: str = "casework:queue") -> HttpResponse:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return redirect(target)
    return redirect(default)
