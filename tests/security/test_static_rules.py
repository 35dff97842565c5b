"""The local semgrep rules catch what they promise (and `make lint` runs them on our code)."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEMGREP = Path(sys.executable).parent / "semgrep"


@pytest.fixture(scope="module")
def findings(tmp_path_factory) -> set[str]:
    if not SEMGREP.exists():
        pytest.fail("semgrep is not installed: make install-dev")
    folder = tmp_path_factory.mktemp("semgrep")
    shutil.copy(ROOT / "tests/security/static_fixtures/bad_code.py.txt", folder / "bad_code.py")
    (folder / "templates").mkdir()
    (folder / "templates" / "page.html").write_text("<p>{{ note|safe }}</p>\n")
    result = subprocess.run(  # noqa: S603 - our own venv's semgrep on a temp folder
        [
            str(SEMGREP),
            "scan",
            "--config",
            str(ROOT / ".semgrep.yml"),
            "--json",
            "--metrics=off",
            "--disable-version-check",
            "--quiet",
            str(folder),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return {item["check_id"].rsplit(".", 1)[-1] for item in json.loads(result.stdout)["results"]}


@pytest.mark.parametrize(
    "rule",
    [
        "no-csrf-exempt",
        "mark-safe-only-on-sanitised-html",
        "safe-filter-in-templates",
        "no-raw-sql",
        "no-all-fields",
        "get-view-must-not-write",
    ],
)
def test_the_rule_catches_its_pattern(findings, rule):
    assert rule in findings
