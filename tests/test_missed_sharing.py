"""Missed sharing among more than two copies: one finding, whatever ops the copies meet at."""

import os
import subprocess
import sys

from tb_scopes_plugin import cli, report, sources
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


def keras_copied_towers(logdir):
    """Two instances of one Keras 3 tower (Dense, BatchNormalization, Dense) on two inputs, the bug,
    logged both ways Keras 3 is logged: a traced step with its weights' names
    (tb_scopes_plugin.summary), and the callback's model config."""
    import keras
    import numpy as np
    import tensorflow as tf

    from tb_scopes_plugin import summary

    def tower(name):
        layers = [keras.layers.Dense(8, name="dense"), keras.layers.BatchNormalization(name="bn")]
        return keras.Sequential([keras.Input((6,)), *layers, keras.layers.Dense(4, name="out")], name=name)

    a, b = keras.Input((6,), name="a"), keras.Input((6,), name="b")
    model = keras.Model([a, b], keras.layers.Subtract(name="distance")([tower("left")(a), tower("right")(b)]))
    model.compile("sgd", "mse")
    x = np.zeros((4, 6), "float32")
    step = tf.function(lambda a, b: model([a, b], training=True))
    writer = tf.summary.create_file_writer(os.path.join(logdir, "trace"))
    tf.summary.trace_on(graph=True)
    step(x, x)
    with writer.as_default():
        tf.summary.trace_export("step", step=0)
        summary.variables(step, step=0, weights=model.weights)
    writer.close()
    callback = keras.callbacks.TensorBoard(os.path.join(logdir, "config"), write_graph=True)
    model.fit([x, x], np.zeros((4, 4)), epochs=1, verbose=0, callbacks=[callback])


def test_keras_copies_pair_weight_with_weight_and_are_fixed_the_keras_way(tmp_path):
    """A norm's four weights are alike: each pairs with its own copy (gamma with gamma), not with all
    four of the other norm's; and the fix is Keras's in a traced step too, where the logged names
    are real and the graph is TensorFlow's (variable_scope has no say over Keras weights)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    code = f"from tests import test_missed_sharing as t; t.keras_copied_towers({str(tmp_path)!r})"
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True)
    reports, problems = cli.load_reports(str(tmp_path))
    assert problems == []
    by_source = {r.ref.source: r for r in reports}
    assert sorted(by_source) == ["keras_model", "trace"]
    # The config's layers read all 8 weights of a tower; a training step reads bn's moving
    # statistics only to update them, so its copies are the other 6 of each tower.
    for source, copies, more in (("keras_model", 16, "3 more pairs"), ("trace", 12, "1 more pair")):
        (bug,) = [f for f in by_source[source].findings if f.confidence == "high"]
        assert bug.fix == "create the layer (or sub-model) once and call it on both inputs", source
        assert len(bug.variables) == copies, (source, bug.variables)
        pairs = [line.split(":")[0].split(", ") for line in bug.evidence[:5]]
        assert all(a.startswith("left/") and b == "right/" + a.removeprefix("left/") for a, b in pairs), pairs
        assert bug.evidence[5] == f"and {more} of look-alike weights", source  # one pair per copied weight
