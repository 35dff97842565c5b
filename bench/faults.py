"""
The fault benchmark: patients book, move and cancel while the parts fail on a schedule.

    .venv/bin/python bench/faults.py [--phase-seconds 12] [--concurrency 6]
                                     [--database-url postgres://...] [--redis-url redis://...]

Starts on 127.0.0.1: gunicorn with production settings (DEBUG off, PostgreSQL,
Redis, SMTP), two `run_jobs --loop` workers and an aiosmtpd server it controls.
Redis and the mail server are reached through small TCP proxies the benchmark
switches, so the shared Redis itself is never stopped. The database (default
vinings_resil) is dropped and created afresh; the Redis database is flushed.

Phases, each --phase-seconds long under the same bounded load:
  baseline      nothing fails
  redis down    the Redis proxy refuses every connection and cuts the open ones
  smtp silent   the mail server accepts connections and never answers
  smtp slow     it answers, 3 s per message; one worker is SIGKILLed mid-send and restarted
  db dropped    pg_terminate_backend on every connection to the site's database, once
  recovered     nothing fails

Then the workers are stopped and `run_jobs --now` (later and later) delivers what
waited. Prints one table: per phase the requests, 5xx responses and booking POST
latency (median, p95, p99); then bookings in the database against successful
responses, slots over capacity, and mails expected (outbox rows) / delivered
(distinct Message-IDs received) / delivered twice. Exit status 1 when a target is
missed (any 5xx, a lost booking, a slot over capacity, a lost mail, booking POST p99
of 1 s or more while the mail server is silent).
"""

import argparse
import collections
import http.cookiejar
import itertools
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import (  # noqa: E402 - after the path line above
    CSRF,
    TIMES,
    LoopbackCookiePolicy,
    NoRedirect,
    Stats,
    bookable_weekdays,
    database_figures,
    open_url,
    percentile,
)
from server import PYTHON, ROOT, gunicorn, manage, recreate_database, server_env  # noqa: E402

DATABASE = "postgres://postgres@127.0.0.1:5432/vinings_resil"
REDIS = "redis://127.0.0.1:6379/13"
MANAGE_LINK = re.compile(r'href="(/book/manage/[^"/]+/)"')
PHASES = ["baseline", "redis down", "smtp silent", "smtp slow", "db dropped", "recovered"]
SLOW_SECONDS = 3


class Proxy:
    """A TCP proxy on 127.0.0.1 whose mode the benchmark switches: forward, refuse, silent."""

    def __init__(self, target: int):
        self.target = target
        self.mode = "forward"
        self.open: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        if mode != "forward":
            # A stopped server drops its connections too, not only new ones.
            with self.lock:
                for sock in list(self.open):
                    self._close(sock)

    def _close(self, sock: socket.socket) -> None:
        self.open.discard(sock)
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        mode = self.mode
        if mode == "refuse":
            client.close()
            return
        with self.lock:
            self.open.add(client)
        if mode == "silent":
            try:
                while client.recv(4096):
                    pass  # read what the client sends; never answer
            except OSError:
                pass
            with self.lock:
                self._close(client)
            return
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target), timeout=2)
        except OSError:
            with self.lock:
                self._close(client)
            return
        upstream.settimeout(None)
        with self.lock:
            self.open.add(upstream)
        for source, sink in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        with self.lock:
            self._close(source)
            self._close(sink)


class Mailbox:
    """aiosmtpd that counts each Message-ID it receives, `delay` seconds per message."""

    def __init__(self):
        self.delay = 0.0
        self.seen: collections.Counter[str] = collections.Counter()
        self.lock = threading.Lock()
        from aiosmtpd.controller import Controller

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        import asyncio
        import email

        if self.delay:
            await asyncio.sleep(self.delay)
        message_id = email.message_from_bytes(envelope.content)["Message-ID"]
        with self.lock:
            self.seen[message_id] += 1
        return "250 OK"


class Worker:
    """One `run_jobs --loop` process."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [PYTHON, "manage.py", "run_jobs", "--loop", "--interval", "1"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
        )

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Load:
    """Patients in `concurrency` threads until stopped or `limit` journeys have run."""

    def __init__(self, base: str, days, concurrency: int, limit: int):
        self.base, self.days = base, days
        self.phase = PHASES[0]
        self.stats = Stats()
        self.by_phase: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
        self.posts: dict[str, list[float]] = collections.defaultdict(list)
        self.numbers = itertools.count()
        self.errors: list[str] = []
        self.limit = limit
        self.stopped = threading.Event()
        self.threads = [threading.Thread(target=self._run) for _ in range(concurrency)]
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopped.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def _open(self, opener, url, data=None, headers=None):
        phase = self.phase
        status, page, elapsed, _ = open_url(opener, self.stats, url, data, headers)
        with self.stats.lock:
            counts = self.by_phase[phase]
            counts[0] += 1
            counts[1] += status >= 500
            if status >= 500:
                path = re.sub(
                    r"/book/manage/[^/]+/", "/book/manage/[link]/", url[len(self.base) :]
                )
                self.errors.append(f"{phase}: {'POST' if data else 'GET'} {path} {status}")
        return status, page, elapsed, phase

    def _run(self) -> None:
        while not self.stopped.is_set():
            number = next(self.numbers)
            if number >= self.limit:
                return
            try:
                self._journey(number)
            except OSError:
                with self.stats.lock:
                    self.stats.other += 1

    def _journey(self, number: int) -> None:
        jar = http.cookiejar.CookieJar(policy=LoopbackCookiePolicy())
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
        headers = {"X-Forwarded-For": f"10.{number // 250 % 250}.{number % 250}.9"}
        day = random.choice(self.days)
        status, page, _, _ = self._open(
            opener, f"{self.base}/book/?service=consultation&date={day:%Y-%m-%d}", None, headers
        )
        times = TIMES.findall(page)
        if status != 200 or not times:
            return
        form = {
            "csrfmiddlewaretoken": CSRF.search(page).group(1),
            "service": "consultation",
            "date": f"{day:%Y-%m-%d}",
            "time": random.choice(times),
            "name": f"Fault Patient {number}",
            "email": f"fault{number}@example.com",
            "phone": f"+1 404 555 {number % 10000:04d}",
            "notes": "",
            "consent": "on",
            "website": "",
        }
        headers = {**headers, "Referer": f"{self.base}/book/"}
        status, page, elapsed, phase = self._open(opener, f"{self.base}/book/", form, headers)
        with self.stats.lock:
            self.posts[phase].append(elapsed)
            if status == 302:
                self.stats.booked += 1
            elif "just taken" in page:
                self.stats.taken += 1
            else:
                self.stats.other += 1
        if status != 302 or random.random() < 0.5:
            return
        status, page, _, _ = self._open(opener, f"{self.base}/book/done/", None, headers)
        link = MANAGE_LINK.search(page)
        if status != 200 or link is None:
            return
        manage_url = self.base + link.group(1)
        if random.random() < 0.5:
            status, page, _, _ = self._open(opener, manage_url + "cancel/", None, headers)
            token = CSRF.search(page)
            if status == 200 and token:
                data = {"csrfmiddlewaretoken": token.group(1)}
                self._open(opener, manage_url + "cancel/", data, headers)
            return
        status, page, _, _ = self._open(opener, manage_url, None, headers)
        token, times = CSRF.search(page), TIMES.findall(page)
        if status == 200 and token and times:
            data = {"csrfmiddlewaretoken": token.group(1), "date": f"{day:%Y-%m-%d}"}
            data["time"] = random.choice(times)
            self._open(opener, manage_url + "move/", data, headers)


def terminate_connections(database_url: str) -> int:
    import psycopg2

    name = database_url.rsplit("/", 1)[1]
    connection = psycopg2.connect(database_url.rsplit("/", 1)[0] + "/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        (count,) = cursor.fetchone()
    connection.close()
    return count


def flush_redis(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url, socket_timeout=2).flushdb()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phase-seconds", type=float, default=12)
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--max-patients", type=int, default=1500)
    parser.add_argument("--days", type=int, default=25)
    parser.add_argument("--port", type=int, default=8125)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DATABASE))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", REDIS))
    args = parser.parse_args()

    redis_host_port, redis_db = args.redis_url.rsplit("/", 1)
    redis_proxy = Proxy(int(redis_host_port.rsplit(":", 1)[1]))
    mailbox = Mailbox()
    smtp_proxy = Proxy(mailbox.port)
    env = server_env(
        args.database_url,
        REDIS_URL=f"redis://127.0.0.1:{redis_proxy.port}/{redis_db}",
        EMAIL_PORT=str(smtp_proxy.port),
        EMAIL_DEADLINE="10",
        DJANGO_TRUST_X_FORWARDED_FOR="true",
        CLINIC_RECEPTION_EMAIL="reception@example.com",
        DJANGO_LOG_LEVEL="ERROR",
    )
    recreate_database(args.database_url, drop=True)
    flush_redis(args.redis_url)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")

    started = time.monotonic()
    with gunicorn(env, args.port, 2) as base:
        workers = [Worker(env), Worker(env)]
        load = Load(base, bookable_weekdays(args.days), args.concurrency, args.max_patients)
        try:
            for phase in PHASES:
                load.phase = phase
                print(f"{time.monotonic() - started:6.1f} s  {phase}", flush=True)
                if phase == "redis down":
                    redis_proxy.set_mode("refuse")
                elif phase == "smtp silent":
                    redis_proxy.set_mode("forward")
                    smtp_proxy.set_mode("silent")
                elif phase == "smtp slow":
                    smtp_proxy.set_mode("forward")
                    mailbox.delay = SLOW_SECONDS
                    time.sleep(args.phase_seconds / 3)
                    workers[0].kill()  # at 3 s a message, most likely mid-send
                    print("          worker 1 killed (SIGKILL) and restarted", flush=True)
                    workers[0].start()
                    time.sleep(2 * args.phase_seconds / 3)
                    continue
                elif phase == "db dropped":
                    mailbox.delay = 0
                    count = terminate_connections(args.database_url)
                    print(f"          {count} database connections terminated", flush=True)
                time.sleep(args.phase_seconds)
        finally:
            load.stop()
            for worker in workers:
                worker.stop()
        load_seconds = time.monotonic() - started

    # Catch up: failed mail waits for its back-off and a killed worker's row for its
    # lease; --now moves the clock past both.
    for hours in (1, 2, 4, 8):
        later = (datetime.now(UTC) + timedelta(hours=hours)).isoformat(timespec="seconds")
        manage(env, "run_jobs", "--now", later, capture=True)
    time.sleep(1)
    figures = database_figures(env)
    mailbox.controller.stop()

    stats = load.stats
    print(
        f"\n{len(PHASES)} phases of {args.phase_seconds:g} s, {args.concurrency} patients at a "
        f"time, gunicorn 2 workers, 2 run_jobs --loop workers; {load_seconds:.0f} s in all"
    )
    print(
        f"{'phase':<12} {'requests':>8} {'5xx':>5} {'POSTs':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    )
    for phase in PHASES:
        requests, errors = load.by_phase[phase]
        posts = [seconds * 1000 for seconds in load.posts[phase]]
        row = f"{phase:<12} {requests:>8} {errors:>5} {len(posts):>6}"
        if posts:
            row += (
                f" {statistics.median(posts):>7.0f} {percentile(posts, 0.95):>7.0f}"
                f" {percentile(posts, 0.99):>7.0f}"
            )
        print(row)
    delivered = len(mailbox.seen)
    twice = sum(1 for count in mailbox.seen.values() if count > 1)
    print(f"{'all':<12} {stats.requests:>8} {stats.errors_5xx:>5}")
    for error in load.errors:
        print(f"  5xx in {error}")
    print(f"bookings: database {figures['bookings']} / successful responses {stats.booked}")
    print(f"'just taken' answers {stats.taken}, other answers {stats.other}")
    print(f"slots over capacity  {figures['over_capacity']}")
    print(
        f"mails: expected {figures['mails']} (outbox rows), delivered {delivered}, "
        f"delivered twice {twice}, lost {figures['mails'] - delivered}"
    )
    silent = [seconds * 1000 for seconds in load.posts["smtp silent"]]
    missed = (
        stats.errors_5xx
        or figures["bookings"] != stats.booked
        or figures["over_capacity"]
        or delivered < figures["mails"]
        or (silent and percentile(silent, 0.99) >= 1000)
    )
    print("targets: " + ("MISSED" if missed else "met"))
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
