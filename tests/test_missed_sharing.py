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


def tf1_two_inputs():
    """A textbook model of two inputs, by design: a dense layer for each (10 -> 8 and 20 -> 8), added,
    then a head."""
    import tensorflow as tf

    v1 = tf.compat.v1
    graph = tf.Graph()
    with graph.as_default():

        def dense(x, name, width, units):
            with v1.variable_scope(name):
                return tf.matmul(x, v1.get_variable("kernel", [width, units])) + v1.get_variable(
                    "bias", [units]
                )

        body, title = (
            v1.placeholder(tf.float32, [None, 10], "body"),
            v1.placeholder(tf.float32, [None, 20], "title"),
        )
        out = dense(dense(body, "body_dense", 10, 8) + dense(title, "title_dense", 20, 8), "head", 8, 1)
        v1.train.AdamOptimizer(1e-3).minimize(tf.reduce_mean(tf.square(out)))
    return graph


def keras_two_inputs(logdir):
    """The same model in Keras 3, logged by the callback and as a traced step with its weights' names."""
    import keras
    import numpy as np
    import tensorflow as tf

    from tb_scopes_plugin import summary

    body, title = keras.Input((10,), name="body"), keras.Input((20,), name="title")
    dense = [keras.layers.Dense(8, name="body_dense")(body), keras.layers.Dense(8, name="title_dense")(title)]
    model = keras.Model([body, title], keras.layers.Dense(1, name="head")(keras.layers.Add()(dense)))
    model.compile("sgd", "mse")
    x = [np.zeros((4, 10), "float32"), np.zeros((4, 20), "float32")]
    step = tf.function(lambda a, b: model([a, b], training=True))
    writer = tf.summary.create_file_writer(os.path.join(logdir, "trace"))
    tf.summary.trace_on(graph=True)
    step(*x)
    with writer.as_default():
        tf.summary.trace_export("step", step=0)
        summary.variables(step, step=0, weights=model.weights)
    writer.close()
    callback = keras.callbacks.TensorBoard(os.path.join(logdir, "config"), write_graph=True)
    model.fit(x, np.zeros((4, 1)), epochs=1, verbose=0, callbacks=[callback])


def test_alike_biases_of_unalike_layers_on_two_inputs_are_no_bug(tmp_path):
    """Two dense layers on two inputs of different widths have alike biases, and their outputs
    meet: but their kernels differ, so one layer could not have taken both inputs."""
    graph = tf1_two_inputs().as_graph_def().SerializeToString()
    tf1 = report.build_report(sources.GraphRef("two_inputs", "__run_graph__", "run_graph", "graphs"), graph)
    assert len(tf1.variables) == 6 and {v.name.split("/")[0] for v in tf1.variables} == {
        "body_dense", "title_dense", "head",
    }  # fmt: skip
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    code = f"from tests import test_missed_sharing as t; t.keras_two_inputs({str(tmp_path)!r})"
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True)
    reports, problems = cli.load_reports(str(tmp_path))
    assert problems == [] and sorted(r.ref.source for r in reports) == ["keras_model", "trace"]
    for got in (tf1, *reports):
        assert len(got.variables) == 6, (got.ref, [v.name for v in got.variables])
        assert [f.message for f in got.findings if f.kind == "possible_missed_sharing"] == [], got.ref
