from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.expressions import RawSQL

from dsar.cases import services
from dsar.cases.models import Case, DataSubject, Event, Request

D = dt.date


def raw_column(column: str) -> RawSQL:
    """The stored column as it is in the database, not decrypted."""
    return RawSQL(f'"cases_event"."{column}"', ())


def test_it_starts_as_a_draft_without_dates(public):
    request = public.request

    assert request.status == Request.Status.DRAFT
    assert request.due_on is None
    assert request.kind == Request.Kind.ACCESS_ERASURE


def test_it_computes_the_due_date_when_sent_by_email(public, frozen):
    request = services.request_mark_sent(request=public.request, sent_on=D(2026, 1, 31), channel="email")

    request.refresh_from_db()
    assert request.status == Request.Status.AWAITING  # due Mon 2 Mar, which is "today": not late yet
    assert request.received_on == D(2026, 1, 31)
    assert request.due_on == D(2026, 3, 2)
    assert request.events.get().kind == Event.Kind.SENT


def test_it_keeps_a_request_awaiting_on_its_due_day(public, frozen):
    request = services.request_mark_sent(request=public.request, sent_on=D(2026, 2, 2), channel="email")

    assert request.due_on == D(2026, 3, 2)
    assert Request.objects.get(pk=request.pk).status == Request.Status.AWAITING


def test_it_assumes_receipt_of_a_posted_letter_three_days_later(public, frozen):
    request = services.request_mark_sent(request=public.request, sent_on=D(2026, 2, 20), channel="post")

    stored = Request.objects.get(pk=request.pk)
    assert stored.received_on == D(2026, 2, 23)
    assert stored.received_assumed is True
    assert stored.due_on == D(2026, 3, 23)
    assert stored.channel == "post"


def test_it_uses_a_confirmed_delivery_date(public, frozen):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 2, 20), channel="post")

    services.request_confirm_delivery(request=public.request, delivered_on=D(2026, 2, 27))

    stored = Request.objects.get(pk=public.request.pk)
    assert stored.received_on == D(2026, 2, 27)
    assert stored.received_assumed is False
    assert stored.due_on == D(2026, 3, 27)


def test_it_refuses_a_sending_date_in_the_future(public, frozen):
    with pytest.raises(services.CaseError) as caught:
        services.request_mark_sent(request=public.request, sent_on=D(2026, 3, 3), channel="post")

    assert caught.value.field == "sent_on"
    assert caught.value.messages == [str(services.SENT_IN_FUTURE)]
    assert not public.request.events.exists()


def test_it_refuses_a_delivery_before_sending(public, frozen):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 2, 20), channel="post")

    with pytest.raises(services.CaseError) as caught:
        services.request_confirm_delivery(request=public.request, delivered_on=D(2026, 2, 19))

    assert caught.value.field == "delivered_on"
    assert public.request.events.count() == 1


def test_it_pauses_the_clock_while_identity_is_asked(public, frozen):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 2, 2), channel="email")

    services.request_identity_asked(request=public.request, on=D(2026, 2, 10))

    stored = Request.objects.get(pk=public.request.pk)
    assert stored.status == Request.Status.IDENTITY_ASKED
    assert stored.due_on is None


def test_it_adds_the_paused_days_once_identity_is_supplied(public, frozen):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 2, 2), channel="email")
    services.request_identity_asked(request=public.request, on=D(2026, 2, 10))

    services.request_identity_supplied(request=public.request, on=D(2026, 2, 12))

    stored = Request.objects.get(pk=public.request.pk)
    assert stored.status == Request.Status.AWAITING
    assert stored.due_on == D(2026, 3, 5)  # 2 Mar + 3 paused days (10, 11, 12 Feb)


def test_it_extends_to_three_months_and_is_not_overdue_after_one(public, frozen):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 1, 20), channel="email")

    services.request_extension_notified(request=public.request, on=D(2026, 2, 10))

    stored = Request.objects.get(pk=public.request.pk)
    assert stored.status == Request.Status.EXTENDED
    assert stored.due_on == stored.extended_due_on == D(2026, 4, 20)
    assert stored.due_rule == "rule_gdpr_extended"


def test_it_does_not_extend_for_an_extension_notified_after_the_due_date(public, frozen):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 1, 20), channel="email")

    services.request_extension_notified(request=public.request, on=D(2026, 2, 23))

    stored = Request.objects.get(pk=public.request.pk)
    assert stored.due_on == D(2026, 2, 20)  # the first period ended Fri 20 Feb
    assert stored.extended_due_on is None
    assert stored.due_rule == "rule_gdpr"
    assert stored.status == Request.Status.OVERDUE
    steps = [step.code for step in services.request_deadline(stored, list(stored.events.all())).steps]
    assert "extension_late" in steps


def test_it_does_not_pause_for_an_identity_question_asked_after_the_due_date(public, frozen):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 1, 20), channel="email")

    services.request_identity_asked(request=public.request, on=D(2026, 2, 25))

    stored = Request.objects.get(pk=public.request.pk)
    assert stored.due_on == D(2026, 2, 20)
    assert stored.status == Request.Status.OVERDUE
    services.request_identity_supplied(request=public.request, on=D(2026, 2, 27))
    assert Request.objects.get(pk=public.request.pk).status == Request.Status.OVERDUE


def test_it_counts_the_first_extension_notice(public, frozen):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 1, 20), channel="email")
    services.request_extension_notified(request=public.request, on=D(2026, 2, 10))

    services.request_extension_notified(request=public.request, on=D(2026, 2, 25))

    stored = Request.objects.get(pk=public.request.pk)
    assert stored.status == Request.Status.EXTENDED
    assert stored.due_on == D(2026, 4, 20)


def test_it_turns_overdue_the_day_after_the_due_date(public, frozen):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 2, 2), channel="email")

    services.request_refresh(request=public.request, today=D(2026, 3, 3))

    assert Request.objects.get(pk=public.request.pk).status == Request.Status.OVERDUE


def test_it_stores_an_answer_with_its_outcome_and_private_file(public, frozen, private_root):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 2, 2), channel="email")
    scan = SimpleUploadedFile("answer Zofia.pdf", b"%PDF-1.4 answer", content_type="application/pdf")

    services.request_log_answer(request=public.request, outcome="partial", on=D(2026, 2, 25), upload=scan)

    stored = Request.objects.get(pk=public.request.pk)
    assert stored.status == Request.Status.ANSWERED_PARTIAL
    assert stored.answered_on == D(2026, 2, 25)
    event = stored.events.get(kind=Event.Kind.ANSWER_RECEIVED)
    assert event.outcome == "partial"
    assert event.attachment_name == "answer Zofia.pdf"
    assert "Zofia" not in event.attachment.name
    assert (private_root / event.attachment.name).read_bytes() == b"%PDF-1.4 answer"


def test_it_marks_the_original_when_a_followup_is_sent(public, frozen):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 1, 5), channel="email")
    followup = services.request_create_followup(request=public.request)

    services.request_mark_sent(request=followup, sent_on=D(2026, 2, 9), channel="email")

    original = Request.objects.get(pk=public.request.pk)
    assert original.status == Request.Status.FOLLOWUP_SENT
    assert original.due_on == D(2026, 2, 23)  # the follow-up's 14 days: the complaint reminder reads it
    stored = Request.objects.get(pk=followup.pk)
    assert stored.parent_id == public.request.pk
    assert stored.due_on is None
    assert public.request.events.filter(kind=Event.Kind.FOLLOWUP_SENT).count() == 1


def test_it_makes_one_followup_draft_however_often_asked(public, frozen):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 1, 5), channel="email")

    first = services.request_create_followup(request=public.request)
    second = services.request_create_followup(request=public.request)

    assert first.pk == second.pk
    assert public.request.children.count() == 1


def test_it_addresses_the_complaint_to_the_authority_of_residence(public, catalogue, frozen):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 1, 5), channel="email")

    complaint = services.request_create_complaint(request=public.request)
    services.request_mark_sent(request=complaint, sent_on=D(2026, 3, 2), channel="post")

    assert complaint.authority == catalogue["authority"]
    assert complaint.kind == Request.Kind.COMPLAINT
    assert Request.objects.get(pk=public.request.pk).status == Request.Status.COMPLAINT_FILED


def test_it_closes_open_followups_when_the_answer_comes(public, frozen):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 1, 5), channel="email")
    followup = services.request_create_followup(request=public.request)
    services.request_mark_sent(request=followup, sent_on=D(2026, 2, 9), channel="email")

    services.request_log_answer(request=public.request, outcome="complete", on=D(2026, 2, 20))

    assert Request.objects.get(pk=followup.pk).status == Request.Status.CLOSED
    assert Request.objects.get(pk=public.request.pk).status == Request.Status.ANSWERED_COMPLETE


def test_it_derives_status_from_events_in_date_order(public, frozen):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 2, 2), channel="email")
    services.request_log_answer(request=public.request, outcome="refused", on=D(2026, 2, 20))
    # Recorded later, but it happened before the answer: the answer still decides.
    services.request_extension_notified(request=public.request, on=D(2026, 2, 10))

    assert Request.objects.get(pk=public.request.pk).status == Request.Status.ANSWERED_REFUSED


def test_it_refuses_to_change_or_delete_events(public, frozen):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 2, 2), channel="email")
    event = Event.objects.get()

    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        Event.objects.filter(pk=event.pk).update(kind="note")
    with pytest.raises(TypeError):
        Event.objects.all().delete()
    assert Event.objects.get().kind == Event.Kind.SENT


def test_it_deletes_everything_of_a_case(public, frozen, private_root):
    services.request_mark_sent(request=public.request, sent_on=D(2026, 2, 2), channel="email")
    scan = SimpleUploadedFile("answer.png", b"\x89PNG answer", content_type="image/png")
    services.request_log_answer(request=public.request, outcome="partial", on=D(2026, 2, 25), upload=scan)
    services.request_create_followup(request=public.request)
    assert any(private_root.rglob("*.png"))

    services.case_delete_everything(case=public.case)

    assert not Case.objects.exists()
    assert not DataSubject.objects.exists()
    assert not Request.objects.exists()
    assert not Event.objects.exists()
    assert not [p for p in private_root.rglob("*") if p.is_file()]
    assert not (private_root / "cases" / str(public.case.pk)).exists()


def test_it_keeps_a_person_who_still_has_another_case(ngo_a):
    subject = ngo_a.case.data_subject
    other = services.case_create(subject_data={}, data_subject=subject, team=ngo_a.team)

    services.case_delete_everything(case=other)

    assert DataSubject.objects.filter(pk=subject.pk).exists()
    assert Case.objects.filter(pk=ngo_a.case.pk).exists()


def test_it_rejects_an_unknown_organisation_and_stores_nothing(catalogue):
    with pytest.raises(services.CaseError):
        services.case_create(subject_data={"name": "X"}, requests=[{"organisation": "nope"}])

    assert not Case.objects.exists()
    assert not DataSubject.objects.exists()


def test_it_records_a_reminder_on_the_timeline(public, frozen):
    event = services.request_record_reminder(request=public.request, reminder="before")

    assert event.kind == Event.Kind.REMINDER_SENT
    assert event.actor == Event.Actor.SYSTEM
    assert Event.objects.get().data == {"reminder": "before"}


def test_it_keeps_the_reference_already_printed_on_the_letters(catalogue):
    case, _token = services.case_create_public(email="z@example.net", person={"name": "Z", "address": "A 1"},
                                               datasets=[], requests=[], reference="W-ABCD2345")

    assert Case.objects.get(pk=case.pk).reference == "W-ABCD2345"
    assert case.data_subject.postal_address == "A 1"


def test_it_makes_a_new_reference_when_the_wanted_one_is_taken(public):
    case = services.case_create(subject_data={"name": "Y"}, reference=public.case.reference)

    assert case.reference != public.case.reference
    assert case.reference.startswith("DSAR-")


def test_it_purges_a_public_case_never_confirmed_within_a_week(public, ngo_a):
    later = public.case.created_at + dt.timedelta(days=7, seconds=1)

    assert services.cases_purge_abandoned(now=later) == 1

    assert not Case.objects.filter(pk=public.case.pk).exists()
    assert Case.objects.filter(pk=ngo_a.case.pk).exists()  # NGO cases have no link to expire


def test_it_keeps_an_unconfirmed_case_for_a_week(public):
    almost = public.case.created_at + dt.timedelta(days=6, hours=23)

    assert services.cases_purge_abandoned(now=almost) == 0
    assert Case.objects.filter(pk=public.case.pk).exists()


def test_it_purges_a_confirmed_case_once_its_link_expired(public):
    services.case_confirm_email(case=public.case)
    case = Case.objects.get(pk=public.case.pk)

    assert services.cases_purge_abandoned(now=case.token_expires_at - dt.timedelta(seconds=1)) == 0
    assert services.cases_purge_abandoned(now=case.token_expires_at) == 1
    assert not DataSubject.objects.exists()


def test_it_keeps_a_caseworkers_note_encrypted(ngo_a):
    services.case_add_note(case=ngo_a.case, text="Called her on Tuesday", user=ngo_a.caseworker)

    event = Event.objects.get(kind=Event.Kind.NOTE)
    assert event.note == "Called her on Tuesday"
    assert event.actor == Event.Actor.USER
    assert event.actor_user == ngo_a.caseworker
    assert "Tuesday" not in Event.objects.values_list(raw_column("note"), flat=True).get()


def test_it_counts_the_holidays_of_the_addressees_subdivision(public, frozen):
    organisation = public.request.organisation
    organisation.country, organisation.subdivision = "DE", "DE-BY"
    organisation.save(update_fields=["country", "subdivision"])

    # 6 Jan 2026 (Epiphany) is a holiday in Bavaria, not in Berlin.
    request = services.request_mark_sent(request=public.request, sent_on=D(2025, 12, 6), channel="email")
    assert request.due_on == D(2026, 1, 7)

    organisation.subdivision = "DE-BE"
    organisation.save(update_fields=["subdivision"])
    assert services.request_refresh(request=request).due_on == D(2026, 1, 6)


def test_it_counts_microsofts_deadline_with_irish_holidays(public, frozen):
    from dsar.catalog.models import Organisation

    request = public.request
    request.organisation = Organisation.objects.get(slug="microsoft")
    request.save(update_fields=["organisation"])

    # 17 Mar 2026 is St Patrick's Day: an Irish holiday, not a US one.
    request = services.request_mark_sent(request=request, sent_on=D(2026, 2, 17), channel="email")

    assert request.due_on == D(2026, 3, 18)
    assert services.request_country(request) == "IE"


def test_it_runs_the_clock_of_a_letter_to_an_art_27_representative_in_its_country(public, frozen):
    from dsar.catalog.models import Organisation

    request = public.request
    request.organisation = Organisation.objects.get(slug="mit")
    request.save(update_fields=["organisation"])

    assert services.request_country(request) == "FR"  # J-PAL Europe, Paris
