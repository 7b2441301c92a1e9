"""Parameters per scope (params.py) against a plain count: for every scope, the parameters of the
variables created at or below it, and of the distinct variables read at or below it."""

import pytest

from demo import tf1_models
from tb_scopes_plugin import params, report, sources
from tests import logdirs

RUN_GRAPH = sources.GraphRef("run", "__run_graph__", "run_graph", "graphs")


def at_or_below(site, scope):
    return scope == "" or site == scope or site.startswith(scope + "/")


def plain_count(variables):
    counted = [v for v in variables if v.params]
    scopes = set()
    for v in counted:
        for path in [v.owner_scope or ""] + [u.call_site for u in v.uses.values()]:
            parts = path.split("/") if path else []
            scopes |= {""} | {"/".join(parts[: k + 1]) for k in range(len(parts))}
    rows = []
    for s in sorted(scopes):
        owned = sum(v.params for v in counted if at_or_below(v.owner_scope or "", s))
        used = sum(v.params for v in counted if any(at_or_below(u.call_site, s) for u in v.uses.values()))
        if owned or used:
            rows.append((s, owned, used))
    return rows


def variables_of(graph):
    return report.build_report(RUN_GRAPH, graph.as_graph_def().SerializeToString()).variables


@pytest.mark.parametrize("pattern", sorted(tf1_models.PATTERNS))
def test_every_demo_pattern_counts_as_a_plain_count_does(pattern):
    variables = variables_of(logdirs.build_graph(pattern))
    assert variables and params.scope_params(variables) == plain_count(variables)


def test_a_weight_read_in_sibling_scopes_counts_once_above_them():
    variables = variables_of(logdirs.build_graph("article_reuse"))  # dense/weights read in dense and dense_1
    rows = {s: (owned, used) for s, owned, used in params.scope_params(variables)}
    weights = {v.name: v for v in variables}["dense/weights"]
    assert set(weights.uses) == {"dense", "dense_1"}
    total = sum(v.params for v in variables)
    assert rows[""] == (total, total)  # each variable once at the root, though read twice
    assert rows["dense_1"][0] == 0 and rows["dense_1"][1] >= weights.params  # reads, owns nothing


def test_four_towers_count_as_a_plain_count_does():
    variables = variables_of(logdirs.build_four_towers())
    assert params.scope_params(variables) == plain_count(variables)


def test_a_hostile_scope_name_counts_its_variable_once():
    from google.protobuf import text_format
    from tensorboard.compat.proto import graph_pb2

    graph = text_format.Parse(
        """
        node { name: "x" op: "Placeholder" }
        node { name: "/s/w" op: "VariableV2"
               attr { key: "shape" value { shape { dim { size: 3 } dim { size: 4 } } } }
               attr { key: "dtype" value { type: DT_FLOAT } } }
        node { name: "//t/MatMul" op: "MatMul" input: "x" input: "/s/w" }
        """,
        graph_pb2.GraphDef(),
    )
    variables = report.build_report(RUN_GRAPH, graph.SerializeToString()).variables
    rows = {s: (owned, used) for s, owned, used in params.scope_params(variables)}
    assert rows[""] == (12, 12) and rows["/s"] == (12, 0) and rows["//t"] == (0, 12)
