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


def test_only_the_model_reads_the_graph_response():
    """model.ts (with machinery.ts, the filter it is built through) is the only reader of the `graph`
    response's fields: every other module goes through the model's typed interface, so that a model
    built from the server's scope tree can stand in for it."""
    src = os.path.join(FRONTEND, "src")
    readers = {"model.ts", "machinery.ts", "contract.ts", "api.ts"}
    field = re.compile(r"\bresp\??\.\w+")  # a field of a response, `resp.graph` or `m.resp.variables`
    offenders = []
    for folder, _, files in os.walk(src):
        for name in files:
            if name.endswith(".ts") and name not in readers:
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    offenders += [f"{name}: {line.strip()}" for line in f if field.search(line)]
    assert offenders == []
