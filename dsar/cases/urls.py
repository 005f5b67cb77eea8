from __future__ import annotations

from django.urls import path

from dsar.cases import views

app_name = "cases"

# Mounted under /track/. The token is the secret link (only its hash is stored).
urlpatterns = [
    path("deleted/", views.deleted, name="deleted"),
    path("new-link/", views.new_link, name="new_link"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("<str:token>/", views.case_page, name="case"),
    path("<str:token>/requests/<int:request_id>/", views.request_page, name="request"),
    path("<str:token>/requests/<int:request_id>/letter.pdf", views.letter_download, name="letter"),
    path("<str:token>/requests/<int:request_id>/dossier.pdf", views.dossier_download, name="dossier"),
    path("<str:token>/files/<int:event_id>/", views.attachment_download, name="attachment"),
    path("<str:token>/calendar.ics", views.calendar, name="calendar"),
    path("<str:token>/delete/", views.delete, name="delete"),
]
