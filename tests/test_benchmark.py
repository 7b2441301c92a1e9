"""The side-by-side benchmark keeps working: one run on a tiny graph (not a timed test)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.server, pytest.mark.browser]

ROOT = Path(__file__).resolve().parent.parent


def test_side_by_side_runs_on_a_tiny_graph(tmp_path):
    out = tmp_path / "bench.json"
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.side_by_side",
        "--scopes",
        "3",
        "--engine-ops",
        "2000",
        "--repeats",
        "2",
        "--engine-repeats",
        "2",
    ]
    # The tiny graph is sent cut, as a big one is, so that opening a member fetches it from the server.
    env = {**os.environ, "TB_SCOPES_LAZY_NODES": "50"}
    done = subprocess.run(
        [*cmd, "--cap", "60", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert (
        "| first request (cold), first in a fresh server |" in done.stdout
        and "| navigation to first drawing |" in done.stdout
    )
    result = json.loads(out.read_text())
    assert result["ops"] > 300 and result["scopes"] == 3
    backend, frontend = result["backend"], result["frontend"]
    assert (
        backend["scopes_bytes"] > backend["scopes_wire_bytes"] > 0
        and backend["graphs_bytes"] > 0
        and backend["server_peak_mb"] > 0
    )
    assert all(backend[k] > 0 for k in ("scopes_cold_s", "scopes_second_s", "graphs_s", "graphs_second_s"))
    assert backend["repeats"] == 2 and len(backend["scopes_cold_runs"]) == len(backend["graphs_runs"]) == 2
    assert "Cold requests: the median of 2 pairs of fresh servers" in done.stdout
    assert backend["scopes_after_background_s"] is not None and backend["scopes_after_restart_s"] > 0
    assert 0 < frontend["scopes_ready_s"] < 60 and 0 < frontend["scopes_expand_s"] < 60
    assert 0 < frontend["scopes_expand_member_s"] < 60
    assert frontend["graphs_first_label_s"] is not None  # a tiny graph is drawn by the Graphs dashboard too
    split = frontend["scopes_split_s"]  # the tab's User Timing marks, in load order
    assert split["until_graph_received"] > 0 and split["build_model"] >= 0 and split["layout_and_draw"] > 0
    assert 0 < result["frontend_background"]["scopes_ready_s"] < 60
    # The browser cases are the median of one fresh server per repeat: every load is kept.
    for case in (frontend, result["frontend_background"]):
        assert len(case["scopes_ready_runs"]) == 2 and case["scopes_ready_s"] == min(
            case["scopes_ready_runs"]
        )
    assert "Browser: the median of 2 fresh servers each" in done.stdout
    (engine,) = result["engine"]
    assert engine["ops"] >= 2000 and engine["peak_mb"] < 500  # the engine alone needs no TensorFlow
    assert len(engine["runs_s"]) == 2 and engine["total_s"] == min(engine["runs_s"])  # the lower median
    assert "Engine alone: the median of 2 fresh processes per size" in done.stdout
    assert engine["cpu_s"] >= engine["sys_s"] >= 0 and engine["faults"] > 0  # new memory is faulted in
