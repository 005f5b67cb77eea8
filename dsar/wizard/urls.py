from __future__ import annotations

from django.urls import path

from dsar.wizard import views

app_name = "wizard"
urlpatterns = [
    path("", views.start, name="start"),
    path("privacy/", views.privacy, name="privacy"),
    path("restart/", views.restart, name="restart"),
    path("questions/<int:number>/", views.questions, name="questions"),
    path("result/", views.result, name="result"),
    path("choose/", views.choose, name="choose"),
    path("details/", views.details, name="details"),
    path("review/", views.review, name="review"),
    path("letters/<slug:organisation>/<slug:kind>.pdf", views.letter_pdf, name="letter_pdf"),
    path("letters.zip", views.letters_zip, name="letters_zip"),
    path("track/", views.track, name="track"),
]
