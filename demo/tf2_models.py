"""TF2 logging styles: a Keras model with a shared layer (TensorBoard callback), a traced tf.function
logged with its real variable names, and eager TF1-style code caught in the AUTO_REUSE trap.

Each function trains or runs its model for real and writes its logs under `logdir`.
"""

import os

import keras
import numpy as np
import tensorflow as tf

from tb_scopes_plugin import summary


def keras_shared_layer(logdir, epochs=3, seed=0):
    """A functional model that applies one Dense layer to two inputs, fit with the TensorBoard callback.

    The callback writes the model graph (plugin `graph_keras_model`) and the losses under logdir/train.
    Beside it, `twin_a` and `twin_b` are two layers with one config applied in parallel: a copy
    that was probably meant to be the shared layer.
    """
    rng = np.random.default_rng(seed)
    left = keras.Input((8,), name="left")
    right = keras.Input((8,), name="right")
    shared = keras.layers.Dense(4, name="shared_dense")
    twin_a = keras.layers.Dense(4, name="twin_a")
    twin_b = keras.layers.Dense(4, name="twin_b")
    merged = keras.layers.Add(name="merge")([shared(left), shared(right), twin_a(left), twin_b(right)])
    model = keras.Model([left, right], keras.layers.Dense(1, name="head")(merged), name="siamese_keras")
    model.compile(optimizer="adam", loss="mse")
    xs = [rng.normal(size=(64, 8)).astype("float32") for _ in range(2)]
    ys = (xs[0] - xs[1]).sum(axis=1, keepdims=True)
    callback = keras.callbacks.TensorBoard(logdir, write_graph=True, histogram_freq=0)
    history = model.fit(xs, ys, epochs=epochs, batch_size=16, verbose=0, callbacks=[callback])
    return history.history["loss"]


def traced_function(logdir, steps=3, log_names=True):
    """A tf.function that calls one Keras Dense layer in two name scopes, logged with trace_export.

    Trace graphs carry no variable names: the captured weights appear as resource placeholders.
    With `log_names`, tb_scopes_plugin.summary records the real names next to the trace.
    """
    layer = keras.layers.Dense(4, name="dense")
    layer.build((None, 8))
    optimizer = keras.optimizers.SGD(0.05)

    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            with tf.name_scope("query"):
                q = layer(x)
            with tf.name_scope("key"):
                k = layer(y)
            loss = tf.reduce_mean(tf.square(q - k))
        grads = tape.gradient(loss, layer.trainable_variables)
        optimizer.apply_gradients(zip(grads, layer.trainable_variables, strict=True))
        return loss

    return train_traced(step, logdir, steps, shift=0.1, log_names=log_names)


def train_traced(step, logdir, steps, shift, log_names=True):
    """Run a tf.function training step on pairs (x, x + shift); trace its first call as `train_step`,
    with the real variable names when `log_names`, and log the loss per step."""
    writer = tf.summary.create_file_writer(logdir)
    rng = np.random.default_rng(0)
    losses = []
    for i in range(steps):
        x = tf.constant(rng.normal(size=(16, 8)).astype("float32"))
        if i == 0:
            tf.summary.trace_on(graph=True, profiler=False)
        loss = step(x, x + shift)
        with writer.as_default():
            if i == 0:
                tf.summary.trace_export("train_step", step=0)
                if log_names:
                    summary.variables(step, name="train_step", step=0)
            tf.summary.scalar("loss", loss, step=i)
        losses.append(float(loss))
    writer.flush()
    return losses


def tf1_tower(x):
    """TF1-style code run eagerly in TF2: AUTO_REUSE looks like sharing but is not.

    Without a variable store (tf.compat.v1.keras.utils.track_tf1_style_variables), eager
    get_variable makes a new variable on every call (tensorflow issues 45876 and 49155).
    """
    v1 = tf.compat.v1
    with v1.variable_scope("tower", reuse=v1.AUTO_REUSE):
        w = v1.get_variable("w", [8, 4], initializer=tf.random_normal_initializer(stddev=0.3, seed=1))
    return tf.tanh(x @ w), w


def auto_reuse_trap(logdir, steps=3):
    """Two towers meant to share `tower/w` through AUTO_REUSE, built eagerly: two variables of one name.

    The training step is a tf.function logged with trace_export and the real names.
    """
    _, w_left = tf1_tower(tf.zeros((1, 8)))
    _, w_right = tf1_tower(tf.zeros((1, 8)))  # the author believes this is w_left again
    weights = [w_left, w_right]
    optimizer = keras.optimizers.SGD(0.1)

    @tf.function
    def train_step(a, b):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(tf.tanh(a @ w_left) - tf.tanh(b @ w_right)))
        optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights, strict=True))
        return loss

    return train_traced(train_step, logdir, steps, shift=0.05)


if __name__ == "__main__":  # pragma: no cover - manual exploration
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    keras_shared_layer("/tmp/tb_scopes_keras")
    traced_function("/tmp/tb_scopes_trace")
