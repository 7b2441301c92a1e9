"""Missed sharing among more than two copies: one finding, whatever ops the copies meet at."""

from tb_scopes_plugin import report, sources
from tests import logdirs

REF = sources.GraphRef("four_towers", "__run_graph__", "run_graph", "graphs")


def test_four_towers_compared_at_several_ops_are_one_bug():
    # The loss compares tower with each other tower (sub, sub_1, sub_2) and sums them (AddN):
    # the pairs meet at four ops, yet all four towers are one mistake with one fix.
    graph = logdirs.build_four_towers().as_graph_def().SerializeToString()
    findings = [f for f in report.build_report(REF, graph).findings if f.confidence == "high"]
    assert len(findings) == 1, [f.message for f in findings]
    (bug,) = findings
    assert bug.message.startswith("tower, tower_1, tower_2 and tower_3 look like copies of one another")
    assert {v.split("/")[0] for v in bug.variables} == {"tower", "tower_1", "tower_2", "tower_3"}
    assert len(bug.variables) == 16
    assert any("meet again at sub, sub_1, sub_2 and AddN" in line for line in bug.evidence)
    assert bug.fix.startswith('build every copy in tf.compat.v1.variable_scope("tower"')
