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
        "tower and tower_1 look like copies of one another: 8 look-alike weights"
    )
    assert "meant to be shared" in finding.message
    assert any(
        e.startswith("tower/hidden/weights, tower_1/hidden/weights: same shape [10, 8], dtype float32")
        for e in finding.evidence
    )
    assert finding.fix.startswith('build both copies in tf.compat.v1.variable_scope("tower", reuse=')
    assert any("meet again at loss/" in e for e in finding.evidence)
    assert any("different inputs (x and x2)" in e for e in finding.evidence)
    assert any("names equal up to a _N suffix" in e for e in finding.evidence)


def test_traced_function_names_captured_variables_after_their_readers(reports):
    """trace_export: one Keras layer called in name scopes `query` and `key` of a tf.function.

    The trace names no variable; each gets the name its first reader and reading slot give,
    and keeps the captured placeholder's name as an alias. The optimizer's state is machinery.
    """
    by_name = {v.name: v for v in reports["trace"].variables}
    assert sorted(by_name) == ["query/dense_1/bias", "query/dense_1/kernel"]
    kernel = by_name["query/dense_1/kernel"]
    assert kernel.var.aliases == ["query_dense_1_cast_readvariableop_resource"]
    assert kernel.status == "shared"
    assert {site: use.status for site, use in kernel.uses.items()} == {
        "query/dense_1": "created",
        "key/dense_1": "reused",
    }
    assert reports["trace"].names_derived
    assert [w.kind for w in reports["trace"].warnings] == ["derived_names"]
    # Its node is drawn where it is first read, as a TF1 variable is, not as a placeholder at the top.
    drawing = reports["trace"].drawing
    position = sorted(by_name).index("query/dense_1/kernel")
    assert drawing.nodes[drawing.var_nodes[position]] == "query/dense_1/kernel"
    assert [drawing.nodes[n] for n in drawing.var_nodes] == ["query/dense_1/bias", "query/dense_1/kernel"]
    # And the optimizer's state in the optimizer's scope: no placeholder is left at the top.
    assert not [name for name in drawing.nodes if name.endswith("_resource") and "/" not in name]
    # SGD's learning rate, and its iteration counter (Keras 3 counts outside the optimizer's scope).
    assert sorted(v.machinery for v in reports["trace"].machinery) == ["counter", "optimizer"]


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
