"""The report against the frameworks' own truth, on real third-party model code (tests/realmodels).

The truth (tests/realmodels/truth/*.json) was written from `model.weights`, `count_params()`,
`model_variables()` and layer call counts, not from our report. For every entry:
- no bug finding on a correct model; a possible missed sharing naming both copies on a bug;
- the model's weights and nothing else (optimizer state, metrics, seeds are machinery):
  by name where the graph carries names, by shapes where it does not (traces);
- shared exactly when the framework calls the layer more than once, one use per call;
- parameter totals equal to the framework's, wherever the graph carries shapes.
"""

import collections
import json
import pathlib

import pytest

from tb_scopes_plugin import cli, contract
from tests.realmodels import __main__ as realmodels
from tests.test_frontier import assert_cut_stands_for_whole

TRUTH_DIR = pathlib.Path(__file__).parent / "realmodels" / "truth"
TRUTH = {p.stem: json.loads(p.read_text()) for p in sorted(TRUTH_DIR.glob("*.json"))}


@pytest.fixture(scope="module")
def built_logdir(tmp_path_factory):
    """Every family built once, each in its own process; returns (logdir, truths now)."""
    root = tmp_path_factory.mktemp("realmodels")
    return root, realmodels.build_all(str(root))


@pytest.fixture(scope="module")
def built(built_logdir):
    """(reports by (run, source), truths now)."""
    root, truths = built_logdir
    reports, problems = cli.load_reports(str(root))
    assert problems == []
    return {(r.ref.run, r.ref.source): r for r in reports}, truths


def report_of(built, name):
    reports, _ = built
    truth = TRUTH[name]
    return reports[(truth["run"], truth["source"])], truth


def differences(a, b, limit=10):
    return sorted(set(a) ^ set(b))[:limit]


def test_the_corpus_is_the_one_the_truth_was_written_for(built):
    """A library upgrade that changes a model is noticed here, before its findings are compared."""
    _, truths = built
    assert sorted(truths) == sorted(TRUTH)
    for name, truth in TRUTH.items():
        assert truths[name] == truth, f"{name}: the framework now says something else; re-record the truth"


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_findings_match_the_truth(built, name):
    report, truth = report_of(built, name)
    bugs = [f for f in report.findings if f.severity == "bug"]
    if not truth["bug"]:
        assert bugs == [], [f.message for f in bugs]
        return
    assert [f.kind for f in bugs] == ["possible_missed_sharing"], [f.message for f in bugs]
    copies = bugs[0].variables
    all_but_head = truth["count"] - (2 if truth["library"] == "keras" else 0)
    assert len(copies) == truth.get("copies", all_but_head), copies
    if truth["names"] == "real":
        roots = {name.split("/")[0] for name in copies}
        assert len(roots) >= 2, copies  # weights of both copies


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_the_model_weights_and_nothing_else(built, name):
    report, truth = report_of(built, name)
    if truth["names"] == "real":
        names = [v.name for v in report.variables]
        assert sorted(names) == sorted(truth["variables"]), differences(names, truth["variables"])
        for v in report.variables:
            assert v.shape == truth["variables"][v.name]["shape"], v.name
    else:
        assert len(report.variables) == truth["count"]
        shapes = collections.Counter(tuple(v.shape) for v in report.variables if v.shape is not None)
        if shapes:  # op graphs carry shapes in _output_shapes; traces carry none
            expected = collections.Counter(tuple(v["shape"]) for v in truth["variables"].values())
            assert shapes == expected


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_shared_exactly_when_called_more_than_once(built, name):
    report, truth = report_of(built, name)
    if truth["names"] == "real":
        for v in report.variables:
            calls = truth["variables"][v.name]["calls"]
            assert v.status == ("shared" if calls > 1 else "unshared"), (v.name, v.status, calls)
            assert len(v.uses) == calls, (v.name, sorted(v.uses))
    else:  # by count: as many shared weights as the framework calls more than once
        expected = sorted(v["calls"] for v in truth["variables"].values())
        assert sorted(len(v.uses) for v in report.variables) == expected


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_parameter_totals_equal_the_framework(built, name):
    report, truth = report_of(built, name)
    if report.ref.source == "trace":
        # A trace carries no shapes: the report says its names are derived and counts nothing it
        # cannot see; with tb_scopes_plugin.summary the totals are exact (test_summary_api.py).
        assert report.total_params == 0 and "derived_names" in {w.kind for w in report.warnings}
    else:
        assert report.total_params == truth["params"]
        # An exact total with a warning that some layers' weights are not counted would make a
        # user doubt it: a layer of no weights (a `keras.ops` call, CustomScaleLayer) is known.
        assert "unknown_layers" not in {w.kind for w in report.warnings}, report.warnings


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_a_cut_of_the_drawing_stands_for_the_whole_graph(built, name):
    """What the tab gets for a graph too big to send whole (frontier.py), on real model code."""
    report, _ = report_of(built, name)
    body = contract.graph_json(report)
    cut = assert_cut_stands_for_whole(body)
    if cut["stubs"]:  # and once the first closed scope is opened
        assert_cut_stands_for_whole(body, [cut["nodes"][cut["stubs"][0]]])


@pytest.mark.browser
def test_every_real_model_cut_is_drawn_as_the_whole_graph_is(built, built_logdir, browser):
    """The first view of each model, sent cut (a bound of 40 nodes) and sent whole, in real TensorBoards
    and Chromium: the same items with the same names, statuses, openness, machinery links and text."""
    from urllib.parse import quote

    from tests.tab_page import Tab
    from tests.tb_server import TensorBoard

    reports, _ = built
    root, _ = built_logdir
    runs = sorted({run for run, _ in reports})
    with (
        TensorBoard(root, env={"TB_SCOPES_LAZY_NODES": "40"}) as cut,
        TensorBoard(root, env={"TB_SCOPES_LAZY_NODES": "1000000"}) as whole,
    ):
        cut.wait_for_runs(runs)
        whole.wait_for_runs(runs)
        for (run, source), report in sorted(reports.items()):
            tag = quote(report.ref.tag)
            view = f"#scopes&p.scopes.run={quote(run)}&p.scopes.tag={tag}&p.scopes.source={source}"
            drawn = []
            for server in (cut, whole):
                tab = Tab(browser, server)
                tab.open(view, timeout=180_000)
                drawn.append(tab.drawn())
                errors = list(tab.errors)
                tab.close()
                assert errors == [], (run, errors)
            assert drawn[0] == drawn[1], (run, source)


def test_a_moving_average_shadow_is_told_from_an_optimizer_slot(built):
    """Both are named below their weight (`head/kernel/ExponentialMovingAverage`, `.../Momentum`)
    and colocated with it; the tab says what updates each."""
    report, truth = report_of(built, "tf1_bidirectional_ema")
    kinds = {v.name: v.machinery for v in report.machinery}
    shadows = {name: kind for name, kind in kinds.items() if name.endswith("/ExponentialMovingAverage")}
    assert sorted(n.removesuffix("/ExponentialMovingAverage") for n in shadows) == sorted(
        n for n in truth["variables"] if not n.startswith("bn/moving_")
    )  # one shadow per trainable weight, as the run averages them
    assert set(shadows.values()) == {"moving_average"}
