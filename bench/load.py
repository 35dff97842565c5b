"""
Many patients booking at once, against gunicorn with PostgreSQL, while the mail server
is down part of the time.

    .venv/bin/python bench/load.py [--patients 120] [--concurrency 16] [--seconds 60]
                                   [--database-url postgres://...]

The database (BENCH_DATABASE_URL, else vinings_load) is dropped and created afresh.

Each virtual patient opens /book/ for a day, picks one of the free times offered (a
third of them aim at the same few popular times), and posts the form from its own
address. The SMTP server (aiosmtpd on 127.0.0.1) is stopped for the middle third of
the run; afterwards it is started again and `run_jobs` delivers what was queued.

Prints: requests, 5xx count, bookings in the database against successful responses,
slots over capacity, mails queued against mails expected and delivered, and a table of
the booking POST's median, 95th and 99th percentile: the latency the client saw, the
server's own time (its `Server-Timing: app;dur=` header, Django's whole stack) and,
request by request, their difference: time waiting for a worker plus the network.
Exit status 1 when a target is missed (any 5xx, a lost or duplicated booking, a slot
over capacity, a mail not delivered).
"""

import argparse
import http.cookiejar
import math
import os
import random
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server import (  # noqa: E402 - after the path line above
    ROOT,
    gunicorn,
    manage,
    recreate_database,
    server_env,
)

SMTP_PORT = 2526
DATABASE = "postgres://postgres@127.0.0.1:5432/vinings_load"
SERVER_TIMING = re.compile(r"\bapp;dur=([\d.]+)")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TIMES = re.compile(r'name="time"[^>]*value="(\d\d:\d\d)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class LoopbackCookiePolicy(http.cookiejar.DefaultCookiePolicy):
    """Send the site's Secure cookies over plain HTTP to 127.0.0.1 (no TLS in a benchmark)."""

    def return_ok_secure(self, cookie, request):
        return True


class Mailbox:
    """A real SMTP server that counts what it receives."""

    def __init__(self):
        self.received = 0
        self.lock = threading.Lock()
        self.controller = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        with self.lock:
            self.received += len(envelope.rcpt_tos)
        return "250 OK"

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=SMTP_PORT)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.errors_5xx = 0
        self.booked = 0
        self.taken = 0
        self.limited = 0
        self.other = 0
        # Per booking POST: seconds the client waited, and the server's own
        # milliseconds from Server-Timing (None when the header is missing).
        self.post_timings: list[tuple[float, float | None]] = []

    def count(self, status: int) -> None:
        with self.lock:
            self.requests += 1
            if status >= 500:
                self.errors_5xx += 1


def open_url(opener, stats: Stats, url: str, data: dict | None = None, headers=None):
    """Status, body, seconds the client waited, and the server's Server-Timing in ms."""
    body = None if data is None else urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(url, data=body, headers=headers or {})  # noqa: S310
    started = time.perf_counter()
    try:
        with opener.open(request, timeout=30) as response:
            status, text, received = response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as error:
        status, text, received = error.code, error.read().decode(errors="replace"), error.headers
    elapsed = time.perf_counter() - started
    stats.count(status)
    timing = SERVER_TIMING.search(received.get("Server-Timing", ""))
    return status, text, elapsed, float(timing.group(1)) if timing else None


def patient(number: int, base: str, days: list[date], hot: list[tuple[date, str]], stats: Stats):
    jar = http.cookiejar.CookieJar(policy=LoopbackCookiePolicy())
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    # Each patient comes from its own address (the server trusts X-Forwarded-For here),
    # so the per-address rate limit sees many patients, as in real life.
    address = {"X-Forwarded-For": f"10.{number // 250 % 250}.{number % 250}.{number % 200 + 1}"}
    if hot and random.random() < 1 / 3:
        day, wanted = random.choice(hot)
    else:
        day, wanted = random.choice(days), None
    status, page, _, _ = open_url(
        opener, stats, f"{base}/book/?service=consultation&date={day:%Y-%m-%d}", headers=address
    )
    times = TIMES.findall(page)
    if status != 200 or not times:
        return
    time_value = wanted if wanted in times else random.choice(times)
    form = {
        "csrfmiddlewaretoken": CSRF.search(page).group(1),
        "service": "consultation",
        "date": f"{day:%Y-%m-%d}",
        "time": time_value,
        "name": f"Load Patient {number}",
        "email": f"patient{number}@example.com",
        "phone": f"+1 404 555 {number % 10000:04d}",
        "notes": "",
        "consent": "on",
        "website": "",
    }
    status, page, elapsed, server_ms = open_url(
        opener, stats, f"{base}/book/", data=form, headers={**address, "Referer": f"{base}/book/"}
    )
    with stats.lock:
        stats.post_timings.append((elapsed, server_ms))
        if status == 302:
            stats.booked += 1
        elif status == 429:
            stats.limited += 1
        elif "just taken" in page:
            stats.taken += 1
        else:
            stats.other += 1


def database_figures(env) -> dict[str, int]:
    code = (
        "import django; django.setup()\n"
        "from django.db.models import Count\n"
        "from booking.models import Booking, BookingPolicy, OutgoingEmail\n"
        "capacity = BookingPolicy.current().capacity\n"
        "active = Booking.objects.holding_a_place()\n"
        "over = active.values('start').annotate(n=Count('id')).filter(n__gt=capacity).count()\n"
        "sent = OutgoingEmail.objects.filter(status='sent').count()\n"
        "print(Booking.objects.count(), over, OutgoingEmail.objects.count(), sent)\n"
    )
    import subprocess

    output = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=dict(env, DJANGO_SETTINGS_MODULE="clinic.settings"),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    bookings, over, queued, sent = (int(x) for x in output)
    return {"bookings": bookings, "over_capacity": over, "mails": queued, "sent": sent}


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value at least `fraction` of them do not exceed."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * fraction) - 1)]


def latency_table(timings: list[tuple[float, float | None]]) -> list[str]:
    """The booking POST's client, server and waiting times: median, p95, p99 in ms."""
    client = [seconds * 1000 for seconds, _ in timings]
    timed = [(seconds * 1000, server) for seconds, server in timings if server is not None]
    rows = [("client ms (seen by the patient)", client)]
    if timed:
        rows.append(("server ms (Server-Timing: Django)", [server for _, server in timed]))
        # Per request, then ranked: the percentiles of a difference, not a difference
        # of percentiles.
        rows.append(("waiting ms (client - server)", [c - server for c, server in timed]))
    title = f"booking POST, {len(timings)} requests"
    lines = [f"{title:<36} {'median':>7} {'p95':>7} {'p99':>7}"]
    for label, values in rows:
        lines.append(
            f"  {label:<34} {statistics.median(values):>7.0f} "
            f"{percentile(values, 0.95):>7.0f} {percentile(values, 0.99):>7.0f}"
        )
    if len(timed) < len(timings):
        lines.append(f"  without a Server-Timing header: {len(timings) - len(timed)}")
    return lines


def bookable_weekdays(count: int) -> list[date]:
    day, days = date.today() + timedelta(days=2), []
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=120)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=60, help="upper bound for the load phase")
    parser.add_argument("--days", type=int, default=3, help="weekdays the patients spread over")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8124)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DATABASE))
    args = parser.parse_args()

    env = server_env(
        args.database_url,
        EMAIL_PORT=str(SMTP_PORT),
        DJANGO_TRUST_X_FORWARDED_FOR="true",
        CLINIC_RECEPTION_EMAIL="reception@example.com",
    )
    recreate_database(args.database_url, drop=True)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    mailbox = Mailbox()
    mailbox.start()
    stats = Stats()
    days = bookable_weekdays(args.days)
    hot = [(days[0], "09:00"), (days[0], "09:30"), (days[-1], "14:00")]

    with gunicorn(env, args.port, args.workers) as base:
        started = time.monotonic()
        deadline = started + args.seconds
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            futures = []
            for number in range(args.patients):
                futures.append(pool.submit(patient, number, base, days, hot, stats))
            outage_begins, outage_ends = args.patients // 3, 2 * args.patients // 3
            for index, future in enumerate(futures):
                if time.monotonic() > deadline:
                    future.cancel()
                    continue
                future.result()
                if index == outage_begins:
                    mailbox.stop()
                    print(f"mail server stopped after {index} patients")
                if index == outage_ends:
                    mailbox.start()
                    print(f"mail server back after {index} patients")
        load_seconds = time.monotonic() - started
    mailbox.stop()
    mailbox.start()  # make sure it is up for the catch-up
    # Catch up: failed mail waits for its back-off; --now moves the clock past it.
    for hours in (1, 2, 4, 8):
        later = (datetime.now(UTC) + timedelta(hours=hours)).isoformat(timespec="seconds")
        manage(env, "run_jobs", "--now", later, capture=True)
    time.sleep(1)
    figures = database_figures(env)
    mailbox.stop()

    expected_mails = 2 * figures["bookings"]  # the patient and reception
    print(
        f"patients {args.patients}, concurrency {args.concurrency}, gunicorn {args.workers} workers, {load_seconds:.1f} s"
    )
    print(f"requests                 {stats.requests}")
    print(f"5xx responses            {stats.errors_5xx}")
    print(f"bookings: database {figures['bookings']} / successful responses {stats.booked}")
    print(
        f"'just taken' answers     {stats.taken}   rate limited {stats.limited}   other {stats.other}"
    )
    print(f"slots over capacity      {figures['over_capacity']}")
    print(
        f"mails queued {figures['mails']} / expected {expected_mails}; sent {figures['sent']}; received by SMTP {mailbox.received}"
    )
    if stats.post_timings:
        print("\n".join(latency_table(stats.post_timings)))
    missed = (
        stats.booked == 0
        or stats.other
        or stats.errors_5xx
        or figures["bookings"] != stats.booked
        or figures["over_capacity"]
        or figures["mails"] != expected_mails
        or mailbox.received < expected_mails
    )
    print("targets: " + ("MISSED" if missed else "met"))
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
