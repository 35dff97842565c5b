"""
Lighthouse scores (mobile settings) for the home, FAQ and booking pages.

    .venv/bin/python bench/lighthouse.py

Serves the site with gunicorn on 127.0.0.1 (PostgreSQL, production settings) and runs
Lighthouse 12 from npm with the system Chromium. Prints the four category scores per
page. Targets: 100 for accessibility, best practices and SEO; 95+ for performance.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server import (  # noqa: E402 - after the path line above
    DEFAULT_DATABASE,
    gunicorn,
    manage,
    recreate_database,
    server_env,
)

LIGHTHOUSE = "lighthouse@12.8.2"
PAGES = [("/", "home"), ("/faq/", "FAQ"), ("/book/", "booking")]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync"
)


def main() -> None:
    chromium = shutil.which("chromium")
    if chromium is None or shutil.which("npx") is None:
        raise SystemExit("needs chromium (apt-get install -y chromium) and node's npx")
    env = server_env(os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE))
    recreate_database(env["DATABASE_URL"], drop=False)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    with gunicorn(env, 8125, 2) as base, tempfile.TemporaryDirectory() as folder:
        print(f"{'page':<10}" + "".join(f"{c:>16}" for c in CATEGORIES))
        for path, name in PAGES:
            report = Path(folder) / f"{name}.json"
            subprocess.run(
                [
                    "npx",
                    "--yes",
                    LIGHTHOUSE,
                    base + path,
                    "--quiet",
                    "--output=json",
                    f"--output-path={report}",
                    f"--chrome-flags={CHROME_FLAGS}",
                    "--only-categories=" + ",".join(CATEGORIES),
                ],
                env={**os.environ, "CHROME_PATH": chromium},
                check=True,
                timeout=300,
            )
            categories = json.loads(report.read_text())["categories"]
            scores = [round(categories[c]["score"] * 100) for c in CATEGORIES]
            print(f"{name:<10}" + "".join(f"{score:>16}" for score in scores))


if __name__ == "__main__":
    main()
