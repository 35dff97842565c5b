"""The settings refuse to run unsafely, and read the environment strictly."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "k" * 20 + "-production-like-secret-" + "q" * 20,
    "DJANGO_ALLOWED_HOSTS": "www.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://www.example.org",
}


def run_check(*args: str, **env: str) -> subprocess.CompletedProcess:
    """`manage.py check` in a fresh interpreter with only `env` of our variables set."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))}
    clean.update(env)
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run_check(DJANGO_DEBUG="false")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_it_starts_with_a_secret_key_when_debug_is_off():
    result = run_check(
        DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 60, EMAIL_HOST="smtp.example.org"
    )

    assert result.returncode == 0, result.stderr


def test_it_rejects_a_boolean_it_cannot_read():
    result = run_check(DJANGO_DEBUG="maybe")

    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_it_rejects_an_unknown_time_zone():
    result = run_check(DJANGO_DEBUG="true", CLINIC_TIME_ZONE="Mars/Olympus")

    assert result.returncode != 0
    assert "not a known time zone" in result.stderr


def test_it_sends_mail_by_smtp_when_a_host_is_set():
    code = (
        "import django;django.setup();from django.conf import settings;"
        "print(settings.MAILERS['default']['BACKEND'], settings.MAILERS['default']['OPTIONS']['host'])"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.update(
        DJANGO_DEBUG="true",
        EMAIL_HOST="smtp.example.org",
        DJANGO_SETTINGS_MODULE="clinic.settings",
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.split() == [
        "booking.smtp.EmailBackend",
        "smtp.example.org",
    ]


def test_every_environment_variable_is_documented():
    import re

    settings_source = (ROOT / "clinic" / "settings.py").read_text()
    read = set(re.findall(r'env_\w+\(\s*"([A-Z0-9_]+)"', settings_source))
    read.discard("DJANGO_TESTING")  # set by the test configuration only
    readme = (ROOT / "README.md").read_text()
    example = (ROOT / ".env.example").read_text()

    assert read, "no variables found: the pattern is out of date"
    assert sorted(v for v in read if f"`{v}`" not in readme) == []
    assert sorted(v for v in read if f"\n{v}=" not in example) == []


def test_production_settings_pass_the_deployment_checklist():
    result = run_check(
        "--deploy", "--fail-level", "WARNING", **PRODUCTION, EMAIL_HOST="smtp.example.org"
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_it_refuses_to_start_without_a_mail_server_when_debug_is_off():
    """The console would print whole emails (names, links) into the logs and send none."""
    result = run_check(**PRODUCTION)

    assert result.returncode != 0
    assert "EMAIL_HOST is not set" in result.stderr


def test_it_rejects_a_delivery_deadline_longer_than_the_outbox_lease():
    result = run_check(**PRODUCTION, EMAIL_HOST="smtp.example.org", EMAIL_DEADLINE="600")

    assert result.returncode != 0
    assert "EMAIL_DEADLINE must be between 1 and 240 seconds" in result.stderr


def test_former_secret_keys_are_read_as_a_list():
    code = (
        "import django;django.setup();from django.conf import settings;"
        "print('|'.join(settings.SECRET_KEY_FALLBACKS))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.update(
        DJANGO_DEBUG="true",
        DJANGO_SECRET_KEY_FALLBACKS=" older-key , oldest-key ",
        DJANGO_SETTINGS_MODULE="clinic.settings",
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.strip() == "older-key|oldest-key"
