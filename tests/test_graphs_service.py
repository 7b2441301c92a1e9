"""The analysed-graph service: the disk cache across restarts, its bound, and the background analysis.

Real event files through TensorBoard's own data provider; the disk cache in a temporary directory.
"""

import gzip
import json
import threading
import time

import pytest
from tensorboard import context
from tensorboard.backend.event_processing import data_provider, plugin_event_multiplexer

from tb_scopes_plugin import contract, disk_cache, graphs, sources
from tests import logdirs


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    root = tmp_path_factory.mktemp("service")
    logdirs.write_tf1_run(root, "article_reuse")
    logdirs.write_tf1_run(root, "siamese_bug")
    multiplexer = plugin_event_multiplexer.EventMultiplexer()
    multiplexer.AddRunsFromDirectory(str(root))
    multiplexer.Reload()
    return data_provider.MultiplexerDataProvider(multiplexer, str(root))


def ref_of(provider, run):
    return sources.find_graph(provider, context.RequestContext(), "", run, "__run_graph__")


def test_a_new_server_takes_the_analysis_from_disk(provider, tmp_path):
    ctx, ref = context.RequestContext(), ref_of(provider, "article_reuse")
    first = graphs.Graphs(provider, disk_cache.DiskCache(tmp_path)).body(ctx, "", ref)
    assert json.loads(gzip.decompress(first))["run"] == "article_reuse"
    stored = list(tmp_path.glob("*/*.json.gz"))
    assert len(stored) == 1 and stored[0].read_bytes() == first
    # What a restarted TensorBoard finds: the stored body, whatever it holds, without analysing.
    stored[0].write_bytes(gzip.compress(b'{"from": "disk"}'))
    again = graphs.Graphs(provider, disk_cache.DiskCache(tmp_path)).body(ctx, "", ref)
    assert json.loads(gzip.decompress(again)) == {"from": "disk"}


def test_keys_follow_content_names_and_engine():
    base = disk_cache.content_key("run_graph", b"graph", {})
    assert disk_cache.content_key("run_graph", b"graph", {}) == base
    assert disk_cache.content_key("run_graph", b"other graph", {}) != base
    assert disk_cache.content_key("trace", b"graph", {}) != base
    assert disk_cache.content_key("run_graph", b"graph", {"k": {"name": "dense/kernel"}}) != base
    assert len(disk_cache.ENGINE_ID) == 16  # a hash of the package's source: part of every key


def test_the_directory_stays_within_its_bound_least_recently_used_first(tmp_path):
    cache = disk_cache.DiskCache(tmp_path, max_bytes=25)
    for key in ("aa1", "bb2", "cc3"):
        cache.put(key, b"x" * 10)
        time.sleep(0.02)  # distinct mtimes
    assert cache.get("aa1") is None  # 30 bytes > 25: the oldest went
    assert cache.get("bb2") == b"x" * 10 and cache.get("cc3") == b"x" * 10


def test_concurrent_writers_never_leave_half_a_file(tmp_path):
    cache = disk_cache.DiskCache(tmp_path)
    bodies = [bytes([n]) * 200_000 for n in range(8)]
    threads = [threading.Thread(target=cache.put, args=("same-key", body)) for body in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert cache.get("same-key") in bodies
    assert list(tmp_path.glob("*/*.tmp")) == []


def test_turned_off_it_stores_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(disk_cache.ENV_DIR, "off")
    cache = disk_cache.DiskCache()
    cache.put("k", b"body")
    assert cache.directory is None and cache.get("k") is None


def test_background_analysis_readies_every_graph_before_any_request(provider, tmp_path, monkeypatch):
    monkeypatch.setattr(graphs, "POLL_SECONDS", 0.2)
    service = graphs.Graphs(provider, disk_cache.DiskCache(tmp_path))
    refs = sources.list_graphs(provider, context.RequestContext(), "")
    assert service.states("", refs) == ["waiting", "waiting"]
    service.start_background()
    deadline = time.time() + 60
    while service.states("", refs) != ["ready", "ready"] and time.time() < deadline:
        time.sleep(0.1)
    assert service.states("", refs) == ["ready", "ready"]
    assert len(list(tmp_path.glob("*/*.json.gz"))) == 2


def _late_run(tmp_path):
    """A provider over an empty logdir, and a function that writes a run into it and loads it."""
    multiplexer = plugin_event_multiplexer.EventMultiplexer()
    provider = data_provider.MultiplexerDataProvider(multiplexer, str(tmp_path))

    def add():
        logdirs.write_tf1_run(tmp_path, "article_reuse", run="late")
        multiplexer.AddRunsFromDirectory(str(tmp_path))
        multiplexer.Reload()
        return ref_of(provider, "late")

    return provider, add


def _ready_within(service, ref, seconds):
    deadline = time.time() + seconds
    while service.states("", [ref]) != ["ready"] and time.time() < deadline:
        time.sleep(0.05)
    return service.states("", [ref]) == ["ready"]


def test_until_a_first_graph_appears_the_background_thread_looks_often(tmp_path, monkeypatch):
    monkeypatch.setattr(graphs, "POLL_SECONDS", 600)  # only the start-up poll can find it in time
    monkeypatch.setattr(graphs, "STARTUP_POLL_SECONDS", 0.1)
    (tmp_path / "logs").mkdir()
    provider, add = _late_run(tmp_path / "logs")
    service = graphs.Graphs(provider, disk_cache.DiskCache(tmp_path / "cache"))
    service.start_background()
    time.sleep(0.3)  # a pass or more over an empty logdir
    assert _ready_within(service, add(), 30)


def test_the_tab_asking_for_runs_wakes_the_background_thread(tmp_path, monkeypatch):
    monkeypatch.setattr(graphs, "POLL_SECONDS", 600)
    monkeypatch.setattr(graphs, "STARTUP_SECONDS", 0)  # no start-up poll either: only the wake
    (tmp_path / "logs").mkdir()
    provider, add = _late_run(tmp_path / "logs")
    service = graphs.Graphs(provider, disk_cache.DiskCache(tmp_path / "cache"))
    service.start_background()
    time.sleep(0.3)
    ref = add()
    assert not _ready_within(service, ref, 1)  # asleep: nothing wakes it
    service.wake()
    assert _ready_within(service, ref, 30)


def test_an_analysis_reports_every_stage_in_order():
    from tb_scopes_plugin import report

    graph = logdirs.build_graph("siamese_bug").as_graph_def().SerializeToString()
    seen = []
    report.build_report(
        sources.GraphRef("r", "__run_graph__", "run_graph", "graphs"), graph, progress=seen.append
    )
    assert seen == [name for name, _, _ in report.STAGES if name != "encoding"]


def test_status_names_the_stage_of_an_analysis_under_way(tmp_path):
    """While a large graph is analysed, `stages` says where it is; once ready, nothing."""
    from benchmarks.synthetic import layered_graph
    from tb_scopes_plugin import report

    logdirs.write_graph_def(tmp_path / "logs", "big", layered_graph(blocks=600, layers=10))
    multiplexer = plugin_event_multiplexer.EventMultiplexer()
    multiplexer.AddRunsFromDirectory(str(tmp_path / "logs"))
    multiplexer.Reload()
    provider = data_provider.MultiplexerDataProvider(multiplexer, str(tmp_path / "logs"))
    service = graphs.Graphs(provider, disk_cache.DiskCache(tmp_path / "cache"))
    ref = ref_of(provider, "big")
    worker = threading.Thread(target=service.body, args=(context.RequestContext(), "", ref))
    worker.start()
    stages = set()
    while worker.is_alive():
        stages.update(s for s in service.stages("", [ref]) if s)
        time.sleep(0.01)
    worker.join()
    assert stages and stages <= {name for name, _, _ in report.STAGES}
    assert service.states("", [ref]) == ["ready"] and service.stages("", [ref]) == [None]


def test_versions_follow_the_graph_the_provider_serves(tmp_path):
    # Python loader (--load_fast=false): a graph written again at the same step is not served (the
    # step's first stays), so its version stays too; a graph at a later step is, with a new version.
    # (The Rust data server serves the rewrite under the same blob key: tests/test_browser_citizen.py.)
    from tensorboard.compat.proto import event_pb2
    from tensorboard.summary.writer.event_file_writer import EventFileWriter

    logdir = tmp_path / "logs"
    logdirs.write_tf1_run(logdir, "article_reuse", run="model")
    multiplexer = plugin_event_multiplexer.EventMultiplexer()
    multiplexer.AddRunsFromDirectory(str(logdir))
    multiplexer.Reload()
    provider = data_provider.MultiplexerDataProvider(multiplexer, str(logdir))
    service = graphs.Graphs(provider, disk_cache.DiskCache(tmp_path / "cache"))
    ctx = context.RequestContext()

    def served():
        (ref,) = sources.list_graphs(provider, ctx, "", versions=True)
        body = json.loads(gzip.decompress(service.body(ctx, "", ref)))
        return ref.version, {v["name"] for v in body["variables"]}

    first, names = served()
    assert first and "dense/weights" in names

    time.sleep(1.1)  # a new second: FileWriter names its event file by the time
    logdirs.write_tf1_run(logdir, "siamese_bug", run="model")  # step 0 again
    multiplexer.Reload()
    assert served() == (first, names)

    writer = EventFileWriter(str(logdir / "model"), filename_suffix=".later")
    graph = logdirs.build_graph("siamese_bug").as_graph_def().SerializeToString()
    writer.add_event(event_pb2.Event(wall_time=time.time(), step=1, graph_def=graph))
    writer.close()
    multiplexer.Reload()
    later, names = served()
    assert later != first and "tower/hidden/weights" in names


def test_requests_for_a_graph_under_analysis_wait_for_it_instead_of_repeating_it(
    provider, tmp_path, monkeypatch
):
    """Four requests at once (the background thread and a user, say): one analysis, one answer."""
    from tb_scopes_plugin import report

    calls, real = [], report.build_report

    def counted(*args, **kwargs):
        calls.append(threading.current_thread().name)
        time.sleep(0.3)  # long enough for the other requests to arrive while it runs
        return real(*args, **kwargs)

    monkeypatch.setattr(report, "build_report", counted)
    service = graphs.Graphs(provider, disk_cache.DiskCache(tmp_path))
    ref, bodies = ref_of(provider, "siamese_bug"), []
    start = threading.Barrier(4)

    def request():
        start.wait()
        bodies.append(service.body(context.RequestContext(), "", ref))

    threads = [threading.Thread(target=request) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert len(bodies) == 4 and len(set(bodies)) == 1
    assert json.loads(gzip.decompress(bodies[0]))["run"] == "siamese_bug"


def test_a_graph_over_the_bound_is_served_cut_and_one_under_it_whole(provider, tmp_path, monkeypatch):
    """The `graph` route's body: whole under the bound; over it, cut (frontier.py) with all else whole."""
    from tb_scopes_plugin import frontier

    ctx, ref = context.RequestContext(), ref_of(provider, "siamese_bug")
    service = graphs.Graphs(provider, disk_cache.DiskCache(tmp_path))
    whole = service.body(ctx, "", ref)
    assert service.served(ctx, "", ref) == whole  # a few hundred nodes, under 20,000
    monkeypatch.setenv(frontier.ENV_LAZY_NODES, "20")
    service = graphs.Graphs(provider, disk_cache.DiskCache(tmp_path))
    sent = json.loads(gzip.decompress(service.served(ctx, "", ref)))
    full = json.loads(gzip.decompress(whole))
    assert sent["graph"]["stubs"] and len(sent["graph"]["nodes"]) < len(full["graph"]["nodes"])
    assert {k: v for k, v in sent.items() if k != "graph"} == {k: v for k, v in full.items() if k != "graph"}
    # Asked again, the cut comes from memory: the same bytes, not a second cut.
    assert service.served(ctx, "", ref) is service.served(ctx, "", ref)
    # A restarted TensorBoard sends the stored cut, whatever it holds, without cutting again.
    stored = [p for p in tmp_path.glob("*/*.json.gz") if p.read_bytes() != whole]
    assert len(stored) == 1 and json.loads(gzip.decompress(stored[0].read_bytes())) == sent
    stored[0].write_bytes(gzip.compress(b'{"from": "disk"}'))
    restarted = graphs.Graphs(provider, disk_cache.DiskCache(tmp_path))
    assert json.loads(gzip.decompress(restarted.served(ctx, "", ref))) == {"from": "disk"}
    # Opening a stub still works from there: the frontier is made from the stored body.
    cut = restarted.frontier(ctx, "", ref).cut(["tower_1"])
    assert "tower_1/hidden" in cut.nodes


def test_a_graph_sent_cut_is_answered_before_its_whole_body_is_encoded(provider, tmp_path, monkeypatch):
    """The cut goes out first; the whole body is encoded once `later` starts it, and asked for
    meanwhile it is waited for, not analysed again."""
    from tb_scopes_plugin import frontier

    ctx, ref = context.RequestContext(), ref_of(provider, "siamese_bug")
    whole = graphs.Graphs(provider, disk_cache.DiskCache(tmp_path / "whole")).body(ctx, "", ref)
    monkeypatch.setenv(frontier.ENV_LAZY_NODES, "20")
    monkeypatch.setattr(graphs, "START_LATER_SECONDS", 600)  # only `later` starts the encoding
    service = graphs.Graphs(provider, disk_cache.DiskCache(tmp_path / "cache"))
    later = []
    sent = service.served(ctx, "", ref, later)
    assert json.loads(gzip.decompress(sent))["graph"]["stubs"] and len(later) == 1
    assert service.states("", [ref]) == ["analysing"] and not list(tmp_path.glob("cache/*/*.json.gz"))
    assert service.served(ctx, "", ref) is sent  # the cut again, at once: no wait for the body
    got = []
    waiting = threading.Thread(target=lambda: got.append(service.body(ctx, "", ref)))
    waiting.start()
    waiting.join(0.5)
    assert waiting.is_alive() and not got  # waits for the encoding under way
    later[0]()
    later[0]()  # the server and the fallback timer may both start it: once is done
    waiting.join(60)
    # What a graph sent whole stores, but for the order of the shape texts: those the cut needed
    # were read first.
    assert [_by_text(b) for b in got] == [_by_text(whole)]
    assert service.states("", [ref]) == ["ready"] and len(list(tmp_path.glob("cache/*/*.json.gz"))) == 2
    assert service.served(ctx, "", ref) == sent
    # The cut's edge shapes, read before the rest of the graph's (drawing.EdgeShapes), are those
    # of the same cut made from the whole body.
    full = json.loads(gzip.decompress(whole))
    again = contract.cut_json(full["graph"], frontier.Frontier(full["graph"], full["variables"]).cut())
    first = json.loads(gzip.decompress(sent))["graph"]
    assert first["edges"] == again["edges"] and _shapes(first) == _shapes(again)
    assert len(first["shape_names"]) < len(full["graph"]["shape_names"]) and any(_shapes(first))


def test_a_stub_opened_while_the_whole_body_is_encoded_is_cut_at_once(provider, tmp_path, monkeypatch):
    """The tab's first `drawing` request comes while the whole body is being encoded: it is cut
    from the analysis' own frontier, not made to wait, and cuts as the stored body does."""
    from tb_scopes_plugin import frontier

    ctx, ref = context.RequestContext(), ref_of(provider, "siamese_bug")
    monkeypatch.setenv(frontier.ENV_LAZY_NODES, "20")
    monkeypatch.setattr(graphs, "START_LATER_SECONDS", 600)  # only `later` starts the encoding
    service = graphs.Graphs(provider, disk_cache.DiskCache(tmp_path))
    later = []
    service.served(ctx, "", ref, later)
    cuts = []
    opening = threading.Thread(target=lambda: cuts.append(service.frontier(ctx, "", ref).cut(["tower_1"])))
    opening.start()
    opening.join(10)
    assert not opening.is_alive() and service.states("", [ref]) == ["analysing"]  # not encoded yet
    early = service.frontier(ctx, "", ref)
    later[0]()
    assert _ready_within(service, ref, 30)
    stored = graphs.Graphs(provider, disk_cache.DiskCache(tmp_path)).frontier(ctx, "", ref)
    assert stored is not early  # made again from the stored body
    again = stored.cut(["tower_1"])
    assert "tower_1/hidden" in cuts[0].nodes and cuts[0].nodes == again.nodes
    assert cuts[0].edges == again.edges and cuts[0].edge_counts == again.edge_counts
    names, stored_names = early.graph["shape_names"], stored.graph["shape_names"]  # read by now
    assert [names[s] for s in cuts[0].edge_shapes] == [stored_names[s] for s in again.edge_shapes]
    assert any(cuts[0].edge_shapes)


def _by_text(body):
    """A gzipped body, its edges' shapes given as texts."""
    out = json.loads(gzip.decompress(body))
    out["graph"]["edge_shapes"] = _shapes(out["graph"])
    out["graph"]["shape_names"] = sorted(out["graph"]["shape_names"])
    return out


def _shapes(graph):
    return [graph["shape_names"][s] for s in graph["edge_shapes"]]


def test_a_body_left_to_encode_is_encoded_even_if_nothing_starts_it(provider, tmp_path, monkeypatch):
    from tb_scopes_plugin import frontier

    monkeypatch.setenv(frontier.ENV_LAZY_NODES, "20")
    monkeypatch.setattr(graphs, "START_LATER_SECONDS", 0.2)
    ctx, ref = context.RequestContext(), ref_of(provider, "siamese_bug")
    service = graphs.Graphs(provider, disk_cache.DiskCache(tmp_path))
    service.served(ctx, "", ref, later=[])  # a server that never says the answer is out
    assert _ready_within(service, ref, 30)
