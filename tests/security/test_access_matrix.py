"""
The rest of the permission matrix: every model registered in the admin, for every
staff role, follows that role's view permission; every public URL is open to every
visitor; a patient's link opens that booking and nothing else.
"""

import pytest
from django.contrib import admin
from django.core import signing
from django.urls import reverse

from booking import links
from booking.links import make_token
from tests.conftest import make_booking, make_staff

STAFF = {
    "faq_editor": ("fay", "FAQ editors"),
    "receptionist": ("rita", "Receptionists"),
    "manager": ("mona", "Managers"),
    "clinician": ("clara", "Clinicians"),
}
REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry
)


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(STAFF))
@pytest.mark.parametrize(("app", "model"), REGISTERED, ids=[f"{a}.{m}" for a, m in REGISTERED])
def test_every_admin_model_follows_the_roles_view_permission(client, role, app, model):
    username, group = STAFF[role]
    user = make_staff(username, group)
    client.force_login(user)
    can_view = user.has_perm(f"{app}.view_{model}") or user.has_perm(f"{app}.change_{model}")

    response = client.get(reverse(f"admin:{app}_{model}_changelist"), follow=True)

    assert response.status_code == (200 if can_view else 403)


@pytest.mark.django_db
@pytest.mark.parametrize(("app", "model"), REGISTERED, ids=[f"{a}.{m}" for a, m in REGISTERED])
def test_anonymous_visitors_are_sent_to_log_in_for_every_admin_model(client, app, model):
    response = client.get(reverse(f"admin:{app}_{model}_changelist"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


PUBLIC = [
    "/",
    "/faq/",
    "/faq/?q=results",
    "/contact/",
    "/privacy/",
    "/book/",
    "/book/?service=consultation&date=2026-12-08",
    "/book/times/?service=consultation&date=2026-12-08",
    "/robots.txt",
    "/sitemap.xml",
    "/healthz",
]
VISITORS = ["anonymous", "link_holder", *sorted(STAFF), "superuser"]


def as_visitor(client, visitor: str):
    if visitor == "link_holder":
        booking = make_booking()
        client.get(reverse("booking:manage", args=[make_token(booking)]))
    elif visitor == "superuser":
        client.force_login(make_staff("boss", superuser=True))
    elif visitor in STAFF:
        client.force_login(make_staff(*STAFF[visitor]))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("url", PUBLIC)
def test_every_public_url_is_open_to_every_visitor(client, now, visitor, url):
    response = as_visitor(client, visitor).get(url)

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", VISITORS)
def test_the_staff_admin_is_closed_to_patients(client, now, visitor):
    response = as_visitor(client, visitor).get(reverse("admin:booking_booking_changelist"))

    expected = 302 if visitor in ("anonymous", "link_holder") else None
    if expected:
        assert response.status_code == expected
    else:
        assert response.status_code in (200, 403)


@pytest.mark.django_db
def test_a_link_opens_its_own_booking_and_not_another(client, now):
    from datetime import date

    from tests.conftest import at

    mine = make_booking(name="Pat Mine")
    theirs = make_booking(name="Sam Theirs", start=at(date(2026, 12, 8), 11))
    token = make_token(mine)
    # Even correctly signed, a token pairing another booking with my key is refused.
    forged = signing.dumps([theirs.pk, mine.access_key], salt=links.SALT, compress=False)

    own = client.get(reverse("booking:manage", args=[token]))
    other = client.get(reverse("booking:manage", args=[forged]))

    assert own.status_code == 200 and mine.reference in own.content.decode()
    assert other.status_code == 404
    assert theirs.reference not in other.content.decode()


@pytest.mark.django_db
def test_the_confirmation_page_shows_nothing_to_a_visitor_without_a_booking(client, now):
    make_booking(name="Pat Example")

    response = client.get(reverse("booking:done"), follow=True)

    assert "Pat Example" not in response.content.decode()
