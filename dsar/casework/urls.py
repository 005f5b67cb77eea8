from __future__ import annotations

from django.urls import path

from dsar.casework import views

app_name = "casework"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("otp/setup/", views.otp_setup, name="otp_setup"),
    path("otp/verify/", views.otp_verify, name="otp_verify"),
    path("teams/<int:team_id>/settings/", views.team_settings, name="team_settings"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/note/", views.case_note, name="case_note"),
    path("cases/<int:case_id>/assign/", views.case_assign, name="case_assign"),
    path("cases/<int:case_id>/calendar.ics", views.case_calendar, name="case_calendar"),
    path("cases/<int:case_id>/delete/", views.case_delete, name="case_delete"),
    path("cases/<int:case_id>/requests/<int:request_id>/", views.request_action, name="request_action"),
    path("cases/<int:case_id>/requests/<int:request_id>/letter.pdf", views.request_letter, name="request_letter"),
    path("cases/<int:case_id>/requests/<int:request_id>/dossier.pdf", views.request_dossier, name="request_dossier"),
    path("cases/<int:case_id>/events/<int:event_id>/attachment", views.event_attachment, name="event_attachment"),
    path("export/deadlines.csv", views.deadlines_export, name="deadlines_export"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/new/", views.batch_new, name="batch_new"),
    path("batches/new/preview/", views.batch_preview, name="batch_preview"),
    path("batches/<int:batch_id>/", views.batch_detail, name="batch"),
    path("batches/<int:batch_id>/plan/", views.batch_plan, name="batch_plan"),
    path("batches/<int:batch_id>/progress/", views.batch_progress, name="batch_progress"),
    path("batches/<int:batch_id>/resume/", views.batch_resume, name="batch_resume"),
    path("batches/<int:batch_id>/sent/", views.batch_mark_sent, name="batch_mark_sent"),
    path("batches/<int:batch_id>/letters.zip", views.batch_letters_zip, name="batch_letters_zip"),
    path("staff/", views.staff_dashboard, name="staff_dashboard"),
]
