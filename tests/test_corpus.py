"""Every pattern of the corpus, built with real TensorFlow, logged, and read back through TensorBoard."""

import pytest

from tb_scopes_plugin import cli
from tests.corpus import CORPUS


@pytest.fixture(scope="module")
def reports(patterns_logdir):
    loaded, problems = cli.load_reports(str(patterns_logdir))
    assert problems == []
    return {r.ref.run: r for r in loaded}


@pytest.mark.parametrize("run", sorted(CORPUS))
def test_pattern_statuses_and_findings(reports, run):
    expected = CORPUS[run]
    report = reports[run]
    by_name = {v.name: v for v in report.variables}
    for name, (status, uses) in expected["variables"].items():
        assert name in by_name, f"{name} missing from {sorted(by_name)}"
        var = by_name[name]
        assert var.status == status, name
        assert {site: use.status for site, use in var.uses.items()} == uses, name
    if expected.get("exact_variables"):
        assert sorted(by_name) == sorted(expected["variables"])
    assert [(f.confidence, f.variables) for f in report.findings] == expected["findings"]


def test_every_finding_explains_itself(reports):
    finding = reports["siamese_bug"].findings[0]
    assert finding.message.startswith(
        "tower and tower_1 look like copies of one another: 8 look-alike variables"
    )
    assert "meant to be shared" in finding.message
    assert (
        "tower/hidden/weights, tower_1/hidden/weights: same shape [10, 8] and dtype float32"
        in finding.evidence[3]
    )
    assert any("meet again at loss/" in e for e in finding.evidence)
    assert any("names equal up to a _N suffix" in e for e in finding.evidence)


def test_traced_function_names_captured_variables_after_their_placeholder(reports):
    """trace_export: one Keras layer called in name scopes `query` and `key` of a tf.function."""
    shared = [v for v in reports["trace"].variables if v.status == "shared"]
    assert len(shared) == 2  # kernel and bias
    for var in shared:
        assert var.name.endswith("_readvariableop_resource")  # the captured placeholder's name
        statuses = {site.split("/")[0]: use.status for site, use in var.uses.items()}
        assert statuses == {"query": "created", "key": "reused"}
        assert var.owner_scope.startswith("query/")


def test_optimizer_and_gradients_are_not_call_sites(reports):
    """After minimize(), a layer used once stays unshared: Adam and gradients join their forward op."""
    gen = {v.name: v for v in reports["gan"].variables}["generator/hidden/weights"]
    assert gen.status == "unshared"
    assert any(op.startswith("gradients_1/generator/hidden/") for op in gen.uses["generator/hidden"].ops)
    names = [v.name for v in reports["gan"].variables]
    assert not [n for n in names if "Adam" in n or "beta1_power" in n or "adam" in n]


def test_parameters_are_counted_once_per_scope(reports):
    scopes = {s: (owned, used) for s, owned, used in reports["article_reuse"].scopes}
    assert scopes["dense"] == (55, 55)  # weights 10x5 + bias 5
    assert scopes["dense_1"] == (0, 55)  # reads the same 55, owns none
    assert scopes[""] == (55, 55)  # the shared variables count once for the whole graph
