"""A real `tensorboard` process with the installed plugin, on both data loaders."""

import json
import shutil

import pytest

from tests import logdirs
from tests.tb_server import TensorBoard

pytestmark = pytest.mark.server

RUNS = ["article_reuse", "keras/train", "trace", "trace_named", "auto_reuse_trap"]


@pytest.fixture(scope="module")
def logdir(tmp_path_factory, patterns_logdir):
    """Copies of the session's runs: a second trace in one process would pick up other traced work."""
    root = tmp_path_factory.mktemp("server")
    for run in ("article_reuse", "keras", "trace", "trace_named", "auto_reuse_trap"):
        shutil.copytree(patterns_logdir / run, root / run)
    return root


# true: the Rust data server (the default where it is installed); false: the Python multiplexer.
@pytest.fixture(scope="module", params=["true", "false"], ids=["load_fast", "multiplexer"])
def tensorboard(request, logdir):
    with TensorBoard(logdir, load_fast=request.param) as tb:
        tb.wait_for_runs(RUNS)
        yield tb


def test_scopes_is_listed_and_active(tensorboard):
    status, listing = tensorboard.get_json("data/plugins_listing")
    assert status == 200
    assert listing["scopes"]["enabled"] is True
    assert listing["scopes"]["tab_name"] == "Scopes"
    assert listing["scopes"]["loading_mechanism"] == {
        "type": "IFRAME",
        "module_path": "/data/plugin/scopes/index.js",
    }


def test_scopes_is_inactive_on_a_logdir_without_graphs(tmp_path):
    with TensorBoard(tmp_path) as tb:
        status, listing = tb.get_json("data/plugins_listing")
        assert status == 200 and listing["scopes"]["enabled"] is False
        assert tb.get_json("data/plugin/scopes/runs") == (200, {"contract_version": 2, "runs": []})


def test_the_tab_bundle_is_served(tensorboard):
    status, content_type, body = tensorboard.get("data/plugin/scopes/index.js")
    assert status == 200 and "javascript" in content_type
    assert b"export" in body and len(body) > 10_000


def test_runs_lists_every_logging_style(tensorboard):
    status, body = tensorboard.get_json("data/plugin/scopes/runs")
    assert status == 200
    graphs = {(r["run"], g["source"]): g["tag"] for r in body["runs"] for g in r["graphs"]}
    assert graphs[("article_reuse", "run_graph")] == "__run_graph__"
    assert graphs[("keras/train", "keras_model")] == "keras"
    assert graphs[("trace", "trace")] == "train_step"


@pytest.mark.parametrize(
    "query, variable, uses",
    [
        (
            "run=article_reuse&tag=__run_graph__",
            "dense/weights",
            [("dense", 0, "created"), ("dense_1", 0, "reused")],
        ),
        (
            "run=keras%2Ftrain&tag=keras",
            "shared_dense/kernel",
            [("shared_dense", 0, "created"), ("shared_dense", 1, "reused")],
        ),
    ],
)
def test_graph_answers_with_the_annotated_graph(tensorboard, query, variable, uses):
    status, body = tensorboard.get_json(f"data/plugin/scopes/graph?{query}")
    assert status == 200
    var = next(v for v in body["variables"] if v["name"] == variable)
    assert var["status"] == "shared"
    assert [(u["call_site"], u["call"], u["status"]) for u in var["uses"]] == uses


def test_trace_graph_shows_the_layer_shared_across_name_scopes(tensorboard):
    status, body = tensorboard.get_json("data/plugin/scopes/graph?run=trace&tag=train_step")
    assert status == 200
    shared = [v for v in body["variables"] if v["status"] == "shared"]
    assert {u["call_site"].split("/")[0] for v in shared for u in v["uses"]} == {"query", "key"}


@pytest.mark.parametrize(
    "path, status",
    [
        ("data/plugin/scopes/graph", 400),
        ("data/plugin/scopes/graph?run=article_reuse", 400),
        ("data/plugin/scopes/graph?tag=__run_graph__", 400),
        ("data/plugin/scopes/graph?run=missing&tag=__run_graph__", 404),
        ("data/plugin/scopes/graph?run=article_reuse&tag=__run_graph__&source=nope", 400),
        ("data/plugin/scopes/graph?run=%3Cimg%20src%3Dx%3E&tag=x", 404),
    ],
)
def test_every_bad_request_gets_a_4xx_json_error(tensorboard, path, status):
    got, content_type, body = tensorboard.get(path)
    assert got == status
    assert content_type.startswith("application/json")
    error = json.loads(body)["error"]
    assert error and "Traceback" not in error


def test_real_names_logged_with_the_summary_api_reach_both_data_servers(tensorboard):
    """tb_scopes_plugin.summary writes a blob sequence with data_class set: both loaders keep it."""
    status, body = tensorboard.get_json("data/plugin/scopes/graph?run=trace_named&tag=train_step")
    assert status == 200
    assert body["names"] == "real" and body["warnings"] == []
    kernel = next(v for v in body["variables"] if v["name"] == "dense/kernel")
    assert kernel["shape"] == [8, 4] and kernel["params"] == 32 and kernel["trainable"] is True
    assert kernel["aliases"] == ["query_dense_1_cast_readvariableop_resource", "query/dense_1/kernel"]
    assert [(u["call_site"], u["status"]) for u in kernel["uses"]] == [
        ("query/dense_1", "created"),
        ("key/dense_1", "reused"),
    ]
    assert body["total_params"] == 36


def test_the_auto_reuse_trap_is_one_high_finding(tensorboard):
    status, body = tensorboard.get_json("data/plugin/scopes/graph?run=auto_reuse_trap&tag=train_step")
    assert status == 200
    assert [v["name"] for v in body["variables"]] == ["tower/w", "tower/w"]
    (finding,) = body["findings"]
    assert (finding["kind"], finding["severity"]) == ("same_name_distinct_variables", "bug")
    assert finding["message"].startswith("2 different variables are all named tower/w")
    assert "track_tf1_style_variables" in finding["fix"]


def test_op_details_follow_a_graph_rewritten_at_the_same_step(tmp_path):
    """The Rust data server keeps a graph's blob key when the run's graph is written again at the same
    step: the op index of the `node` route, like the `graph` body, must follow the new graph."""
    logdir = tmp_path / "logs"
    logdirs.write_tf1_run(logdir, "article_reuse", run="model")
    node = "data/plugin/scopes/node?run=model&tag=__run_graph__&name=tower/hidden/MatMul"
    with TensorBoard(logdir) as tb:
        tb.wait_for_runs(["model"])
        status, body = tb.get_json(node)
        assert status == 404, body  # not in article_reuse
        before = tb.graph_version("model")
        logdirs.write_tf1_run(logdir, "siamese_bug", run="model")  # step 0 again
        tb.wait_for_new_version("model", before)
        status, body = tb.get_json(node)
        assert status == 200, body
        assert body["type"] == "MatMul"
