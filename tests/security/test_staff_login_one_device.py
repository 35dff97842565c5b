"""The admin log-in as a browser posts it: username, password and code, no device field."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import make_staff

PASSWORD = "correct horse battery staple"


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def two_factor(settings):
    settings.STAFF_REQUIRE_2FA = True


@pytest.fixture
def desk(db):
    return make_staff("desk", superuser=True)


def log_in(client, **fields):
    return client.post(
        reverse("admin:login"), {"username": "desk", "password": PASSWORD, **fields}
    )


def test_with_one_device_a_correct_code_logs_in_without_choosing_it(client, two_factor, desk):
    device = TOTPDevice.objects.create(user=desk, name="phone", confirmed=True)

    response = log_in(client, otp_token=current_code(device))

    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_with_one_device_a_wrong_code_is_refused(client, two_factor, desk):
    TOTPDevice.objects.create(user=desk, name="phone", confirmed=True)

    response = log_in(client, otp_token="000000")

    assert response.status_code == 200
    assert "Invalid token" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_an_unconfirmed_device_is_not_used(client, two_factor, desk):
    device = TOTPDevice.objects.create(user=desk, name="phone", confirmed=False)

    response = log_in(client, otp_token=current_code(device))

    assert response.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302


def test_with_several_devices_the_form_asks_which_one(client, two_factor, desk):
    first = TOTPDevice.objects.create(user=desk, name="phone", confirmed=True)
    second = TOTPDevice.objects.create(user=desk, name="tablet", confirmed=True)

    asked = log_in(client, otp_token=current_code(second))
    chosen = log_in(client, otp_device=second.persistent_id, otp_token=current_code(second))

    assert asked.status_code == 200
    assert first.persistent_id in asked.content.decode()  # the choice is offered
    assert second.persistent_id in asked.content.decode()
    assert chosen.status_code == 302


def test_another_users_device_cannot_be_chosen(client, two_factor, desk):
    stranger = make_staff("stranger")
    theirs = TOTPDevice.objects.create(user=stranger, name="phone", confirmed=True)
    TOTPDevice.objects.create(user=desk, name="phone", confirmed=True)

    response = log_in(client, otp_device=theirs.persistent_id, otp_token=current_code(theirs))

    assert response.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302
