"""A log-in that posts a device id of its own making gets the form back, never a 500."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import make_staff
from tests.security.test_staff_login_one_device import current_code, log_in


@pytest.fixture
def desk(db, settings):
    settings.STAFF_REQUIRE_2FA = True
    return make_staff("desk", superuser=True)


@pytest.mark.parametrize(
    "posted",
    [
        "auth.user/1",  # a model that is not a device
        "contenttypes.contenttype/1",
        "sessions.session/x",
        "otp_totp.totpdevice/99999999999999999999",
        "otp_totp.totpdevice/",
        "x/y/z",
        "a.b.c/1",
    ],
)
def test_a_forged_device_id_is_refused_with_the_form(client, desk, posted):
    device = TOTPDevice.objects.create(user=desk, name="phone", confirmed=True)

    response = log_in(client, otp_token=current_code(device), otp_device=posted)

    assert response.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302


def test_another_users_device_is_refused(client, desk):
    other = make_staff("other", superuser=True)
    theirs = TOTPDevice.objects.create(user=other, name="their phone", confirmed=True)
    TOTPDevice.objects.create(user=desk, name="phone", confirmed=True)

    response = log_in(client, otp_token=current_code(theirs), otp_device=theirs.persistent_id)

    assert response.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302


def test_ones_own_device_posted_by_id_logs_in(client, desk):
    device = TOTPDevice.objects.create(user=desk, name="phone", confirmed=True)

    response = log_in(client, otp_token=current_code(device), otp_device=device.persistent_id)

    assert response.status_code == 302
