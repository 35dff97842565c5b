"""Admin log-in: lock-out after repeated failures, two-factor codes, guarded accounts."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import make_staff

PASSWORD = "correct horse battery staple"


@pytest.fixture
def login_url():
    return reverse("admin:login")


def post_login(client, url, username, password, **extra):
    return client.post(url, {"username": username, "password": password, **extra})


@pytest.mark.django_db
def test_it_locks_out_after_repeated_failures(client, login_url, settings):
    make_staff("desk")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, login_url, "desk", "wrong password")

    response = post_login(client, login_url, "desk", PASSWORD)

    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_correct_password_before_the_limit_logs_in(client, login_url, settings):
    make_staff("desk")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        post_login(client, login_url, "desk", "wrong password")

    response = post_login(client, login_url, "desk", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"]


@pytest.mark.django_db
def test_deleting_the_access_attempts_unlocks_the_account(client, login_url, settings):
    from axes.models import AccessAttempt

    make_staff("desk")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, login_url, "desk", "wrong password")
    AccessAttempt.objects.all().delete()  # what a manager does in the admin

    assert post_login(client, login_url, "desk", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_with_2fa_required_a_password_alone_does_not_open_the_admin(client, settings):
    settings.STAFF_REQUIRE_2FA = True
    client.force_login(make_staff("desk", superuser=True))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.django_db
def test_with_2fa_required_a_valid_code_logs_in(client, login_url, settings):
    settings.STAFF_REQUIRE_2FA = True
    user = make_staff("desk", superuser=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"

    response = post_login(
        client, login_url, "desk", PASSWORD, otp_device=device.persistent_id, otp_token=code
    )

    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_with_2fa_required_a_wrong_code_is_refused(client, login_url, settings):
    settings.STAFF_REQUIRE_2FA = True
    user = make_staff("desk", superuser=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    response = post_login(
        client, login_url, "desk", PASSWORD, otp_device=device.persistent_id, otp_token="000000"
    )

    assert response.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.mark.django_db
def test_enrol_totp_gives_the_user_one_confirmed_device(capsys):
    user = make_staff("desk")

    call_command("enrol_totp", "desk")
    call_command("enrol_totp", "desk")

    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    assert "otpauth://totp/" in capsys.readouterr().out


@pytest.mark.django_db
def test_an_account_editor_who_is_not_superuser_cannot_grant_superuser(client):
    from django.contrib.auth.models import Permission

    editor = make_staff("manager")
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_user", "change_user"])
    )
    target = make_staff("desk")
    client.force_login(editor)
    url = reverse("admin:auth_user_change", args=[target.pk])

    page = client.get(url)
    client.post(
        url,
        {
            "username": "desk",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": "2026-11-25",
            "date_joined_1": "10:00:00",
        },
    )

    assert page.status_code == 200
    target.refresh_from_db()
    assert target.is_superuser is False


@pytest.mark.django_db
def test_staff_sessions_end_at_the_absolute_limit(client, settings):
    settings.STAFF_SESSION_ABSOLUTE_HOURS = 12
    client.force_login(make_staff("desk", superuser=True))
    assert client.get(reverse("admin:index")).status_code == 200

    session = client.session
    session["auth_started_at"] -= 13 * 3600
    session.save()

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_an_account_editor_cannot_change_or_delete_a_superuser(client):
    from django.contrib.auth.models import Permission

    editor = make_staff("manager")
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_user", "change_user", "delete_user"])
    )
    boss = make_staff("boss", superuser=True)
    client.force_login(editor)

    deleted = client.post(reverse("admin:auth_user_delete", args=[boss.pk]), {"post": "yes"})
    changed = client.post(
        reverse("admin:auth_user_change", args=[boss.pk]),
        {"username": "renamed", "date_joined_0": "2026-11-25", "date_joined_1": "10:00:00"},
    )

    assert deleted.status_code == 403
    assert changed.status_code == 403
    boss.refresh_from_db()
    assert boss.username == "boss"


def login_behind_proxy(client, url, forwarded_for: str, password: str):
    """A log-in as it reaches us through the proxy (REMOTE_ADDR), which appended the client."""
    return client.post(
        url,
        {"username": "desk", "password": password},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.mark.django_db
def test_behind_the_proxy_lockouts_count_the_real_client_not_the_proxy(
    client, login_url, settings
):
    settings.TRUST_X_FORWARDED_FOR = True
    make_staff("desk")
    for i in range(settings.AXES_FAILURE_LIMIT):
        login_behind_proxy(client, login_url, f"203.0.113.{i}", "wrong")

    response = login_behind_proxy(client, login_url, "198.51.100.7", PASSWORD)

    assert response.status_code == 302  # the real staff member is not locked out


@pytest.mark.django_db
def test_a_forged_first_forwarded_entry_does_not_escape_the_lockout(client, login_url, settings):
    settings.TRUST_X_FORWARDED_FOR = True
    make_staff("desk")
    for i in range(settings.AXES_FAILURE_LIMIT):
        login_behind_proxy(client, login_url, f"192.0.2.{i}, 203.0.113.50", "wrong")

    response = login_behind_proxy(client, login_url, "192.0.2.99, 203.0.113.50", PASSWORD)

    assert response.status_code == 429
