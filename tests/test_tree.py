"""The server-side scope tree: one level at a time, lifted edges, series of alike siblings, search."""

import json

import pytest
from tensorboard.backend.event_processing import data_provider, plugin_event_multiplexer
from tensorboard.plugins import base_plugin
from werkzeug import test as werkzeug_test

from benchmarks.synthetic import layered_graph
from tb_scopes_plugin import contract, report, sources, tree
from tb_scopes_plugin.plugin import ScopesPlugin
from tests import logdirs

REF = sources.GraphRef("run", "__run_graph__", "run_graph", "graphs")


def tree_of(graph_def):
    return tree.ScopeTree(contract.graph_json(report.build_report(REF, graph_def.SerializeToString())))


@pytest.fixture(scope="module")
def article():
    return tree_of(logdirs.build_graph("article_reuse").as_graph_def())


def test_the_top_level_has_summaries_and_lifted_edges(article):
    level = article.children("")
    items = {it["name"]: it for it in level["items"]}
    assert items["dense"]["kind"] == "scope" and items["dense"]["owned"] == 2
    assert items["dense"]["status"] == "shared" and items["dense"]["reuses"] == []
    dense_1 = items["dense_1"]
    assert dense_1["owned"] == 0 and dense_1["status"] == "reused" and len(dense_1["reuses"]) == 2
    ids = {it["id"]: it["name"] for it in level["items"]}
    edges = {(ids[a], ids[b]): n for a, b, n in level["edges"]}
    # x feeds the first call, x * 2 the second, and both calls' outputs meet at `add`.
    assert edges[("x", "dense")] == 1 and edges[("mul", "dense_1")] == 1
    assert edges[("dense", "add")] == 1 and edges[("dense_1", "add")] == 1
    assert edges[("loss", "gradients")] == 4  # four op-level edges lifted into one, counted


def test_expanding_a_scope_lists_its_ops(article):
    level = article.children("dense")
    assert {it["kind"] for it in level["items"]} <= {"op", "scope"}
    assert "MatMul" in {it["name"] for it in level["items"]}


def test_search_finds_ops_hidden_in_collapsed_scopes(article):
    found = article.search("matmul")
    assert {"dense/MatMul", "dense_1/MatMul"} <= {r["name"] for r in found["results"] if r["kind"] == "op"}
    assert [r["name"] for r in article.search("weights")["results"] if r["kind"] == "variable"] == [
        "dense/weights"
    ]


def test_alike_siblings_fold_into_a_series_that_pages_its_members():
    t = tree_of(layered_graph(blocks=40, layers=2, reuse_every=0))
    level = t.children("")
    (series,) = [it for it in level["items"] if it["kind"] == "series"]
    assert series["name"] == "block_[0-39]" and series["members"] == 40
    assert series["creating"] == 40 and series["reusing"] == 0
    members = t.children("", series="block_[0-39]", offset=10)
    assert members["total"] == 40 and members["offset"] == 10
    assert members["items"][0]["name"] == "block_10"


def test_reusing_and_creating_members_are_counted():
    t = tree_of(layered_graph(blocks=12, layers=2, reuse_every=2))  # every second block reuses the one before
    series = [it for it in t.children("")["items"] if it["kind"] == "series"]
    assert sum(s["members"] for s in series) == 12
    assert sum(s["creating"] for s in series) == 6 and sum(s["reusing"] for s in series) == 6


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = tmp_path_factory.mktemp("tree_routes")
    logdirs.write_tf1_run(root, "article_reuse")
    multiplexer = plugin_event_multiplexer.EventMultiplexer()
    multiplexer.AddRunsFromDirectory(str(root))
    multiplexer.Reload()
    provider = data_provider.MultiplexerDataProvider(multiplexer, str(root))
    apps = ScopesPlugin(base_plugin.TBContext(data_provider=provider, logdir=str(root))).get_plugin_apps()
    return werkzeug_test.Client(lambda environ, start: apps[environ["PATH_INFO"]](environ, start))


def test_the_routes_answer_a_level_and_a_search(client):
    level = client.get("/children?run=article_reuse&tag=__run_graph__&scope=dense")
    assert level.status_code == 200 and json.loads(level.get_data())["scope"] == "dense"
    found = client.get("/search?run=article_reuse&tag=__run_graph__&q=MatMul")
    assert found.status_code == 200 and json.loads(found.get_data())["total"] >= 2


@pytest.mark.parametrize(
    "url, code",
    [
        ("/children?run=article_reuse", 400),
        ("/children?run=article_reuse&tag=__run_graph__&offset=x", 400),
        ("/search?run=article_reuse&tag=__run_graph__", 400),
        ("/children?run=nope&tag=__run_graph__", 404),
        ("/children?run=article_reuse&tag=__run_graph__&scope=no/such/scope", 404),
        ("/children?run=article_reuse&tag=__run_graph__&scope=dense&series=x_[0-9]", 404),
    ],
)
def test_bad_requests_get_a_sentence(client, url, code):
    response = client.get(url)
    assert response.status_code == code and "error" in json.loads(response.get_data())


def test_a_run_of_alike_ops_folds_into_a_series_that_lists_them():
    t = tree_of(logdirs.split_gradients_graph_def())
    level = t.children("gradients")
    series = [it for it in level["items"] if it["kind"] == "series"]
    assert [(s["name"], s["members"], s["type"]) for s in series] == [
        ("zeros_like, zeros_like_[1-6]", 7, "ZerosLike")
    ]
    ops = {it["name"] for it in level["items"] if it["kind"] == "op"}
    assert not any(name.startswith("zeros_like") for name in ops)
    members = t.children("gradients", series="zeros_like, zeros_like_[1-6]")
    assert members["total"] == 7
    assert [it["name"] for it in members["items"]][:3] == ["zeros_like", "zeros_like_1", "zeros_like_2"]
    # Edges reach the run as one item: the ZerosLike ops all feed the split's gradient.
    assert any(a == series[0]["id"] or b == series[0]["id"] for a, b, _ in level["edges"])


def test_ops_named_by_a_number_alone_never_fold():
    """PyTorch's tracer numbers its nodes (`PairScorer/61`): a series of them would read `[61-67]`."""
    body = contract.graph_json(
        report.build_report(REF, logdirs.split_gradients_graph_def().SerializeToString())
    )
    graph = body["graph"]
    shape = graph["op_types"].index("Shape") if "Shape" in graph["op_types"] else 0
    for k in range(61, 68):
        graph["nodes"].append(f"PairScorer/{k}")
        graph["ops"].append(shape)
        graph["roles"].append(0)
    level = tree.ScopeTree(body).children("PairScorer")
    assert [it["kind"] for it in level["items"]] == ["op"] * 7


def test_a_keras_models_layers_and_ops_reading_variables_never_fold():
    """A Keras model's layers are its chain (InceptionV3's 94 `conv2d` layers), and each op that
    reads a variable is a use the tab is there to show."""
    body = contract.graph_json(
        report.build_report(REF, logdirs.split_gradients_graph_def().SerializeToString())
    )
    as_keras = {**body, "kind": "keras_model"}
    assert [
        it for it in tree.ScopeTree(as_keras).children("gradients")["items"] if it["kind"] == "series"
    ] == []
    graph = body["graph"]
    zeros = [n for n, name in enumerate(graph["nodes"]) if name.startswith("gradients/zeros_like")]
    for n in zeros:
        graph["reads"] += [n, 0, 1]
    level = tree.ScopeTree(body).children("gradients")
    assert {it["name"] for it in level["items"] if it["kind"] == "op"} >= {"zeros_like", "zeros_like_6"}
    assert [it for it in level["items"] if it["kind"] == "series"] == []


def test_a_search_result_inside_series_names_each_series_to_expand():
    """A hit hidden in a series is reached by expanding the series named in `series`, outermost
    first, with the `children` route: a scope series at the root, then an op series."""
    t = tree_of(layered_graph(blocks=40, layers=2, reuse_every=0))
    found = {r["name"]: r for r in t.search("block_17")["results"]}
    assert found["block_17"]["series"] == [["", "block_[0-39]"]]
    assert found["block_17/layer_0/weights"]["series"] == [["", "block_[0-39]"]]
    members = t.children("", series="block_[0-39]")
    assert "block_17" in {it["name"] for it in members["items"]}
    assert "block_17" not in {it["name"] for it in t.children("")["items"]}  # hidden until expanded

    g = tree_of(logdirs.split_gradients_graph_def())
    (op,) = [r for r in g.search("zeros_like_4")["results"] if r["kind"] == "op"]
    assert op["path"] == "gradients" and op["series"] == [["gradients", "zeros_like, zeros_like_[1-6]"]]
    assert op["node"] not in {it.get("node") for it in g.children("gradients")["items"]}
    listed = g.children("gradients", series=op["series"][0][1])
    assert op["node"] in {it["node"] for it in listed["items"]}
    (plain,) = [r for r in g.search("split")["results"] if r["name"] == "split" and r["kind"] == "op"]
    assert plain["series"] == []
