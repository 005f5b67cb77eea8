"""The public flow's pages: intro, question screens, result, choose, details, review; the letter
downloads; tracking opt-in. Each view reads the session state through flow.Journey."""
from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dsar.cases.models import new_reference
from dsar.cases.services import case_create_public
from dsar.letters.render import render_pdf
from dsar.outage import ratelimited
from dsar.wizard.documents import (
    PlannedLetter,
    find_letter,
    plan_letters,
    review_rows,
    tracking_payload,
    zip_letters,
)
from dsar.wizard.errors import error_summary
from dsar.wizard.flow import Journey, screen_step
from dsar.wizard.forms import TrackingForm, WizardForm
from dsar.wizard.state import WizardState

View = Callable[..., HttpResponse]
logger = logging.getLogger(__name__)


def rate_limited(setting: str, methods: tuple[str, ...] = ("POST",)) -> Callable[[View], View]:
    """Limit a view per client address to the rate in `settings.<setting>` (read per request, so
    tests and deployments can change it); over the limit, a 429 page says when to come back."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            limited = request.method in methods and ratelimited(
                request, group=f"wizard.{setting}", key="ip",
                rate=getattr(settings, setting), method=list(methods), increment=True,
            )
            if limited:
                return render(request, "wizard/rate_limited.html", status=429)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _journey(request: HttpRequest) -> Journey:
    return Journey(WizardState.load(request.session))


def _render_step(request: HttpRequest, template: str, form: WizardForm,
                 status: int = 200, **context: Any) -> HttpResponse:
    # The progress bar highlights the template's step ("questions", "choose", "details").
    progress = template.removeprefix("wizard/").removesuffix(".html")
    context.update(form=form, errors=error_summary(form), progress=progress)
    return render(request, template, context, status=status)


def _step(request: HttpRequest, journey: Journey, step: str, build: Callable[..., WizardForm],
          back: str, forward: str | Callable[[], str], template: str,
          **context: Any) -> HttpResponse:
    """The common handling of a form step.

    1. GET: show the stored input (as typed, even if it was left half-done with "Back").
    2. POST naming another step (a tampered or stale page): nothing is saved; the page comes
       back with everything typed and a message at the top, status 400.
    3. "Back": store what is on the page unchecked, go back.
    4. "Continue": store it; if valid go on, else show the errors next to the fields.
    """
    state = journey.state
    if request.method == "GET":
        stored = state.querydict(step)
        form = build(stored) if stored is not None else build()
        if stored is not None and not form.is_valid():
            form = build(initial=_initial(stored))
        return _render_step(request, template, form, **context)
    form = build(request.POST)
    if request.POST.get("step") != step:
        form.is_valid()
        form.add_tampered_error()
        return _render_step(request, template, form, status=400, **context)
    state.put(step, request.POST)
    state.save(request.session)
    if "_back" in request.POST:
        return redirect(back)
    if form.is_valid():
        return redirect(forward() if callable(forward) else forward)
    return _render_step(request, template, form, **context)


def _initial(data: Any) -> dict[str, object]:
    return {key: values if len(values) > 1 else values[0] for key, values in data.lists() if values}


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    journey = _journey(request)
    return render(request, "wizard/intro.html", {"resume": bool(journey.state.steps),
                                                  "hours": settings.SESSION_COOKIE_AGE // 3600})


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "wizard/privacy.html", {"hours": settings.SESSION_COOKIE_AGE // 3600})


@require_POST
def restart(request: HttpRequest) -> HttpResponse:
    WizardState.clear(request.session)
    messages.info(request, _("Your answers and details were deleted from this session."))
    return redirect("wizard:start")


@rate_limited("DSAR_WIZARD_RATE")
@require_http_methods(["GET", "POST"])
def questions(request: HttpRequest, number: int) -> HttpResponse:
    journey = _journey(request)
    if not 1 <= number <= len(journey.screens):
        raise Http404("no such question screen")
    back = reverse("wizard:questions", args=[number - 1]) if number > 1 else reverse("wizard:start")

    def forward() -> str:
        # Read again after this screen is stored: its answers decide which follow-ups come.
        if number < len(_journey(request).screens):
            return reverse("wizard:questions", args=[number + 1])
        return reverse("wizard:result")

    return _step(request, journey, screen_step(number),
                 lambda *a, **k: journey.question_form(number, *a, **k), back, forward,
                 "wizard/questions.html", number=number, total=len(journey.screens),
                 follow_up=number > journey.first_screen_count)


@require_GET
def result(request: HttpRequest) -> HttpResponse:
    journey = _journey(request)
    missing = journey.first_missing("result")
    if missing:
        return _send_back(request, missing)
    context = {"matches": journey.matches, "back": _last_screen_url(journey),
               "answered": journey.answered()}
    return render(request, "wizard/result.html", context)


# The two form steps after the result: (form builder name, back, forward).
_LATER_STEPS = {
    "choose": ("choose_form", "wizard:result", "wizard:details"),
    "details": ("details_form", "wizard:choose", "wizard:review"),
}


def _later_step(request: HttpRequest, step: str) -> HttpResponse:
    journey = _journey(request)
    missing = journey.first_missing(step)
    if missing:
        return _send_back(request, missing)
    build, back, forward = _LATER_STEPS[step]
    return _step(request, journey, step, getattr(journey, build), reverse(back), reverse(forward),
                 f"wizard/{step}.html")


@rate_limited("DSAR_WIZARD_RATE")
@require_http_methods(["GET", "POST"])
def choose(request: HttpRequest) -> HttpResponse:
    return _later_step(request, "choose")


@rate_limited("DSAR_WIZARD_RATE")
@require_http_methods(["GET", "POST"])
def details(request: HttpRequest) -> HttpResponse:
    return _later_step(request, "details")


def _send_back(request: HttpRequest, url: str) -> HttpResponseRedirect:
    messages.info(request, _("Please answer this page first."))
    return redirect(url)


def _last_screen_url(journey: Journey) -> str:
    return reverse("wizard:questions", args=[len(journey.screens)])


def _planned(request: HttpRequest) -> tuple[Journey, list[PlannedLetter]]:
    journey = _journey(request)
    state = journey.state
    if not state.reference:
        state.reference = new_reference()
        state.save(request.session)
    return journey, plan_letters(journey, state.reference)


@require_GET
def review(request: HttpRequest) -> HttpResponse:
    journey, planned = _planned(request)
    missing = journey.first_missing("review")
    if missing:
        return _send_back(request, missing)
    return render(request, "wizard/review.html", _review_context(journey, planned, TrackingForm()))


def _review_context(journey: Journey, planned: list[PlannedLetter],
                    form: TrackingForm) -> dict[str, Any]:
    return {"organisations": review_rows(planned), "reference": journey.state.reference,
            "tracking_form": form, "count": len(planned), "errors": error_summary(form),
            "authority": journey.authority()}


@rate_limited("DSAR_LETTER_RATE", methods=("GET",))
@require_GET
def letter_pdf(request: HttpRequest, organisation: str, kind: str) -> HttpResponse:
    planned = _planned(request)[1]
    letter = find_letter(planned, organisation, kind)
    if letter is None:
        raise Http404("no such letter in this session")
    response = HttpResponse(render_pdf(letter.letter), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{letter.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@rate_limited("DSAR_LETTER_RATE", methods=("GET",))
@require_GET
def letters_zip(request: HttpRequest) -> HttpResponse:
    planned = _planned(request)[1]
    if not planned:
        return _send_back(request, reverse("wizard:review"))
    response = HttpResponse(zip_letters(planned), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="dsar-letters.zip"'
    response["Cache-Control"] = "no-store"
    return response


@rate_limited("DSAR_LETTER_RATE")
@require_POST
def track(request: HttpRequest) -> HttpResponse:
    """Opt in to tracking: the only view of the flow that writes personal data to the database."""
    journey, planned = _planned(request)
    if not planned:
        return _send_back(request, reverse("wizard:review"))
    form = TrackingForm(request.POST)
    if not form.is_valid():
        return render(request, "wizard/review.html", _review_context(journey, planned, form))
    case, _token = case_create_public(email=form.cleaned_data["email"],
                                      language=request.LANGUAGE_CODE,
                                      **tracking_payload(journey, planned))
    logger.info("wizard: tracking opted in, case %s", case.pk)
    return render(request, "wizard/tracked.html", {"email": form.cleaned_data["email"]})
