"""keras.applications (Keras 3) through the Keras TensorBoard callback, and a shared nested model.

Models are built from keras.applications' own code with `weights=None` and the smallest
inputs each accepts; one training step on zeros writes the callback's model graph.
"""

import os

import keras
import numpy as np
import tensorflow as tf

from tests.realmodels import tracing, truth

APPS = {
    "keras_resnet50": ("ResNet50", (32, 32, 3), {}),
    "keras_inception_v3": ("InceptionV3", (75, 75, 3), {}),
    "keras_mobilenet_v2": ("MobileNetV2", (32, 32, 3), {"alpha": 0.35}),
    # NASNet's cells run alike separable convs on one input: a stock model full of look-alikes.
    "keras_nasnet_mobile": ("NASNetMobile", (32, 32, 3), {}),
}


def fit_once(model, inputs, logdir):
    model.compile("adam", "mse")
    out = np.zeros((2, *model.output_shape[1:]), "float32")
    callback = keras.callbacks.TensorBoard(logdir, write_graph=True)
    model.fit(inputs, out, epochs=1, verbose=0, callbacks=[callback])


def nested_siamese():
    """A small convolutional sub-model applied to two inputs: every weight is shared, two calls."""
    inp = keras.Input((16, 16, 3))
    x = keras.layers.Conv2D(4, 3, name="conv")(inp)
    x = keras.layers.BatchNormalization(name="bn")(x)
    base = keras.Model(inp, keras.layers.GlobalAveragePooling2D()(x), name="encoder")
    a, b = keras.Input((16, 16, 3)), keras.Input((16, 16, 3))
    diff = keras.layers.Subtract()([base(a), base(b)])
    return keras.Model([a, b], keras.layers.Dense(1, name="head")(diff))


def recurrent():
    """An LSTM and a GRU: their weights are their cell sublayers' (`lstm/lstm_cell/kernel`)."""
    inp = keras.Input((6, 4))
    x = keras.layers.GRU(3, name="gru")(keras.layers.LSTM(5, return_sequences=True, name="lstm")(inp))
    return keras.Model(inp, keras.layers.Dense(2, name="head")(x))


def self_attention():
    """One MultiHeadAttention block: its four projections are sublayers (`mha/query/kernel`)."""
    inp = keras.Input((6, 8))
    x = keras.layers.MultiHeadAttention(2, 4, name="mha")(inp, inp)
    x = keras.layers.LayerNormalization(name="norm")(x + inp)
    return keras.Model(inp, keras.layers.Dense(2, name="head")(keras.layers.GlobalAveragePooling1D()(x)))


def wrappers():
    """Bidirectional and TimeDistributed: their weights are the inner layers' (`bi/forward_lstm/...`)."""
    clips = keras.Input((5, 8, 8, 3))
    x = keras.layers.TimeDistributed(keras.layers.Conv2D(2, 3, name="conv"), name="frames")(clips)
    x = keras.layers.TimeDistributed(keras.layers.GlobalAveragePooling2D(), name="pool")(x)
    x = keras.layers.Bidirectional(keras.layers.LSTM(3, name="lstm"), name="bi")(x)
    return keras.Model(clips, keras.layers.Dense(2, name="head")(x))


def operations():
    """Keras 3 operations on a functional model's tensors (`keras.ops.tanh`, `x[:, 0]`), which the
    config records as layers of no weights, and keras.applications' InceptionResNetV2 scaled
    residual (`CustomScaleLayer`, weightless too)."""
    from keras.src.applications.inception_resnet_v2 import CustomScaleLayer

    inp = keras.Input((6, 4))
    x = keras.layers.Dense(4, name="dense")(inp)
    x = CustomScaleLayer(0.2, name="scaled")([inp, keras.ops.tanh(x)])
    return keras.Model(inp, keras.layers.Dense(2, name="head")(x[:, 0]))


SMALL = {
    "keras_nested_siamese": (nested_siamese, [np.zeros((2, 16, 16, 3), "float32")] * 2),
    "keras_recurrent": (recurrent, np.zeros((2, 6, 4), "float32")),
    "keras_self_attention": (self_attention, np.zeros((2, 6, 8), "float32")),
    "keras_wrappers": (wrappers, np.zeros((2, 5, 8, 8, 3), "float32")),
    "keras_operations": (operations, np.zeros((2, 6, 4), "float32")),
}


def trace_train_step(model, inputs, logdir, run):
    """What people log of a Keras 3 model's op graph: a traced training step (the callback writes
    only the config). Keras 3 steps an RNN cell once before its loop: one call, read twice."""
    optimizer = keras.optimizers.Adam(1e-3)
    target = tf.zeros((2, *model.output_shape[1:]))

    @tf.function
    def train_step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(x, training=True) - y))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
        return loss

    tracing.export_trace(logdir, run, train_step, tf.constant(inputs), target)


def build(logdir):
    truths = {}
    for name, (cls, shape, kwargs) in APPS.items():
        model = getattr(keras.applications, cls)(weights=None, input_shape=shape, classes=10, **kwargs)
        fit_once(model, np.zeros((2, *shape), "float32"), os.path.join(logdir, name))
        truths[name] = truth.keras(model, f"{name}/train", "keras_model", "keras")
    for name, (make, inputs) in SMALL.items():
        model = make()
        fit_once(model, inputs, os.path.join(logdir, name))
        truths[name] = truth.keras(model, f"{name}/train", "keras_model", "keras")
    model = recurrent()
    trace_train_step(model, np.zeros((2, 6, 4), "float32"), logdir, "keras_recurrent_trace")
    truths["keras_recurrent_trace"] = truth.keras(
        model, "keras_recurrent_trace", "trace", "keras", names="derived"
    )
    return truths
