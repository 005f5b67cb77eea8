from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("dsar.casework.account_urls")),
    path("casework/", include("dsar.casework.urls")),
    path("track/", include("dsar.cases.urls")),
    path("mail/", include("dsar.mailbox.urls")),
    path("", include("dsar.catalog.urls")),
    path("start/", include("dsar.wizard.urls")),
    prefix_default_language=False,
)
