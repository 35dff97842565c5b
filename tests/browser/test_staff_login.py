"""A staff member logs in with two factors as people do: type, type, type, Enter."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import make_staff

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_with_one_device_username_password_and_code_then_enter_opens_the_admin(page, settings):
    settings.STAFF_REQUIRE_2FA = True
    user = make_staff("desk", superuser=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"

    page.goto("/admin/login/")
    page.get_by_label("Username").fill("desk")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_label("OTP Token").fill(code)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    errors = page.locator(".errornote, .errorlist").all_inner_texts()
    assert page.url.endswith("/admin/"), errors
    assert page.get_by_role("heading", name="Reception desk and website content").is_visible()
    assert page.console_errors == []
