"""contract.py and frontend/src/contract.ts name the same keys, object by object."""

import pathlib
import re

import pytest

from benchmarks.synthetic import layered_graph
from tb_scopes_plugin import contract, details, frontier, report, sources, tree
from tests import logdirs

TS = pathlib.Path(__file__).parent.parent / "frontend" / "src" / "contract.ts"


def ts_interfaces():
    text = TS.read_text()
    return {
        name: set(re.findall(r"^\s*(\w+)\??:", body, re.M))
        for name, body in re.findall(r"export interface (\w+) \{(.*?)\n\}", text, re.S)
    }


@pytest.fixture(scope="module")
def python_objects():
    """Every contract object as the backend really writes it, from a graph with a finding."""
    graph = logdirs.build_graph("siamese_bug").as_graph_def().SerializeToString()
    ref = sources.GraphRef("siamese_bug", "__run_graph__", "run_graph", "graphs")
    body = contract.graph_json(report.build_report(ref, graph))
    runs = contract.runs_json([ref])
    status = contract.status_json([ref], ["ready"])
    scopes = tree.ScopeTree(body).children("")
    series_tree = tree.ScopeTree(
        contract.graph_json(report.build_report(ref, layered_graph(6, 1).SerializeToString()))
    )
    found = tree.ScopeTree(body).search("MatMul")
    op = contract.node_json(ref, details.OpIndex(ref.source, graph).details("tower_1/hidden/MatMul"))
    drawing = contract.drawing_json(
        ref, body["graph"], frontier.Frontier(body["graph"], body["variables"]).cut(["tower"])
    )
    return {
        "DrawingResponse": drawing,
        "ChildrenResponse": scopes,
        "ScopeItem": next(it for it in scopes["items"] if it["kind"] == "scope"),
        "SeriesItem": next(it for it in series_tree.children("")["items"] if it["kind"] == "series"),
        "OpItem": next(it for it in scopes["items"] if it["kind"] == "op"),
        "SearchResponse": found,
        "SearchResult": next(r for r in found["results"] if r["kind"] == "op"),
        "NodeResponse": op,
        "NodeAttr": op["attrs"][0],
        "NodeInput": op["inputs"][0],
        "StatusResponse": status,
        "StatusEntry": status["graphs"][0],
        "RunsResponse": runs,
        "RunEntry": runs["runs"][0],
        "GraphEntry": runs["runs"][0]["graphs"][0],
        "GraphResponse": body,
        "Variable": body["variables"][0],
        "Use": body["variables"][0]["uses"][0],
        "Finding": body["findings"][0],
        "MachineryVariable": {"name": "", "kind": "", "shape": None, "dtype": None},
        "GraphWarning": {"kind": "", "count": 0, "message": ""},
        "ScopeParams": body["scopes"][0],
        # A cut graph's drawing data: the whole graph's keys and the cut's own (ids, stubs, ...).
        "DrawingData": drawing["graph"],
        "Stats": body["stats"],
    }


def test_every_contract_object_has_the_same_keys_on_both_sides(python_objects):
    interfaces = ts_interfaces()
    for name, obj in python_objects.items():
        assert name in interfaces, f"frontend/src/contract.ts lacks interface {name}"
        assert interfaces[name] == set(obj), (
            f"{name}: python {sorted(obj)} vs typescript {sorted(interfaces[name])}"
        )


def ts_enum(name):
    match = re.search(rf"export type {name} =([^;]*);", TS.read_text())
    assert match, f"frontend/src/contract.ts lacks type {name}"
    return set(re.findall(r'"(\w+)"', match.group(1)))


def test_enum_values_are_the_same_on_both_sides():
    from tb_scopes_plugin import findings, metadata, model

    assert ts_enum("Role") == set(model.ROLES)
    assert ts_enum("Severity") == {severity for _, severity in findings.LABELS.values()}
    assert ts_enum("FindingKind") == {kind for kind, _ in findings.LABELS}
    assert ts_enum("Confidence") == {confidence for _, confidence in findings.LABELS}
    sources_ = {metadata.SOURCE_RUN_GRAPH, metadata.SOURCE_TRACE, metadata.SOURCE_KERAS_MODEL}
    assert ts_enum("GraphSource") == sources_
    assert ts_enum("AnalysisState") == {"waiting", "analysing", "ready", "unreadable"}
    assert ts_enum("AnalysisStage") == {name for name, _, _ in report.STAGES}
    kinds = {getattr(model, k) for k in dir(model) if k.isupper() and isinstance(getattr(model, k), str)}
    assert ts_enum("MachineryKind") <= kinds and "optimizer" in ts_enum("MachineryKind")


def test_the_contract_document_shows_every_key(python_objects):
    doc = (TS.parent.parent.parent / "docs" / "contract.md").read_text()
    for name, obj in python_objects.items():
        for key in obj:
            assert f"`{key}`" in doc or f'"{key}"' in doc, f"docs/contract.md does not mention {name}.{key}"
