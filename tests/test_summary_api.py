"""tb_scopes_plugin.summary with real TensorFlow: what it records, and the names the report then shows.

The trace and the AUTO_REUSE trap through a real tensorboard on both data servers are in
test_server.py; here, the tf_keras callback's op graph and the API's own contract.
"""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf
import tf_keras
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from tb_scopes_plugin import cli, summary


def tf_keras_siamese(logdir, log_names):
    """A tf_keras model calling one Dense on two inputs, fit with the callback writing its op graph."""
    a, b = tf_keras.Input((4,)), tf_keras.Input((4,))
    shared = tf_keras.layers.Dense(3, name="shared")
    merged = tf_keras.layers.Concatenate()([shared(a), shared(b)])
    model = tf_keras.Model([a, b], tf_keras.layers.Dense(1, name="head")(merged))
    model.compile("adam", "mse")
    # tf_keras writes the train function's op graph only when batch hooks run (write_steps_per_second).
    callback = tf_keras.callbacks.TensorBoard(logdir, write_graph=True, write_steps_per_second=True)
    model.fit([np.zeros((8, 4))] * 2, np.zeros((8, 1)), epochs=1, verbose=0, callbacks=[callback])
    if log_names:
        with tf.summary.create_file_writer(os.path.join(logdir, "train")).as_default():
            return summary.variables(model.train_function, step=0)
    return None


@pytest.fixture(scope="module")
def tf_keras_runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("summary_api")
    recorded = tf_keras_siamese(str(root / "named"), log_names=True)
    tf_keras_siamese(str(root / "derived"), log_names=False)
    reports, problems = cli.load_reports(str(root))
    assert problems == []
    return recorded, {(r.ref.run, r.ref.source): r for r in reports}


def test_it_records_every_captured_variable_of_the_train_function(tf_keras_runs):
    recorded, _ = tf_keras_runs
    # 4 weights, Adam's m and v for each, its iteration and learning rate, the loss metric's total and count
    assert recorded == 4 + 8 + 2 + 2 + 1


def test_the_op_graph_shows_real_names_under_their_layers(tf_keras_runs):
    _, reports = tf_keras_runs
    named = reports[("named/train", "run_graph")]
    assert not named.names_derived and [w.kind for w in named.warnings] == []
    by_name = {v.name: v for v in named.variables}
    assert sorted(by_name) == ["head/bias", "head/kernel", "shared/bias", "shared/kernel"]
    kernel = by_name["shared/kernel"]
    assert kernel.owner_scope == "model/shared"  # the layer's scope in the graph
    assert kernel.shape == [4, 3] and kernel.var.trainable is True
    assert {key: use.status for key, use in kernel.uses.items()} == {
        "model/shared": "created",
        "model/shared (call 2)": "reused",
    }
    assert named.total_params == 4 * 3 + 3 + 6 + 1
    assert "Adam/m/shared/kernel" in {v.name for v in named.machinery}


def test_without_the_api_the_same_graph_has_derived_names_and_says_so(tf_keras_runs):
    _, reports = tf_keras_runs
    derived = reports[("derived/train", "run_graph")]
    assert derived.names_derived and [w.kind for w in derived.warnings] == ["derived_names"]
    # The second model built in this process is `model_1`: the graph's names, as TF gave them.
    assert sorted(v.name for v in derived.variables) == [
        "model_1/head/bias",
        "model_1/head/kernel",
        "model_1/shared/bias",
        "model_1/shared/kernel",
    ]
    assert derived.total_params == 22  # shapes come from the reads' _output_shapes


def test_it_takes_a_concrete_function_and_writes_a_blob_with_data_class(tmp_path):
    layer = tf.keras.layers.Dense(2, name="probe")
    layer.build((None, 3))
    fn = tf.function(lambda x: layer(x)).get_concrete_function(tf.TensorSpec((None, 3)))
    with tf.summary.create_file_writer(str(tmp_path)).as_default():
        assert summary.variables(fn, name="probe_fn", step=3) == 2
    acc = EventAccumulator(str(tmp_path), size_guidance={"tensors": 0})
    acc.Reload()
    assert acc.Tags()["tensors"] == ["variables/probe_fn"]
    meta = acc.SummaryMetadata("variables/probe_fn")
    assert meta.plugin_data.plugin_name == "scopes" and meta.data_class == 3  # DATA_CLASS_BLOB_SEQUENCE


def test_without_a_default_writer_it_says_so():
    fn = tf.function(lambda x: x + 1).get_concrete_function(tf.TensorSpec(()))
    with pytest.raises(RuntimeError, match="no default summary writer"):
        summary.variables(fn)


def test_placeholder_keys_match_as_traces_serialise_them():
    assert summary.placeholder_key("model/dense/MatMul/ReadVariableOp/resource") == (
        summary.placeholder_key("model_dense_matmul_readvariableop_resource")
    )


def normalized_dense_trace(logdir, weights):
    """A Keras 3 model opening with Normalization, as keras.applications' EfficientNet does: its
    statistics are variables of the model, read in its traced step as constants folded at build.
    Returns (captured variables recorded, the model's weight paths)."""
    import keras

    inp = keras.Input((4,))
    model = keras.Model(inp, keras.layers.Dense(2, name="head")(keras.layers.Normalization(name="norm")(inp)))
    step = tf.function(lambda x: model(x, training=False))
    writer = tf.summary.create_file_writer(logdir)
    tf.summary.trace_on(graph=True)
    step(tf.zeros((2, 4)))
    with writer.as_default():
        tf.summary.trace_export("step", step=0)
        recorded = summary.variables(step, step=0, weights=model.weights if weights else None)
    writer.close()
    return recorded, [w.path for w in model.weights]


def in_own_process(builder, *args):
    """`builder(*args)`, a function of this module, in a fresh process; its JSON result. TensorFlow's
    tracing state is global to a process, and a trace exported after other tests' fits held their
    function graphs too (90 of them)."""
    code = (
        "import json\n"
        f"from tests.test_summary_api import {builder.__name__}\n"
        f"print(json.dumps({builder.__name__}(*{args!r})))\n"
    )
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def traced_in_own_process(logdir, weights):
    return in_own_process(normalized_dense_trace, str(logdir), weights)


def test_weights_the_traced_step_never_reads_are_named_in_a_warning(tmp_path):
    recorded, paths = traced_in_own_process(tmp_path / "with", weights=True)
    assert sorted(p for p in paths if p.startswith("norm/")) == ["norm/count", "norm/mean", "norm/variance"]
    traced_in_own_process(tmp_path / "without", weights=False)
    reports, problems = cli.load_reports(str(tmp_path))
    assert problems == []
    by_run = {r.ref.run: r for r in reports}
    report = by_run["with"]
    assert recorded == 2  # the step captures the head's kernel and bias only
    assert sorted(v.name for v in report.variables) == ["head/bias", "head/kernel"]
    warned = {w.kind: w.message for w in report.warnings}
    assert set(warned) == {"unread_weights"}, warned
    assert warned["unread_weights"] == (
        "3 of the model's weights are never read by this graph "
        "(norm/count, norm/mean, norm/variance), so they are not in the report"
    )
    # Without `weights=`, the same graph names its two variables and says nothing of the others.
    assert [w.kind for w in by_run["without"].warnings] == []


def subclassed_copies_trace(logdir):
    """A Keras 3 subclassed siamese model with its encoder copied (the bug), built on its first
    call: its tf.Variables are all named after the model (`ksiamese/kernel`), its weights' paths
    after their layers. Returns the paths."""
    import keras

    class Siamese(keras.Model):
        def __init__(self):
            super().__init__(name="ksiamese")
            self.enc, self.enc_copy = (
                keras.layers.Dense(8, name="enc"),
                keras.layers.Dense(8, name="enc_copy"),
            )
            self.head = keras.layers.Dense(1, name="head")

        def call(self, a, b):
            return self.head(self.enc(a) - self.enc_copy(b))

    model = Siamese()
    step = tf.function(lambda a, b: model(a, b))
    writer = tf.summary.create_file_writer(logdir)
    tf.summary.trace_on(graph=True)
    step(tf.zeros((2, 4)), tf.ones((2, 4)))
    with writer.as_default():
        tf.summary.trace_export("step", step=0)
        summary.variables(step, step=0, weights=model.weights)
    writer.close()
    return sorted(w.path for w in model.weights)


def test_keras_weights_are_named_by_their_path_not_their_tf_variable(tmp_path):
    paths = in_own_process(subclassed_copies_trace, str(tmp_path))
    assert "ksiamese/enc/kernel" in paths and len(paths) == 6
    (report,), problems = cli.load_reports(str(tmp_path))
    assert problems == []
    assert sorted(v.name for v in report.variables) == paths
    assert {v.name: v.owner_scope for v in report.variables}["ksiamese/enc/kernel"] == "ksiamese/enc"
    (bug,) = [f for f in report.findings if f.confidence == "high"]
    assert sorted(bug.variables) == [p for p in paths if "/enc" in p]


def test_records_that_are_not_ours_are_skipped():
    """Records come from event files, untrusted: a value that is not a record renames nothing."""
    from tb_scopes_plugin import naming
    from tb_scopes_plugin.adapters import tf_graphdef

    layer = tf.keras.layers.Dense(2, name="probe")
    layer.build((None, 3))
    fn = tf.function(lambda x: layer(x)).get_concrete_function(tf.TensorSpec((None, 3)))
    model = tf_graphdef.load_graph_def(fn.graph.as_graph_def().SerializeToString())
    placeholders = [summary.placeholder_key(v.aliases[0]) for v in model.variables if v.aliases]
    records = {key: ["not", "a", "record"] for key in placeholders}
    records |= {"unread:odd": "text", "unread:norm/mean": {"name": "norm/mean"}}
    assert naming.apply(model, records) == 0
    assert [w.kind for w in model.warnings] == ["derived_names", "unread_weights"]
    assert "(norm/mean)" in model.warnings[-1].message
