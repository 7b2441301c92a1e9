"""The plugin's routes, in process, over real event files read by TensorBoard's own data provider."""

import gzip
import json

import pytest
from tensorboard.backend.event_processing import data_provider, plugin_event_multiplexer
from tensorboard.plugins import base_plugin
from werkzeug import test as werkzeug_test

from tb_scopes_plugin import cache
from tb_scopes_plugin.plugin import ScopesPlugin
from tests import logdirs


@pytest.fixture(scope="module")
def logdir(tmp_path_factory):
    root = tmp_path_factory.mktemp("routes")
    logdirs.write_tf1_run(root, "article_reuse")
    logdirs.write_tf1_run(root, "siamese_bug")
    (root / "broken").mkdir()
    logdirs.write_graph_def(root, "broken", b"\xff\xfe definitely not a GraphDef")
    return root


@pytest.fixture(scope="module")
def plugin(logdir):
    multiplexer = plugin_event_multiplexer.EventMultiplexer()
    multiplexer.AddRunsFromDirectory(str(logdir))
    multiplexer.Reload()
    provider = data_provider.MultiplexerDataProvider(multiplexer, str(logdir))
    return ScopesPlugin(base_plugin.TBContext(data_provider=provider, logdir=str(logdir)))


@pytest.fixture(scope="module")
def client(plugin):
    apps = plugin.get_plugin_apps()

    def app(environ, start_response):  # the routes are WSGI apps, as TensorBoard mounts them
        return apps[environ["PATH_INFO"]](environ, start_response)

    return werkzeug_test.Client(app)


def get(client, url):
    response = client.get(url)
    return response.status_code, response.headers["Content-Type"], json.loads(response.get_data())


def test_runs_lists_every_graph_with_its_source(client):
    status, _, body = get(client, "/runs")
    assert status == 200
    versions = [g.pop("version") for r in body["runs"] for g in r["graphs"]]
    assert all(isinstance(v, str) and v for v in versions)  # opaque, compared by the tab on reload
    assert body["runs"] == [
        {"run": "article_reuse", "graphs": [{"tag": "__run_graph__", "source": "run_graph"}]},
        {"run": "broken", "graphs": [{"tag": "__run_graph__", "source": "run_graph"}]},
        {"run": "siamese_bug", "graphs": [{"tag": "__run_graph__", "source": "run_graph"}]},
    ]


def test_graph_annotates_the_reuse_and_carries_drawing_data(client):
    status, content_type, body = get(client, "/graph?run=article_reuse&tag=__run_graph__")
    assert status == 200 and content_type.startswith("application/json")
    weights = next(v for v in body["variables"] if v["name"] == "dense/weights")
    assert [(u["call_site"], u["status"]) for u in weights["uses"]] == [
        ("dense", "created"),
        ("dense_1", "reused"),
    ]
    graph = body["graph"]
    assert graph["nodes"][weights["node"]] == "dense/weights"
    assert graph["op_types"][graph["ops"][weights["node"]]] == "VariableV2"
    var_index = body["variables"].index(weights)
    reads = [graph["reads"][i : i + 3] for i in range(0, len(graph["reads"]), 3)]
    readers = {graph["nodes"][n]: reused for n, v, reused in reads if v == var_index}
    assert readers["dense/MatMul"] == 0 and readers["dense_1/MatMul"] == 1
    assert "dense/weights/read" not in graph["nodes"]  # helpers are folded into the variable
    assert body["stats"]["nodes_drawn"] == len(graph["nodes"])


def test_findings_link_to_their_variables(client):
    _, _, body = get(client, "/graph?run=siamese_bug&tag=__run_graph__&source=run_graph")
    assert body["findings"][0]["confidence"] == "high"
    named = {body["variables"][i]["name"] for i, v in enumerate(body["variables"]) if 0 in v["findings"]}
    assert named == set(body["findings"][0]["variables"])


@pytest.mark.parametrize(
    "url, status, words",
    [
        ("/graph", 400, "needs both `run` and `tag`"),
        ("/graph?run=article_reuse", 400, "needs both"),
        ("/graph?run=nope&tag=__run_graph__", 404, "no graph with run 'nope'"),
        ("/graph?run=article_reuse&tag=other", 404, "no graph"),
        ("/graph?run=article_reuse&tag=__run_graph__&source=bogus", 400, "`source` must be one of"),
        ("/graph?run=article_reuse&tag=__run_graph__&source=trace", 404, "from trace"),
        ("/graph?run=broken&tag=__run_graph__", 422, "cannot be read"),
        ("/graph?run=%3Cscript%3E&tag=%00", 404, "no graph"),
        ("/drawing?tag=__run_graph__", 400, "needs both"),
        ("/drawing?run=nope&tag=__run_graph__&open=a", 404, "no graph with run 'nope'"),
        ("/drawing?run=broken&tag=__run_graph__", 422, "cannot be read"),
        ("/drawing?run=siamese_bug&tag=__run_graph__" + "&open=a" * 10_001, 400, "at most 10000 scopes"),
    ],
)
def test_bad_requests_get_a_json_error(client, url, status, words):
    got, content_type, body = get(client, url)
    assert got == status
    assert content_type.startswith("application/json")
    assert words in body["error"] and "Traceback" not in body["error"]


def test_graph_is_sent_gzipped_to_clients_that_accept_it(client):
    plain = client.get("/graph?run=article_reuse&tag=__run_graph__")
    zipped = client.get("/graph?run=article_reuse&tag=__run_graph__", headers={"Accept-Encoding": "gzip"})
    assert plain.headers.get("Content-Encoding") is None
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.get_data()) == plain.get_data()


def test_second_request_is_served_from_the_cache(plugin, client):
    plugin._graphs._memory = cache.ByteBoundedCache()
    first = client.get("/graph?run=article_reuse&tag=__run_graph__").get_data()
    assert len(plugin._graphs._memory) == 1
    assert client.get("/graph?run=article_reuse&tag=__run_graph__").get_data() == first


def test_status_says_which_graphs_are_analysed(client):
    assert client.get("/graph?run=article_reuse&tag=__run_graph__").status_code == 200
    client.get("/graph?run=broken&tag=__run_graph__")
    status, _, body = get(client, "/status")
    assert status == 200
    states = {g["run"]: g["state"] for g in body["graphs"]}
    assert states["article_reuse"] == "ready" and states["broken"] == "unreadable"
    assert states["siamese_bug"] in ("waiting", "analysing", "ready")  # the background thread may be at it


def test_cache_stays_within_its_byte_bound():
    bounded = cache.ByteBoundedCache(max_bytes=10)
    bounded.put("a", b"12345")
    bounded.put("b", b"12345")
    bounded.put("c", b"123")  # evicts the least recently used, "a"
    assert bounded.get("a") is None and bounded.get("b") == b"12345" and bounded.get("c") == b"123"
    bounded.put("huge", b"x" * 11)  # larger than the bound: not stored, nothing evicted
    assert bounded.get("huge") is None and len(bounded) == 2


def test_node_answers_one_ops_details(client):
    status, content_type, body = get(client, "/node?run=article_reuse&tag=__run_graph__&name=dense_1/MatMul")
    assert status == 200 and content_type.startswith("application/json")
    assert body["name"] == "dense_1/MatMul" and body["type"] == "MatMul"
    assert {"key": "transpose_a", "value": "false"} in body["attrs"]
    assert [i["name"] for i in body["inputs"]] == ["mul", "dense/weights/read"]
    assert body["outputs"] == ["[?, 5]"]


@pytest.mark.parametrize(
    "url, status, words",
    [
        ("/node?run=article_reuse&tag=__run_graph__", 400, "needs a `name`"),
        ("/node?name=x", 400, "needs both `run` and `tag`"),
        ("/node?run=article_reuse&tag=__run_graph__&name=nope", 404, "no op named 'nope'"),
        ("/node?run=nope&tag=__run_graph__&name=x", 404, "no graph with run 'nope'"),
        ("/node?run=article_reuse&tag=__run_graph__&name=x&source=bogus", 400, "`source` must be one of"),
        ("/node?run=broken&tag=__run_graph__&name=x", 422, "cannot be read"),
    ],
)
def test_node_bad_requests_get_a_json_error(client, url, status, words):
    got, content_type, body = get(client, url)
    assert got == status and content_type.startswith("application/json")
    assert words in body["error"] and "Traceback" not in body["error"]


def test_drawing_cuts_the_graph_at_the_scopes_asked_open(client):
    status, _, body = get(
        client, "/drawing?run=siamese_bug&tag=__run_graph__&open=tower_1/hidden&open=%3Cb%3E"
    )
    assert status == 200 and body["run"] == "siamese_bug" and body["contract_version"] == 2
    g = body["graph"]
    stubs = {g["nodes"][g["stubs"][k]] for k in range(0, len(g["stubs"]), 3)}
    assert "tower_1/hidden/MatMul" in g["nodes"]  # inside the scope asked open
    assert {"tower", "tower_1/embed", "gradients"} <= stubs and "tower_1" not in stubs
    assert len(g["ids"]) == len(g["nodes"]) and len(g["edge_counts"]) * 2 == len(g["edges"])
