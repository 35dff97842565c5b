"""The README's backup procedure: a pg_dump restores into an empty database intact."""

import shutil
import subprocess
import uuid
from datetime import date

import psycopg2
import pytest
from django.db import connection

from booking.models import Booking
from tests.conftest import at, make_booking

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def dsn(name: str) -> str:
    s = connection.settings_dict
    return f"postgresql://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


@pytest.fixture
def empty_database():
    if connection.vendor != "postgresql":
        pytest.skip("backups are a PostgreSQL procedure; CI runs this on PostgreSQL")
    name = f"vinings_restore_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(dsn("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.close()


def test_a_dump_restores_every_booking(empty_database, tmp_path):
    for tool in ("pg_dump", "pg_restore"):
        assert shutil.which(tool), f"{tool} is needed (postgresql-client)"
    for hour in (9, 10, 11):
        make_booking(start=at(date(2026, 12, 8), hour), name=f"Patient {hour}")
    expected = sorted(Booking.objects.values_list("reference", "name", "start", "status"))
    dump = tmp_path / "vinings.dump"

    subprocess.run(  # noqa: S603
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            f"--file={dump}",
            dsn(connection.settings_dict["NAME"]),
        ],
        check=True,
    )
    subprocess.run(  # noqa: S603
        ["pg_restore", "--no-owner", f"--dbname={dsn(empty_database)}", str(dump)], check=True
    )

    restored = psycopg2.connect(dsn(empty_database))
    with restored.cursor() as cursor:
        cursor.execute("SELECT reference, name, start, status FROM booking_booking")
        rows = sorted(cursor.fetchall())
    restored.close()
    assert rows == expected
