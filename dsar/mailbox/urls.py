from __future__ import annotations

from django.urls import path

from dsar.mailbox import views

app_name = "mailbox"

# Mounted under /mail/.
urlpatterns = [
    path("track/<str:token>/requests/<int:request_id>/send/", views.public_send, name="public_send"),
    path("track/<str:token>/messages/<int:message_id>/", views.public_message, name="public_message"),
    path("track/<str:token>/files/<int:attachment_id>/", views.public_file, name="public_file"),
    path("casework/cases/<int:case_id>/requests/<int:request_id>/send/", views.casework_send, name="casework_send"),
    path("casework/cases/<int:case_id>/messages/<int:message_id>/", views.casework_message, name="casework_message"),
    path("casework/cases/<int:case_id>/files/<int:attachment_id>/", views.casework_file, name="casework_file"),
    path("review/", views.review_list, name="review"),
    path("review/<int:message_id>/", views.review_message, name="review_message"),
    path("review/<int:message_id>/files/<int:attachment_id>/", views.review_file, name="review_file"),
]
