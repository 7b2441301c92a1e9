"""Two different sub-models with layers of one name, on two inputs: a dual encoder, not a bug.

Keras 3 names a weight by its path within its sub-model, so the text and image encoders of a
dual encoder (keras_hub's CLIP) give pairs of weights one name, and a trace without shapes
shows two towers of one structure meeting again, as copies meant to be one would. Found by a
hunt over models outside the corpus (2026-12-04). Each run is traced in a process of its own,
since TensorFlow's tracing state is global.
"""

import os
import subprocess
import sys

import pytest

pytest.importorskip("keras")

from tb_scopes_plugin import cli  # noqa: E402

SCRIPT = r"""
import sys
import keras
import tensorflow as tf
from tb_scopes_plugin import summary

def encoder(dim_in, width, name):
    x = keras.Input((dim_in,))
    h = keras.layers.Dense(width, activation="relu", name="hidden")(x)
    return keras.Model(x, keras.layers.Dense(8, name="proj")(h), name=name)

text, image = encoder(10, 16, "text_encoder"), encoder(12, 24, "image_encoder")
a, b = keras.Input((10,)), keras.Input((12,))
model = keras.Model([a, b], keras.layers.Dot(axes=1)([text(a), image(b)]))
optimizer = keras.optimizers.Adam()

@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model([x, y], training=True)))
    optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
    return loss

writer = tf.summary.create_file_writer(sys.argv[1])
tf.summary.trace_on(graph=True)
train_step(tf.zeros((2, 10)), tf.zeros((2, 12)))
with writer.as_default():
    tf.summary.trace_export("train_step", step=0)
    if sys.argv[2] == "weights":
        summary.variables(train_step, step=0, weights=model.weights)
    elif sys.argv[2] == "names":
        summary.variables(train_step, step=0)
writer.close()
"""


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    root = tmp_path_factory.mktemp("two_towers")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "KERAS_BACKEND": "tensorflow"}
    for logged in ("weights", "names", "nothing"):
        cmd = [sys.executable, "-c", SCRIPT, str(root / logged), logged]
        subprocess.run(cmd, check=True, env=env, timeout=300)
    found, problems = cli.load_reports(str(root))
    assert problems == []
    return {r.ref.run: r for r in found}


def test_with_the_weights_each_is_named_by_its_sub_model_and_nothing_is_a_bug(reports):
    report = reports["weights"]
    names = sorted(v.name for v in report.variables)
    assert names == [
        f"{tower}_1/{layer}/{weight}"
        for tower in ("image_encoder", "text_encoder")
        for layer in ("hidden", "proj")
        for weight in ("bias", "kernel")
    ]
    kernel = next(v for v in report.variables if v.name == "text_encoder_1/hidden/kernel")
    assert kernel.shape == [10, 16] and "hidden/kernel" in kernel.var.aliases
    assert report.findings == []
    # The optimizer's slots, filled by a one-off function on the first step, are not another step.
    assert report.warnings == []


def test_with_names_alone_one_name_for_two_layers_is_a_note_not_the_auto_reuse_trap(reports):
    report = reports["names"]
    assert sorted(v.name for v in report.variables).count("hidden/kernel") == 2
    assert [f.severity for f in report.findings] == ["note"]
    (note,) = report.findings
    assert note.kind == "same_name_distinct_variables"
    assert note.variables == ["hidden/bias", "hidden/kernel", "proj/bias", "proj/kernel"]
    assert note.message.startswith("4 names are each held by variables of different layers")


def test_without_shapes_two_towers_of_one_structure_are_a_note_not_a_bug(reports):
    report = reports["nothing"]
    assert report.names_derived and all(v.shape is None for v in report.variables)
    assert [f.severity for f in report.findings] == ["note"]
    (note,) = report.findings
    assert note.kind == "possible_missed_sharing" and len(note.variables) == 8
    assert "the graph records no shapes to tell copies from towers of different sizes" in note.message
