"""Casework forms: validate and normalise only. Rendered by crispy-forms."""
from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

ERR_TOKEN = _("That code is not valid. Enter the six digits your app shows now.")


class TokenForm(forms.Form):
    """A six-digit code from an authenticator app; checked against a device by the view."""

    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, verify: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._verify = verify  # callable(token) -> device or None

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        self.device = self._verify(token) if token.isdigit() and self._verify else None
        if self.device is None:
            raise forms.ValidationError(ERR_TOKEN)
        return token
