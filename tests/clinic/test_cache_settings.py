"""Which cache the site runs on: never one per process in production."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
SECRET = "k" * 20 + "-production-like-secret-" + "q" * 20


def cache_backend(**env: str) -> str:
    """The default cache's backend as the settings choose it in a fresh interpreter."""
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_", "REDIS_"))
    }
    # Production settings need a mail server; any host will do, nothing is sent.
    clean.update(
        {"EMAIL_HOST": "smtp.example.org", **env}, DJANGO_SETTINGS_MODULE="clinic.settings"
    )
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_production_without_redis_shares_the_database_cache():
    backend = cache_backend(DJANGO_DEBUG="false", DJANGO_SECRET_KEY=SECRET)

    assert backend == "django.core.cache.backends.db.DatabaseCache"


def test_production_with_redis_uses_redis():
    backend = cache_backend(
        DJANGO_DEBUG="false", DJANGO_SECRET_KEY=SECRET, REDIS_URL="redis://127.0.0.1:6379/0"
    )

    assert backend == "clinic.cache.FailSoftRedisCache"


def test_local_runs_keep_the_memory_cache():
    assert cache_backend(DJANGO_DEBUG="true") == "django.core.cache.backends.locmem.LocMemCache"


@pytest.mark.django_db
def test_migrate_alone_creates_the_cache_table():
    from clinic.settings import cache_config

    with override_settings(CACHES=cache_config("", per_process_allowed=False)):
        caches["default"].set("greeting", "hello", 60)

        assert caches["default"].get("greeting") == "hello"
    assert "clinic_cache" in connection.introspection.table_names()
