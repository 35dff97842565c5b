"""
Page speed against gunicorn with PostgreSQL, in one run.

    .venv/bin/python bench/pages.py [--seconds 5] [--database-url postgres://...]

Prints, for /faq/, a static file served by WhiteNoise, the home page and /book/:
requests per second (wrk, 127.0.0.1 only, bounded time), the ratio to the static
file, database queries per request, and the bytes a first visit transfers
(compressed HTML, CSS and JS) with the assets' cache lifetime.
Needs wrk (`apt-get install -y wrk`) and PostgreSQL on 127.0.0.1.
"""

import argparse
import gzip
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server import (  # noqa: E402 - after the path line above
    DEFAULT_DATABASE,
    PYTHON,
    ROOT,
    gunicorn,
    manage,
    recreate_database,
    server_env,
)

PAGES = [("/faq/", "FAQ"), ("/", "home"), ("/book/", "booking")]


def requests_per_second(url: str, seconds: int, connections: int) -> float:
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-H", "Accept-Encoding: gzip", url],
        capture_output=True,
        text=True,
        check=True,
    )
    match = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", result.stdout)
    if non_2xx:
        raise SystemExit(f"{url}: {non_2xx.group(1)} error responses under load")
    return float(match.group(1))


def fetch(url: str) -> tuple[bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - 127.0.0.1
        return response.read(), dict(response.headers)


def transfer(base: str, path: str) -> dict[str, object]:
    """Compressed bytes of the page and of each stylesheet and script it loads."""
    body, headers = fetch(base + path)
    html = gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body
    sizes = {"html": len(body), "css": 0, "js": 0}
    lifetimes = set()
    for _tag, asset in re.findall(
        r'<(link|script)[^>]+(?:href|src)="(/static/[^"]+\.(?:css|js))"', html.decode()
    ):
        asset_body, asset_headers = fetch(base + asset)
        sizes["css" if asset.endswith(".css") else "js"] += len(asset_body)
        lifetimes.add(asset_headers.get("Cache-Control", "none"))
    sizes["total"] = sizes["html"] + sizes["css"] + sizes["js"]
    sizes["asset_cache"] = ", ".join(sorted(lifetimes)) or "-"
    return sizes


def queries_per_request(env: dict[str, str], path: str) -> int:
    code = (
        "import django, sys; django.setup();"
        "from django.test import Client; from django.test.utils import CaptureQueriesContext;"
        "from django.db import connection; from django.core.cache import cache;"
        "c = Client(); c.get(sys.argv[1]);"  # warm: the FAQ page is cached after this
        "ctx = CaptureQueriesContext(connection);"
        "ctx.__enter__(); c.get(sys.argv[1]); ctx.__exit__(None, None, None);"
        "print(len(ctx.captured_queries))"
    )
    env = dict(env, DJANGO_SETTINGS_MODULE="clinic.settings", DJANGO_ALLOWED_HOSTS="testserver")
    result = subprocess.run(
        [PYTHON, "-c", code, path], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return int(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE),
    )
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8123)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    env = server_env(args.database_url)
    recreate_database(args.database_url, drop=False)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    with gunicorn(env, args.port, args.workers) as base:
        body, headers = fetch(base + "/")
        html_home = (
            gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body
        ).decode()
        css = re.search(r'href="(/static/css/site[^"]*\.css)"', html_home).group(1)
        static_rps = requests_per_second(base + css, args.seconds, args.connections)
        print(
            f"gunicorn {args.workers} workers, wrk {args.connections} connections, {args.seconds} s each"
        )
        print(
            f"{'page':<10} {'req/s':>8} {'vs static':>9} {'queries':>7} {'HTML':>7} {'CSS':>7} {'JS':>6} {'total':>7}  asset cache"
        )
        print(f"{'static':<10} {static_rps:>8.0f} {1:>9.2f} {0:>7}  ({css})")
        for path, name in PAGES:
            rps = requests_per_second(base + path, args.seconds, args.connections)
            size = transfer(base, path)
            queries = queries_per_request(env, path)
            print(
                f"{name:<10} {rps:>8.0f} {rps / static_rps:>9.2f} {queries:>7} "
                f"{size['html']:>7} {size['css']:>7} {size['js']:>6} {size['total']:>7}  {size['asset_cache']}"
            )
        print("sizes are compressed bytes on the wire for a first visit")


if __name__ == "__main__":
    main()
