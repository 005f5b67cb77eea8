"""An iCalendar (RFC 5545) file of a case's deadlines, for the person's own calendar."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone
from icalendar import Calendar, Event

from dsar.cases.models import Case
from dsar.cases.selectors import case_deadlines


def case_calendar(case: Case) -> bytes:
    """All-day events, one per deadline; UIDs are stable so re-importing updates, not duplicates."""
    calendar = Calendar()
    calendar.add("prodid", "-//dsar//deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"dsar {case.reference}")
    stamp = timezone.now()
    for entry in case_deadlines(case):
        event = Event()
        event.add("uid", f"{entry.uid}@dsar")
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + dt.timedelta(days=1))
        event.add("summary", entry.summary)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
