"""Staff assigning an unmatched message: which request a reference (and organisation) names."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dsar.cases.models import Request
from dsar.mailbox.forms import AssignForm
from dsar.mailbox.matching import ANSWERABLE

NO_SUCH_REQUEST = _("No sent request of this case fits. Check the reference and the organisation.")
SEVERAL_REQUESTS = _("This case has requests to several organisations: choose the organisation.")


def assign_by_reference(form: AssignForm) -> Request | None:
    """The one request the valid form names, or None with the error added to the form."""
    requests = Request.objects.filter(case__reference=form.cleaned_data["reference"], kind__in=ANSWERABLE,
                                      sent_on__isnull=False, parent__isnull=True)
    if form.cleaned_data.get("organisation") is not None:
        requests = requests.filter(organisation=form.cleaned_data["organisation"])
    found = list(requests[:2])
    if len(found) == 1:
        return found[0]
    form.add_error("organisation" if found else "reference", SEVERAL_REQUESTS if found else NO_SUCH_REQUEST)
    return None
