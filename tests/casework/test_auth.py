"""Login with brute-force protection, the optional second factor, the team's policy."""
from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from dsar.cases.models import Team
from tests.casework.conftest import PASSWORD


def code(device: TOTPDevice) -> str:
    """The code an authenticator app shows now (the cast's clock is frozen, so it stays valid)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def test_it_logs_a_caseworker_in_and_shows_the_queue(client, cast):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("casework:queue")
    assert client.get(reverse("casework:queue")).status_code == 200


def test_it_locks_an_account_after_five_failed_attempts(client, cast):
    for _ in range(4):
        assert client.post(reverse("login"), {"username": "alice", "password": "wrong"}).status_code == 200
    assert client.post(reverse("login"), {"username": "alice", "password": "wrong"}).status_code == 429
    locked = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed log-in attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_asks_members_of_a_team_that_requires_it_to_set_up_a_second_factor(client, cast):
    Team.objects.filter(pk=cast.team_a.pk).update(require_otp=True)
    client.force_login(cast.worker_a)
    response = client.get(reverse("casework:case", args=[cast.case_a.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("casework:otp_setup"))


def test_it_confirms_a_new_device_with_a_valid_code_and_lets_the_user_in(client, cast, frozen):
    Team.objects.filter(pk=cast.team_a.pk).update(require_otp=True)
    client.force_login(cast.worker_a)
    setup = client.get(reverse("casework:otp_setup"))
    assert setup.status_code == 200 and 'src="data:image/svg+xml' in setup.content.decode()
    device = TOTPDevice.objects.get(user=cast.worker_a)
    wrong = client.post(reverse("casework:otp_setup"), {"token": "000000" if code(device) != "000000" else "111111"})
    assert "not valid" in wrong.content.decode() and not TOTPDevice.objects.get(pk=device.pk).confirmed
    frozen.shift(dt.timedelta(seconds=31))  # past django-otp's throttle after a wrong code
    ok = client.post(reverse("casework:otp_setup"), {"token": code(device)})
    assert ok.status_code == 302 and TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(reverse("casework:case", args=[cast.case_a.pk])).status_code == 200


def test_it_asks_for_a_code_after_the_password_once_a_device_exists(client, cast):
    device = TOTPDevice.objects.create(user=cast.worker_a, name="phone", confirmed=True)
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    response = client.get(reverse("casework:queue"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("casework:otp_verify"))
    verified = client.post(reverse("casework:otp_verify") + "?next=/casework/", {"token": code(device)})
    assert verified.status_code == 302 and verified["Location"] == "/casework/"
    assert client.get(reverse("casework:queue")).status_code == 200


def test_it_lets_a_coordinator_require_a_second_factor_for_the_team(client, cast):
    client.force_login(cast.coordinator_a)
    response = client.post(reverse("casework:team_settings", args=[cast.team_a.pk]), {"require_otp": "on"})
    assert response.status_code == 302
    assert Team.objects.get(pk=cast.team_a.pk).require_otp


@pytest.mark.parametrize("role", ["worker_a", "worker_b"])
def test_it_hides_team_settings_from_everyone_but_its_coordinators(client, cast, role):
    client.force_login(getattr(cast, role))
    response = client.post(reverse("casework:team_settings", args=[cast.team_a.pk]), {"require_otp": "on"})
    assert response.status_code == 404
    assert not Team.objects.get(pk=cast.team_a.pk).require_otp


def test_it_does_not_let_a_password_alone_add_a_second_device(client, cast):
    TOTPDevice.objects.create(user=cast.worker_a, name="phone", confirmed=True)
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    response = client.get(reverse("casework:otp_setup"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("casework:otp_verify"))
    assert TOTPDevice.objects.filter(user=cast.worker_a).count() == 1


@override_settings(DSAR_TRUSTED_PROXIES=["127.0.0.1"])
def test_it_locks_out_only_the_visitor_behind_the_proxy_who_failed(cast):
    nginx = {"REMOTE_ADDR": "127.0.0.1"}
    attacker, colleague = Client(), Client()
    for _ in range(5):
        attacker.post(reverse("login"), {"username": "alice", "password": "wrong"},
                      HTTP_X_FORWARDED_FOR="198.51.100.1", **nginx)
    assert attacker.post(reverse("login"), {"username": "alice", "password": PASSWORD},
                         HTTP_X_FORWARDED_FOR="198.51.100.1", **nginx).status_code == 429
    response = colleague.post(reverse("login"), {"username": "alice", "password": PASSWORD},
                              HTTP_X_FORWARDED_FOR="203.0.113.8", **nginx)
    assert response.status_code == 302
    assert "_auth_user_id" in colleague.session
