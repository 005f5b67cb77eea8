"""Bulk letters: planning, claiming each letter once, generation with progress, sending."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from dsar.cases.letters import request_letter_pdf
from dsar.cases.models import Event, Request
from dsar.casework import services, tasks
from dsar.casework.csvimport import SubjectRow
from dsar.casework.models import Batch, BatchItem
from tests.cases.factories import OrganisationFactory


def make_batch(cast, catalogue, people: int, organisations: int = 1, mandate: bool = False,
               kind: str = "access") -> Batch:
    rows = [SubjectRow(line=i + 2, name=f"Person {i}", email=f"p{i}@example.org", country="DE")
            for i in range(people)]
    batch = services.batch_import_subjects(team=cast.team_a, user=cast.worker_a, label="Chapel Quad", rows=rows)
    orgs = [catalogue["organisation"]] + [OrganisationFactory() for _ in range(organisations - 1)]
    services.batch_plan(batch=batch, datasets=[catalogue["dataset"]], organisations=orgs, kind=kind,
                        language="en", mandate=mandate)
    batch.refresh_from_db()
    return batch


def test_it_plans_one_letter_per_person_and_organisation_and_a_mandate_each(cast, catalogue):
    batch = make_batch(cast, catalogue, people=3, organisations=2, mandate=True)
    assert batch.total == 9 and batch.state == Batch.State.PLANNED
    kinds = sorted(batch.items.values_list("request__kind", flat=True))
    assert kinds == ["access"] * 6 + ["mandate"] * 3
    assert set(Request.objects.filter(batch_item__batch=batch).values_list("case__team", flat=True)) == {
        cast.team_a.pk}


def test_it_adds_nothing_when_a_batch_is_planned_twice(cast, catalogue):
    batch = make_batch(cast, catalogue, people=3)
    services.batch_plan(batch=batch, datasets=[catalogue["dataset"]], organisations=[catalogue["organisation"]],
                        kind="access", language="en", mandate=False)
    batch.refresh_from_db()
    assert batch.total == 3 and batch.items.count() == 3


def test_it_lets_only_one_caller_claim_a_letter(cast, catalogue):
    item = make_batch(cast, catalogue, people=1).items.get()
    first = services.batch_item_claim(item_id=item.pk)
    second = services.batch_item_claim(item_id=item.pk)
    assert first and second == ""
    item.refresh_from_db()
    assert item.state == BatchItem.State.CLAIMED and item.claim_token == first and item.attempts == 1


def test_it_lets_a_letter_be_reclaimed_once_the_lease_ran_out(cast, catalogue, frozen, settings):
    """A worker killed mid-letter: its claim expires and another worker redoes the letter."""
    item = make_batch(cast, catalogue, people=1).items.get()
    dead = services.batch_item_claim(item_id=item.pk)
    frozen.shift(dt.timedelta(seconds=settings.CASEWORK_CLAIM_LEASE_SECONDS - 1))
    assert services.batch_item_claim(item_id=item.pk) == ""
    frozen.shift(dt.timedelta(seconds=2))
    alive = services.batch_item_claim(item_id=item.pk)
    assert alive and alive != dead
    assert not services.batch_item_finish(item_id=item.pk, token=dead, state=BatchItem.State.DONE)
    assert services.batch_item_finish(item_id=item.pk, token=alive, state=BatchItem.State.DONE)
    batch = Batch.objects.get(pk=item.batch_id)
    assert (batch.done, batch.failed) == (1, 0)


def test_it_counts_a_letter_once_when_finished_twice(cast, catalogue):
    item = make_batch(cast, catalogue, people=1).items.get()
    token = services.batch_item_claim(item_id=item.pk)
    assert services.batch_item_finish(item_id=item.pk, token=token, state=BatchItem.State.DONE)
    assert not services.batch_item_finish(item_id=item.pk, token=token, state=BatchItem.State.DONE)
    assert Batch.objects.get(pk=item.batch_id).done == 1


def test_it_renders_each_letter_once_when_tasks_run_twice_and_interleaved(cast, catalogue):
    batch = make_batch(cast, catalogue, people=4)
    ids = list(batch.items.values_list("pk", flat=True))
    # A worker claimed the first letter and is still at it when a redelivered task arrives.
    held = services.batch_item_claim(item_id=ids[0])
    outcomes = [services.batch_item_render(item_id=i) for i in ids] + [services.batch_item_render(item_id=i) for i in ids]
    assert outcomes == ["busy", "claimed", "claimed", "claimed", "busy", "nothing", "nothing", "nothing"]
    assert services.batch_item_finish(item_id=ids[0], token=held, state=BatchItem.State.DONE)
    batch.refresh_from_db()
    assert (batch.done, batch.failed) == (4, 0)
    assert Request.objects.filter(batch_item__batch=batch).exclude(letter_pdf="").count() == 3


def test_it_gives_a_failing_letter_back_and_gives_up_after_three_attempts(cast, catalogue, monkeypatch):
    item = make_batch(cast, catalogue, people=1).items.get()

    def broken(*args, **kwargs):
        raise RuntimeError("renderer down")

    monkeypatch.setattr(services, "request_render_letter_of_case", broken)
    assert [services.batch_item_render(item_id=item.pk) for _ in range(3)] == ["retry", "retry", "failed"]
    item.refresh_from_db()
    batch = Batch.objects.get(pk=item.batch_id)
    assert item.state == BatchItem.State.FAILED and (batch.done, batch.failed) == (0, 1)


def test_it_generates_200_letters_in_celery_and_reports_progress(client, cast, catalogue):
    batch = make_batch(cast, catalogue, people=50, organisations=4)
    assert batch.total == 200
    client.force_login(cast.worker_a)
    services.batch_start_generation(batch=batch)
    tasks.generate_batch(batch.pk)  # eager in tests: each letter's task runs at once
    progress = client.get(reverse("casework:batch_progress", args=[batch.pk])).json()
    assert progress == {"total": 200, "done": 200, "failed": 0, "percent": 100, "state": "ready",
                        "state_label": "Letters ready"}
    pdfs = Request.objects.filter(batch_item__batch=batch).exclude(letter_pdf="")
    assert pdfs.count() == 200
    assert len({r.letter_pdf.name for r in pdfs}) == 200


def test_it_renders_mandates_naming_the_team_and_the_organisations(cast, catalogue):
    batch = make_batch(cast, catalogue, people=1, mandate=True)
    services.batch_start_generation(batch=batch)
    tasks.generate_batch(batch.pk)
    mandate = Request.objects.get(batch_item__batch=batch, kind=Request.Kind.MANDATE)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(request_letter_pdf(mandate))).pages)
    assert "Campus Privacy Group" in text and "Person 0" in text and "Acme Vision" in text


def test_it_marks_every_letter_of_a_ready_batch_as_sent(client, cast, catalogue, frozen):
    batch = make_batch(cast, catalogue, people=3, mandate=True)
    services.batch_start_generation(batch=batch)
    tasks.generate_batch(batch.pk)
    client.force_login(cast.worker_a)
    response = client.post(reverse("casework:batch_mark_sent", args=[batch.pk]),
                           {"sent_on": "2026-03-02", "channel": "post"})
    assert response.status_code == 302
    sent = Request.objects.filter(batch_item__batch=batch, kind="access")
    assert set(sent.values_list("sent_on", "channel", "status")) == {(dt.date(2026, 3, 2), "post", "awaiting")}
    assert Event.objects.filter(request__in=sent, kind=Event.Kind.SENT).count() == 3
    assert not Request.objects.filter(batch_item__batch=batch, kind="mandate", sent_on__isnull=False).exists()
    batch.refresh_from_db()
    assert (batch.state, batch.sent_on, batch.channel) == (Batch.State.SENT, dt.date(2026, 3, 2), "post")


def test_it_leaves_a_letter_that_failed_to_generate_unsent(client, cast, catalogue, frozen, monkeypatch):
    batch = make_batch(cast, catalogue, people=3)
    broken_request = batch.items.order_by("pk").first().request_id
    real = services.render_request_letter

    def fails_for_one(request, **kwargs):
        if request.pk == broken_request:
            raise RuntimeError("renderer down")
        return real(request, **kwargs)

    monkeypatch.setattr(services, "render_request_letter", fails_for_one)
    Batch.objects.filter(pk=batch.pk).update(state=Batch.State.GENERATING)
    for item in batch.items.all():  # what the Celery task and its retries do, one item at a time
        outcomes = [services.batch_item_render(item_id=item.pk) for _ in range(services.MAX_ATTEMPTS)]
        assert outcomes[0] == "claimed" or outcomes == ["retry", "retry", "failed"]
    batch.refresh_from_db()
    assert (batch.state, batch.done, batch.failed) == (Batch.State.READY, 2, 1)
    client.force_login(cast.worker_a)
    response = client.post(reverse("casework:batch_mark_sent", args=[batch.pk]),
                           {"sent_on": "2026-03-02", "channel": "post"}, follow=True)
    sent = Request.objects.filter(batch_item__batch=batch, sent_on=dt.date(2026, 3, 2))
    assert sent.count() == 2 and not sent.filter(pk=broken_request).exists()
    assert Request.objects.get(pk=broken_request).sent_on is None
    page = response.content.decode()
    assert "2 letters marked as sent." in page
    assert "1 letter could not be generated and was not marked as sent" in page


def test_it_refuses_to_mark_a_batch_sent_before_its_letters_exist(client, cast, catalogue, frozen):
    batch = make_batch(cast, catalogue, people=2)
    client.force_login(cast.worker_a)
    response = client.post(reverse("casework:batch_mark_sent", args=[batch.pk]),
                           {"sent_on": "2026-03-02", "channel": "post"})
    assert response.status_code == 200 and response.context["sent_form"].non_field_errors()
    assert not Request.objects.filter(batch_item__batch=batch, sent_on__isnull=False).exists()


def test_it_keeps_a_future_sending_date_out(client, cast, catalogue, frozen):
    batch = make_batch(cast, catalogue, people=1)
    services.batch_start_generation(batch=batch)
    tasks.generate_batch(batch.pk)
    client.force_login(cast.worker_a)
    response = client.post(reverse("casework:batch_mark_sent", args=[batch.pk]),
                           {"sent_on": "2026-04-01", "channel": "post"})
    assert "sent_on" in response.context["sent_form"].errors
    assert response.context["sent_form"]["sent_on"].value() == "2026-04-01"
    assert Batch.objects.get(pk=batch.pk).state == Batch.State.READY


def test_it_plans_and_starts_generation_from_the_batch_page(client, cast, catalogue,
                                                           django_capture_on_commit_callbacks):
    rows = [SubjectRow(line=2, name="Person A", email="a@example.org")]
    batch = services.batch_import_subjects(team=cast.team_a, user=cast.worker_a, label="L", rows=rows)
    client.force_login(cast.worker_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("casework:batch_plan", args=[batch.pk]), {
            "datasets": [catalogue["dataset"].pk], "organisations": [catalogue["organisation"].pk],
            "kind": "access", "language": "en", "mandate": "on",
        })
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.total, batch.done, batch.state) == (2, 2, Batch.State.READY)
    page = client.get(reverse("casework:batch", args=[batch.pk])).content.decode()
    assert reverse("casework:batch_letters_zip", args=[batch.pk]) in page


def test_it_zips_every_letter_of_the_batch(client, cast, catalogue):
    import io
    import zipfile

    batch = make_batch(cast, catalogue, people=2, mandate=True)
    services.batch_start_generation(batch=batch)
    tasks.generate_batch(batch.pk)
    client.force_login(cast.worker_a)
    response = client.get(reverse("casework:batch_letters_zip", args=[batch.pk]))
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert len(names) == 4 and sum("mandate" in n for n in names) == 2


def test_it_resumes_the_letters_of_a_batch_that_stopped_moving(cast, catalogue, frozen, settings):
    batch = make_batch(cast, catalogue, people=3)
    services.batch_start_generation(batch=batch)
    first, second, third = batch.items.order_by("pk").values_list("pk", flat=True)
    services.batch_item_claim(item_id=first)  # then the worker died
    assert services.batch_item_render(item_id=second) == "claimed"
    assert services.batch_items_to_resume() == []  # progress a moment ago
    frozen.shift(dt.timedelta(seconds=settings.CASEWORK_CLAIM_LEASE_SECONDS + 1))
    assert services.batch_items_to_resume() == [first, third]
    assert services.batch_items_to_resume() == []  # not again until another lease has passed


def test_it_finishes_a_stalled_batch_from_the_beat_task(cast, catalogue, frozen, settings):
    batch = make_batch(cast, catalogue, people=2)
    services.batch_start_generation(batch=batch)
    services.batch_item_claim(item_id=batch.items.first().pk)
    frozen.shift(dt.timedelta(seconds=settings.CASEWORK_CLAIM_LEASE_SECONDS + 1))
    assert tasks.resume_stalled_batches() == 2
    batch.refresh_from_db()
    assert (batch.done, batch.state) == (2, Batch.State.READY)


def test_it_gives_both_letters_for_access_and_erasure(cast, catalogue):
    batch = make_batch(cast, catalogue, people=1, kind="access_erasure")
    services.batch_start_generation(batch=batch)
    tasks.generate_batch(batch.pk)
    request = Request.objects.get(batch_item__batch=batch)
    reader = PdfReader(io.BytesIO(request_letter_pdf(request)))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert request.kind == "access_erasure"
    assert "Request for access to personal data" in text
    assert "Request for erasure, objection and restriction" in text
    titles = [item["/Title"] for item in reader.outline if isinstance(item, dict)]
    assert titles == ["1. Acme Vision Ltd (access)", "2. Acme Vision Ltd (erasure)"]


def test_it_asks_for_the_team_address_before_planning_letters(client, cast, catalogue):
    from dsar.cases.models import Team
    from dsar.letters.assemble import NGO_INCOMPLETE

    Team.objects.filter(pk=cast.team_a.pk).update(postal_address="")
    rows = [SubjectRow(line=2, name="Person A", email="a@example.org")]
    batch = services.batch_import_subjects(team=cast.team_a, user=cast.worker_a, label="L", rows=rows)
    client.force_login(cast.worker_a)
    response = client.post(reverse("casework:batch_plan", args=[batch.pk]), {
        "datasets": [catalogue["dataset"].pk], "organisations": [catalogue["organisation"].pk],
        "kind": "access", "language": "en", "mandate": "on",
    })
    assert response.status_code == 200
    assert str(NGO_INCOMPLETE) in response.content.decode().replace("&#x27;", "'")
    batch.refresh_from_db()
    assert batch.total == 0 and batch.state == Batch.State.IMPORTED


def test_it_lets_a_coordinator_give_the_team_address(client, cast):
    from dsar.cases.models import Team

    client.force_login(cast.coordinator_a)
    response = client.post(reverse("casework:team_settings", args=[cast.team_a.pk]), {
        "postal_address": "Lindenstraße 12\n10969 Berlin", "contact_email": "faelle@example.org",
        "description": "a registered association",
    })
    team = Team.objects.get(pk=cast.team_a.pk)
    assert response.status_code == 302
    assert team.postal_address == "Lindenstraße 12\n10969 Berlin" and team.contact_email == "faelle@example.org"
    assert team.can_represent and not team.require_otp


def test_it_refuses_letters_until_the_team_has_an_address(cast, catalogue):
    from dsar.letters.assemble import NgoIncomplete

    cast.team_a.postal_address = ""
    cast.team_a.save(update_fields=["postal_address"])
    batch = make_batch(cast, catalogue, people=1)
    request = Request.objects.get(batch_item__batch=batch)
    with pytest.raises(NgoIncomplete):
        services.render_request_letter(request, batch=batch)
    request.refresh_from_db()
    assert not request.letter_pdf
