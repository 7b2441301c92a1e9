"""A cut graph (frontier.py) stands for the whole one: every op is drawn or inside exactly one stub,
and the stubs carry the edges, reads, op counts and structure keys of what they hold.

Checked on real TensorFlow graphs here, and on the real third-party models by test_real_models.py.
"""

import collections
import contextlib

import pytest

from tb_scopes_plugin import contract, frontier, report, sources
from tests import logdirs


def body_of(graph_def_bytes, run="g"):
    ref = sources.GraphRef(run, "__run_graph__", "run_graph", "graphs")
    return contract.graph_json(report.build_report(ref, graph_def_bytes))


@pytest.fixture(scope="module")
def four_towers():
    return body_of(logdirs.build_four_towers().as_graph_def().SerializeToString())


def _scope_of_node(name, scopes):
    """The tab's rule (model.ts), written again here: an op named like a scope lives inside it."""
    return name if name in scopes else name.rpartition("/")[0]


def assert_cut_stands_for_whole(body, open_paths=()):
    """Every invariant a cut must keep, checked against the whole body by a separate reading of it."""
    whole = body["graph"]
    cut = contract.cut_json(whole, frontier.Frontier(whole, body["variables"]).cut(open_paths))
    names = whole["nodes"]
    scopes = {name[:i] for name in names for i, ch in enumerate(name) if ch == "/"}
    stubs = {cut["stubs"][k]: (cut["stubs"][k + 1], cut["stub_keys"][cut["stubs"][k + 2]])
             for k in range(0, len(cut["stubs"]), 3)}  # fmt: skip
    stub_paths = {cut["nodes"][node]: node for node in stubs}
    present = {g: local for local, g in enumerate(cut["ids"]) if g >= 0}
    assert all(cut["ids"][node] == -1 for node in stubs)
    assert len(present) + len(stubs) == len(cut["nodes"])

    def item(n):
        if n in present:
            assert cut["nodes"][present[n]] == names[n]
            return present[n]
        scope = _scope_of_node(names[n], scopes)
        holders = [p for p in stub_paths if scope == p or scope.startswith(p + "/")]
        assert len(holders) == 1, (names[n], holders)
        return stub_paths[holders[0]]

    items = [item(n) for n in range(len(names))]
    below = collections.Counter(i for n, i in enumerate(items) if n not in present)
    assert {node: ops for node, (ops, _) in stubs.items()} == dict(below)
    # How deep each stub's unsent scopes go: its ops' deepest scope, counted from the stub.
    depth = collections.defaultdict(int)
    for n, i in enumerate(items):
        if n not in present:
            levels = _scope_of_node(names[n], scopes).count("/") - cut["nodes"][i].count("/")
            depth[i] = max(depth[i], levels)
    assert dict(zip(list(stubs), cut["stub_levels"], strict=True)) == dict(depth)
    # Edges: lifted to the items holding their ends, counted; an edge inside one stub is gone.
    want = collections.Counter()
    for k in range(0, len(whole["edges"]), 2):
        a, b = items[whole["edges"][k]], items[whole["edges"][k + 1]]
        if a != b:
            want[(a, b)] += 1
    got = collections.Counter()
    for k in range(0, len(cut["edges"]), 2):
        got[(cut["edges"][k], cut["edges"][k + 1])] += cut["edge_counts"][k // 2]
    assert got == want
    assert len(cut["edge_shapes"]) == len(cut["edge_counts"]) == len(cut["edges"]) // 2
    # Reads: a drawn op keeps its own; a stub reads every variable read below it.
    want_reads = collections.defaultdict(bool)
    for k in range(0, len(whole["reads"]), 3):
        want_reads[(items[whole["reads"][k]], whole["reads"][k + 1])] |= bool(whole["reads"][k + 2])
    got_reads = {(cut["reads"][k], cut["reads"][k + 1]): bool(cut["reads"][k + 2])
                 for k in range(0, len(cut["reads"]), 3)}  # fmt: skip
    assert got_reads == dict(want_reads)
    # A stub's structure key is the one the tab makes for the scope once it is open (model.ts).
    for node, (ops, key) in stubs.items():
        path = cut["nodes"][node]
        direct = [whole["op_types"][whole["ops"][n]] for n in range(len(names))
                  if _scope_of_node(names[n], scopes) == path]  # fmt: skip
        subs = {s for s in scopes if s.rpartition("/")[0] == path and s.startswith(path + "/")}
        counted = collections.Counter(direct)
        kinds = ",".join(t if c == 1 else f"{t}*{c}" for t, c in sorted(counted.items()))
        assert key == f"{ops}|{len(subs)}|{kinds}", path
    return cut


def test_the_first_cut_of_four_towers_holds_stubs_that_stand_for_them(four_towers):
    cut = assert_cut_stands_for_whole(four_towers)
    stubs = {
        cut["nodes"][cut["stubs"][k]]: cut["roles"][cut["stubs"][k]] for k in range(0, len(cut["stubs"]), 3)
    }
    roles = cut["role_names"]
    assert {"tower", "tower_1", "tower_2", "tower_3", "gradients", "Adam"} <= set(stubs)
    # The tab sets training machinery aside: the stubs of the backward pass and the optimizer say so.
    assert roles[stubs["gradients"]] == roles[stubs["Adam"]] == "machinery"
    assert roles[stubs["tower_3"]] == "compute"
    # The towers are alike: one structure key, so the tab folds their stubs into one series.
    keys = {
        cut["stubs"][k + 2]
        for k in range(0, len(cut["stubs"]), 3)
        if cut["nodes"][cut["stubs"][k]].startswith("tower")
    }
    assert len(keys) == 1


def test_opening_a_stub_sends_its_contents_and_keeps_the_rest_cut(four_towers):
    cut = assert_cut_stands_for_whole(four_towers, ["tower_2/hidden"])
    assert "tower_2/hidden/MatMul" in cut["nodes"]  # inside the scope asked open
    assert "tower_2/embed" in cut["nodes"]  # a stub beside it, in its open parent
    assert "tower_3" in cut["nodes"] and "tower_3/hidden/MatMul" not in cut["nodes"]
    # A path that is not a scope opens the scope holding it; an unknown one opens nothing more.
    assert (
        "tower_1/hidden/MatMul"
        in assert_cut_stands_for_whole(four_towers, ["tower_1/hidden/MatMul"])["nodes"]
    )
    assert (
        assert_cut_stands_for_whole(four_towers, ["no/such/scope"])["nodes"] == cut_at(four_towers)["nodes"]
    )


def cut_at(body, paths=()):
    return frontier.Frontier(body["graph"], body["variables"]).cut(paths)._asdict()


def test_everything_open_is_the_whole_graph(four_towers):
    whole = four_towers["graph"]
    everything = sorted({name.rpartition("/")[0] for name in whole["nodes"]})
    cut = assert_cut_stands_for_whole(four_towers, everything)
    assert cut["stubs"] == []
    assert cut["nodes"] == whole["nodes"]  # in the whole graph's order


def _first_cut_stubs(*outer):
    """The stubs of the first cut of three dense layers in variable scopes `outer` (nested)."""
    import tensorflow as tf

    v1 = tf.compat.v1
    graph = tf.Graph()
    with graph.as_default(), contextlib.ExitStack() as scopes:
        h = v1.placeholder(tf.float32, [None, 8], name="x")
        for name in outer:
            scopes.enter_context(v1.variable_scope(name))
        for k in range(3):
            with v1.variable_scope(f"dense_{k}"):
                h = tf.nn.relu(tf.matmul(h, v1.get_variable("kernel", [8, 8])))
    cut = assert_cut_stands_for_whole(body_of(graph.as_graph_def().SerializeToString()))
    return {cut["nodes"][cut["stubs"][k]] for k in range(0, len(cut["stubs"]), 3)}


def test_the_first_cut_opens_the_dominant_chain_as_the_tab_would():
    """A model's class scope holding nearly every op is opened (view.ts autoExpandPaths); not past that."""
    assert _first_cut_stubs("model") == {"model/dense_0", "model/dense_1", "model/dense_2"}


def test_the_first_cut_opens_a_box_that_holds_one_scope_on_the_way_through():
    """A wrapper scope whose one child is the model (add_graph's wrapper module around a
    transformers model) does not stop the chain, as in view.ts autoExpandPaths."""
    assert _first_cut_stubs("wrapper", "model") == {
        "wrapper/model/dense_0", "wrapper/model/dense_1", "wrapper/model/dense_2",
    }  # fmt: skip


def _aside_by_search(graph, variables):
    """The tab's rule (aux.ts auxNodes), read again by a plain search over each connected piece."""
    aside = [graph["role_names"][r] in ("machinery", "gradient") for r in graph["roles"]]
    links = collections.defaultdict(list)
    edges = list(zip(graph["edges"][0::2], graph["edges"][1::2], strict=True))
    for a, b in edges:
        if not aside[a] and not aside[b]:
            links[a].append(b)
            links[b].append(a)
    weighty = {v["node"] for v in variables} | set(graph["reads"][0::3])
    touching = {a if aside[b] else b for a, b in edges if aside[a] != aside[b]}
    out, seen = list(aside), set()
    for start in touching - seen:
        piece, todo = {start}, [start]
        while todo:
            for y in links[todo.pop()]:
                if y not in piece:
                    piece.add(y)
                    todo.append(y)
        seen |= piece
        if not piece & weighty:
            for x in piece:
                out[x] = True
    return out


def test_what_is_set_aside_is_the_tabs_rule(four_towers):
    graph, variables = four_towers["graph"], four_towers["variables"]
    got = frontier.Frontier(graph, variables)._aux.tolist()
    assert got == _aside_by_search(graph, variables)
    # Adam's beta powers are variable ops, not machinery by role, but only the optimizer touches
    # them and they are no model weight: set aside with it, by their connected piece.
    names = graph["nodes"]
    for name in ("beta1_power", "beta2_power"):
        n = names.index(name)
        assert graph["role_names"][graph["roles"][n]] == "variable" and got[n], name


def scopes_of(names):
    """Every scope the op names make, empty segments and all: each prefix before a "/"."""
    return sorted({name[:i] for name in names for i, ch in enumerate(name) if ch == "/"})


def test_names_with_empty_segments_are_cut_as_the_tab_reads_them():
    """Graph names are untrusted text: a GraphDef may name ops `/a/op`, `a//b` or `a/`, which
    TensorFlow would refuse. Their scopes (`/a`, `a/`, `a//b`) are cut like any other, and a
    stub's levels count from where it sits: a frontier that counted a leading "/" as a level
    below the root gave `/a` one level too few (found by comparing cuts of random names)."""
    from tensorboard.compat.proto import graph_pb2

    graph = graph_pb2.GraphDef()
    names = ["/a/b/op", "/a/b/c/op", "/a/op", "a//b/op", "a//op", "a/", "a/x/y/z", "/x", "x/op", "/"]
    for n, name in enumerate(names):
        node = graph.node.add(name=name, op="Identity" if n else "Placeholder")
        if n:
            node.input.append(names[n - 1])
    body = body_of(graph.SerializeToString())
    scopes = scopes_of(names)
    for open_paths in ([], ["/a"], ["/a/b"], ["a/"], [""], scopes):
        cut = assert_cut_stands_for_whole(body, open_paths)
        assert len(cut["nodes"]) < len(names) or open_paths == scopes
    first = assert_cut_stands_for_whole(body)
    levels = {
        first["nodes"][first["stubs"][k]]: first["stub_levels"][k // 3]
        for k in range(0, len(first["stubs"]), 3)
    }
    assert levels["/a"] == 2  # `/a/b/c` holds an op two levels below `/a`


def test_cuts_of_random_graphs_with_hostile_names_stand_for_the_whole():
    """Seeded random GraphDefs (names from a few segments, empty ones included, random inputs),
    each cut at random open scopes and checked by the independent reading above."""
    import random

    from tensorboard.compat.proto import graph_pb2

    rng = random.Random(20261207)
    segments = ["a", "b", "a_1", "", "block0", "block1", "x"]
    for _ in range(150):
        names = sorted(
            {"/".join(rng.choices(segments, k=rng.randint(1, 5))) for _ in range(rng.randint(2, 30))}
        )
        graph = graph_pb2.GraphDef()
        for n, name in enumerate(names):
            node = graph.node.add(
                name=name, op=rng.choice(["Identity", "MatMul", "AddV2"]) if n else "Placeholder"
            )
            node.input.extend(rng.sample(names[:n], k=min(n, rng.randint(0, 2))))
        body = body_of(graph.SerializeToString())
        scopes = scopes_of(names)
        assert_cut_stands_for_whole(body)
        if scopes:
            assert_cut_stands_for_whole(body, rng.sample(scopes, k=rng.randint(1, len(scopes))))
