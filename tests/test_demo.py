"""The demo really trains and logs: demo/train.py is run as a subprocess, its event files are read back."""

import subprocess
import sys
from pathlib import Path

import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from demo import tf1_models

ROOT = Path(__file__).resolve().parent.parent
TRAIN = ROOT / "demo" / "train.py"
TF2_RUNS = ["keras_shared_layer", "traced_function", "auto_reuse_trap"]
EXPECTED_RUNS = [*tf1_models.PATTERNS, *TF2_RUNS, "pytorch_shared", "pytorch_deepcopy_bug"]


def run_train(*args):
    return subprocess.run(
        [sys.executable, str(TRAIN), *map(str, args)], capture_output=True, text=True, timeout=300
    )


def event_files(run_dir):
    return sorted(p for p in Path(run_dir).rglob("events.out.tfevents.*"))


def losses(run_dir):
    # size_guidance 0 = keep every event, so the last step is really the last one.
    acc = EventAccumulator(str(run_dir), size_guidance={"scalars": 0, "tensors": 0, "graph": 0})
    acc.Reload()
    return [event.value for event in acc.Scalars("loss")]


@pytest.mark.parametrize("run", EXPECTED_RUNS)
def test_every_run_has_event_files(demo_logdir, run):
    assert event_files(demo_logdir / run), f"no event file under {run}"


@pytest.mark.parametrize("run", list(tf1_models.PATTERNS))
def test_tf1_runs_log_graph_and_one_loss_per_step(demo_logdir, run):
    acc = EventAccumulator(str(demo_logdir / run), size_guidance={"scalars": 0})
    acc.Reload()
    assert acc.Tags()["graph"], "FileWriter(run_dir, graph) should have logged the graph"
    values = losses(demo_logdir / run)
    assert len(values) == 2  # the fixture trains with --steps 2
    assert all(v == v for v in values), "loss is NaN"


def test_tf2_runs_log_their_graphs(demo_logdir):
    # TF2 summaries are tensors: the Keras callback's model graph is tag `keras`, the trace is named.
    for run, tag in [("keras_shared_layer/train", "keras"), ("traced_function", "train_step")]:
        acc = EventAccumulator(str(demo_logdir / run), size_guidance={"tensors": 0})
        acc.Reload()
        assert tag in acc.Tags()["tensors"], (run, acc.Tags())
    # ... and the traces' real variable names, logged with tb_scopes_plugin.summary
    for run in ("traced_function", "auto_reuse_trap"):
        acc = EventAccumulator(str(demo_logdir / run), size_guidance={"tensors": 0})
        acc.Reload()
        assert "variables/train_step" in acc.Tags()["tensors"], (run, acc.Tags())


def test_fixed_siamese_converges_lower_than_the_bug(tmp_path):
    """With the default step count, the shared towers end far below the silently copied ones.

    Deterministic: the graph seed and the feed's numpy seed are fixed, and the gap is ~50x,
    far more than float round-off between machines could close.
    """
    done = run_train("--logdir", tmp_path, "--only", "siamese_bug,siamese_fixed")
    assert done.returncode == 0, done.stderr
    bug, fixed = losses(tmp_path / "siamese_bug"), losses(tmp_path / "siamese_fixed")
    assert len(bug) == len(fixed) > 2
    assert fixed[-1] < bug[-1] / 5, (bug[-1], fixed[-1])
    # Visible in the Scalars tab from the start, not only at the end.
    assert fixed[0] < bug[0] and max(fixed[len(fixed) // 2 :]) < min(bug[len(bug) // 2 :])


def test_if_missing_does_not_retrain(demo_logdir):
    before = {p: p.stat().st_mtime_ns for p in demo_logdir.rglob("events.out.tfevents.*")}
    done = run_train("--logdir", demo_logdir, "--if-missing")
    assert done.returncode == 0, done.stderr
    assert "nothing to train" in done.stdout
    assert f"tensorboard --logdir {demo_logdir}" in done.stdout
    after = {p: p.stat().st_mtime_ns for p in demo_logdir.rglob("events.out.tfevents.*")}
    assert after == before, "--if-missing wrote new event files"


def test_if_missing_trains_only_what_is_missing(tmp_path):
    done = run_train("--logdir", tmp_path, "--if-missing", "--only", "article_reuse", "--steps", "1")
    assert done.returncode == 0, done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["article_reuse"]
    assert "1/1" in done.stdout  # the progress bar
    for command in ("tensorboard --logdir", "tb-scopes report", "tb-scopes lint"):
        assert command in done.stdout


def test_unknown_run_name_is_refused(tmp_path):
    done = run_train("--logdir", tmp_path, "--only", "no_such_model")
    assert done.returncode == 2
    assert "no_such_model" in done.stderr
    assert not any(tmp_path.iterdir())


def test_no_tensorflow_cpp_chatter(tmp_path):
    done = run_train("--logdir", tmp_path, "--only", "article_name_scopes", "--steps", "1")
    assert done.returncode == 0, done.stderr
    assert "cpu_feature_guard" not in done.stderr and "oneDNN" not in done.stderr, done.stderr


def test_quickstart_script_is_valid_bash():
    script = ROOT / "demo" / "quickstart.sh"
    assert subprocess.run(["bash", "-n", str(script)]).returncode == 0
    text = script.read_text()
    assert "--if-missing" in text and "${PORT:-6006}" in text
