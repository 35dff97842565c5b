"""
The Nu HTML checker (vnu), for the tests of our pages, stylesheets and emails.

vnu comes from npm (`npm install --no-save vnu-jar`, which .ci/run does) and runs on
the machine's Java. Without it a check is skipped with the reason, unless
REQUIRE_VNU=1 (CI), where a missing checker is a failure, never a silent pass.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_errors(paths: list[Path], *, css: bool = False) -> str:
    """The checker's error messages for `paths` ("" when there are none)."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        reason = "the Nu HTML checker needs Java and `npm install --no-save vnu-jar`"
        if os.environ.get("REQUIRE_VNU") == "1":
            pytest.fail(f"REQUIRE_VNU=1 but {reason}")
        pytest.skip(reason)
    command = [java, "-jar", str(VNU_JAR), "--errors-only", "--stdout"]
    if css:
        command.append("--css")
    result = subprocess.run(  # noqa: S603 - fixed command, our own files
        command + [str(path) for path in paths], capture_output=True, text=True, timeout=300
    )
    assert result.returncode in (0, 1), result.stderr
    return result.stdout.strip()
