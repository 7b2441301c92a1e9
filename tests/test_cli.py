"""`tb-scopes report` and `tb-scopes lint`, run as a user runs them: the installed console script."""

import json
import re
import shutil
import subprocess

import pytest

from tests import logdirs


def tb_scopes(*args):
    exe = shutil.which("tb-scopes")
    assert exe, "tb-scopes is not installed (pip install -e '.[test]')"
    return subprocess.run([exe, *map(str, args)], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def clean_logdir(tmp_path_factory):
    root = tmp_path_factory.mktemp("clean")
    logdirs.write_tf1_run(root, "article_reuse")
    logdirs.write_tf1_run(root, "deep_mlp")
    return root


@pytest.fixture(scope="module")
def buggy_logdir(tmp_path_factory):
    root = tmp_path_factory.mktemp("buggy")
    logdirs.write_tf1_run(root, "siamese_bug")
    return root


def test_report_reads_like_a_summary(clean_logdir):
    result = tb_scopes("report", clean_logdir)
    assert result.returncode == 0, result.stderr
    assert "== article_reuse" in result.stdout
    assert "shared   dense/weights  (10x5 float32, owner scope dense)" in result.stdout
    assert "reused  at dense_1" in result.stdout
    assert "2 variables (55 parameters): 2 shared, 0 unshared, 0 unused; 0 findings" in result.stdout


def test_report_says_how_many_sizes_a_graph_leaves_unknown(tmp_path):
    """PyTorch's add_graph alone does not record every weight's shape: the total says what it leaves out."""
    from tests import torch_models

    torch_models.write(tmp_path, "gpt2", "torch", log_parameters=False, run="gpt2_graph_only")
    result = tb_scopes("report", tmp_path)
    assert result.returncode == 0, result.stderr
    header = next(line for line in result.stdout.splitlines() if " variables (" in line)
    assert re.search(r"variables \([\d,]+ parameters, [1-9][\d,]* of unknown size\)", header), header
    # An unknown dimension reads as the tab writes it: the positions of an embedding are not in the
    # graph (the tied word embedding's are, through the head that reads it too).
    assert "model.transformer.wpe.weight  (?x16 float32," in result.stdout


def test_report_json_follows_the_contract(clean_logdir):
    result = tb_scopes("report", clean_logdir, "--json", "--run", "article_reuse")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["contract_version"] == 2 and [g["run"] for g in doc["graphs"]] == ["article_reuse"]
    assert doc["unreadable"] == []
    graph = doc["graphs"][0]
    assert "graph" not in graph  # no drawing data in the report
    weights = next(v for v in graph["variables"] if v["name"] == "dense/weights")
    assert weights["status"] == "shared" and weights["shape"] == [10, 5] and weights["dtype"] == "float32"


def test_lint_passes_a_logdir_with_only_low_confidence_findings(clean_logdir):
    result = tb_scopes("lint", clean_logdir)
    assert result.returncode == 0
    assert "[low]" not in result.stdout  # notes only with --all
    assert "0 high-confidence findings in 2 graphs; 1 note not shown (--all)" in result.stdout
    shown = tb_scopes("lint", clean_logdir, "--all")
    assert shown.returncode == 0
    assert "deep_mlp: [low] Alike layers, probably intended: 4 alike layers in a stack" in shown.stdout


def test_lint_json_lists_the_bugs(buggy_logdir):
    result = tb_scopes("lint", buggy_logdir, "--json")
    assert result.returncode == 1
    doc = json.loads(result.stdout)
    assert doc["graphs"] == 1 and doc["bugs"] == 1 and doc["unreadable"] == []
    (finding,) = doc["findings"]
    assert finding["run"] == "siamese_bug" and finding["severity"] == "bug"
    assert finding["fix"].startswith('build both copies in tf.compat.v1.variable_scope("tower"')


def test_lint_fails_on_towers_that_should_share(buggy_logdir):
    result = tb_scopes("lint", buggy_logdir)
    assert result.returncode == 1
    assert (
        "siamese_bug: [high] Possible missed sharing: tower and tower_1 look like copies of one another"
        in result.stdout
    )
    assert "fix: build both copies in" in result.stdout
    assert "1 high-confidence finding in 1 graph" in result.stdout


@pytest.fixture(scope="module")
def partly_unreadable_logdir(tmp_path_factory):
    root = tmp_path_factory.mktemp("partly_unreadable")
    logdirs.write_tf1_run(root, "article_reuse")
    logdirs.write_graph_def(root, "broken", b"\xff\xfe definitely not a GraphDef")
    return root


@pytest.mark.parametrize("command", ["lint", "report"])
def test_a_graph_that_cannot_be_read_fails_the_command_and_says_why(partly_unreadable_logdir, command):
    """A CI lint must not pass on a graph it never checked: exit 2, one line on stderr per graph,
    and the graphs that could be read reported as usual."""
    result = tb_scopes(command, partly_unreadable_logdir)
    assert result.returncode == 2, result.stdout
    assert result.stderr.startswith("tb-scopes: could not read broken (__run_graph__): ")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    read = "0 high-confidence findings in 1 graph" if command == "lint" else "== article_reuse"
    assert read in result.stdout
    doc = json.loads(tb_scopes(command, partly_unreadable_logdir, "--json").stdout)
    assert [p.split(":")[0] for p in doc["unreadable"]] == ["broken (__run_graph__)"]


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    """`tb-scopes report logs | head`: the pipe closes while the report is still being written."""
    from benchmarks import synthetic

    logdirs.write_graph_def(tmp_path, "large", synthetic.layered_graph(blocks=40))  # 600 weights
    exe = shutil.which("tb-scopes")
    with subprocess.Popen([exe, "report", tmp_path], stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout.readline().startswith(b"== large")
        proc.stdout.close()  # as `head -1` does, long before the report's 100 KB are written
        stderr = proc.stderr.read().decode()
    assert proc.returncode == 1 and stderr == ""


@pytest.mark.parametrize("case", ["missing", "file", "empty", "unknown_run"])
def test_a_bad_logdir_is_one_line_and_exit_2(tmp_path, clean_logdir, case):
    args = {
        "missing": ["lint", tmp_path / "nope"],
        "file": ["report", __file__],
        "empty": ["lint", tmp_path],
        "unknown_run": ["report", clean_logdir, "--run", "nope"],
    }[case]
    result = tb_scopes(*args)
    assert result.returncode == 2
    assert result.stderr.startswith("tb-scopes: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_report_and_lint_on_the_demo_runs(demo_logdir):
    """End to end on what a new user sees first: the demo logdir made by demo/train.py."""
    result = tb_scopes("report", demo_logdir, "--json")
    assert result.returncode == 0, result.stderr
    graphs = {g["run"]: g for g in json.loads(result.stdout)["graphs"]}
    status = {(run, v["name"]): v["status"] for run, g in graphs.items() for v in g["variables"]}
    assert status[("article_reuse", "dense/weights")] == "shared"
    assert status[("make_template", "scale/weights")] == "shared"
    assert status[("siamese_fixed", "tower/hidden/weights")] == "shared"
    assert status[("siamese_bug", "tower/hidden/weights")] == "unshared"
    assert status[("keras_shared_layer/train", "shared_dense/kernel")] == "shared"
    assert [f["confidence"] for f in graphs["siamese_bug"]["findings"]] == ["high"]
    assert graphs["siamese_fixed"]["findings"] == []
    traced = {v["name"]: v["status"] for v in graphs["traced_function"]["variables"]}
    assert traced == {"dense/kernel": "shared", "dense/bias": "shared"}  # real names, logged by the demo
    assert [f["kind"] for f in graphs["auto_reuse_trap"]["findings"]] == ["same_name_distinct_variables"]
    lint = tb_scopes("lint", demo_logdir)
    assert status[("pytorch_shared", "embed.weight")] == "shared"  # tied to the output layer
    assert status[("pytorch_shared", "left.fc1.weight")] == "shared"  # one tower, called twice
    assert [f["confidence"] for f in graphs["pytorch_deepcopy_bug"]["findings"]] == ["high"]
    assert lint.returncode == 1  # siamese bug, Keras twins, AUTO_REUSE trap, deep-copied tower
    assert "4 high-confidence findings in 16 graphs" in lint.stdout
