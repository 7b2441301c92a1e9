"""Run the frontend's own checks (node --test unit tests, tsc) from pytest."""

import os
import re
import shutil
import subprocess

import pytest

FRONTEND = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "frontend")

pytestmark = pytest.mark.skipif(shutil.which("npm") is None, reason="npm is needed for the frontend tests")


def _npm(*args, timeout=600):
    if not os.path.isdir(os.path.join(FRONTEND, "node_modules")):
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=FRONTEND, check=True, timeout=timeout)
    return subprocess.run(["npm", *args], cwd=FRONTEND, capture_output=True, text=True, timeout=timeout)


def test_npm_test_passes():
    proc = _npm("test")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert re.search(r"^# fail 0$", out, re.M), out
    passed = re.search(r"^# pass (\d+)$", out, re.M)
    assert passed and int(passed.group(1)) >= 5, out


def test_typecheck_passes():
    proc = _npm("run", "typecheck")
    assert proc.returncode == 0, proc.stdout + proc.stderr
