"""The siamese bug (two towers meant to share weights, each with its own copy) in every logging
style, each beside its correct twin (one set of weights, called on both inputs).

TF1 with auto-named scopes (`tower`, `tower_1`), TF1 with towers named `left` and `right`
(names are not the criterion), TF1 and Keras 3 towers scored batch against batch (`a @ b^T`,
the transpose one op more on one side), TF1 towers on the two halves of one `tf.data` batch, a TF1 GAN
whose discriminator is built a second time for the generated batch, and its Keras 3 twin (one
function making the discriminator twice), Keras 3 layers built twice, a TF2 trace of two
towers, and the auto-named TF1 bug logged with `tf.summary.graph`.
"""

import os

import keras
import numpy as np
import tensorflow as tf

from tests.realmodels import tracing, truth

v1 = tf.compat.v1


def tf1_tower(x, scope, reuse=None):
    with v1.variable_scope(scope, default_name=None if scope else "tower", reuse=reuse):
        h = tf.nn.relu(tf.matmul(x, v1.get_variable("hidden/w", [10, 8])) + v1.get_variable("hidden/b", [8]))
        return tf.matmul(h, v1.get_variable("out/w", [8, 4])) + v1.get_variable("out/b", [4])


def tf1_graph(scopes, reuse, in_batch=False):
    """Two towers on two inputs whose distance is the loss, or scored batch against batch as
    contrastive training does (`left @ right^T`); returns (graph, variables, calls)."""
    graph = tf.Graph()
    with graph.as_default():
        a, b = v1.placeholder(tf.float32, [None, 10], "a"), v1.placeholder(tf.float32, [None, 10], "b")
        left = tf1_tower(a, scopes[0])
        right = tf1_tower(b, scopes[1], reuse=v1.AUTO_REUSE if reuse else None)
        if in_batch:
            loss = tf.reduce_mean(tf.matmul(left, tf.transpose(right)))
        else:
            loss = tf.reduce_mean(tf.square(left - right))
        v1.train.AdamOptimizer(1e-3).minimize(loss)
        variables = v1.trainable_variables()
    calls = {v.op.name: 2 for v in variables} if reuse else {}
    return graph, variables, calls


def tf1_iterator_graph(reuse):
    """Two towers on `a, b = iterator.get_next()`: two outputs of one op, two different inputs."""
    graph = tf.Graph()
    with graph.as_default():
        pairs = tf.data.Dataset.from_tensors((np.zeros((2, 10), "float32"), np.ones((2, 10), "float32")))
        a, b = v1.data.make_one_shot_iterator(pairs.repeat()).get_next()
        left = tf1_tower(a, "tower")
        right = tf1_tower(b, "tower" if reuse else "tower_b", reuse=True if reuse else None)
        v1.train.AdamOptimizer(1e-3).minimize(tf.reduce_mean(tf.square(left - right)))
        variables = v1.trainable_variables()
    return graph, variables, ({v.op.name: 2 for v in variables} if reuse else {})


def tf1_gan_graph(reuse):
    """A GAN: the discriminator scores the real batch, then the generator's; without reuse its
    second call builds a copy (`discriminator_1`), whose input has the generator upstream."""

    def dense(x, name, n_in, n_out):
        w, b = v1.get_variable(f"{name}/w", [n_in, n_out]), v1.get_variable(f"{name}/b", [n_out])
        return tf.matmul(x, w) + b

    def discriminator(x, reuse):
        with v1.variable_scope(None if not reuse else "discriminator", "discriminator", reuse=reuse):
            return dense(tf.nn.leaky_relu(dense(x, "h1", 8, 16)), "logit", 16, 1)

    graph = tf.Graph()
    with graph.as_default():
        z, real = v1.placeholder(tf.float32, [None, 4], "z"), v1.placeholder(tf.float32, [None, 8], "real")
        with v1.variable_scope("generator"):
            fake = dense(tf.nn.relu(dense(z, "h1", 4, 16)), "out", 16, 8)
        d_real = discriminator(real, reuse=None)
        d_fake = discriminator(fake, reuse=True if reuse else None)
        ce = tf.nn.sigmoid_cross_entropy_with_logits
        d_loss = tf.reduce_mean(ce(labels=tf.ones_like(d_real), logits=d_real)) + tf.reduce_mean(
            ce(labels=tf.zeros_like(d_fake), logits=d_fake)
        )
        v1.train.AdamOptimizer(1e-3).minimize(d_loss)
        variables = v1.trainable_variables()
    calls = {v.op.name: 2 for v in variables if v.op.name.startswith("discriminator/")} if reuse else {}
    return graph, variables, calls


def log_tf1(logdir, run, graph):
    with graph.as_default():
        v1.summary.FileWriter(os.path.join(logdir, run), graph).close()


def keras_towers(logdir, run, shared, in_batch=False):
    """Two stacks of Dense layers on two inputs, or one stack called on both; their outputs
    subtracted, or scored batch against batch (`ops.matmul(ya, ops.transpose(yb))`)."""
    a, b = keras.Input((10,)), keras.Input((10,))

    def stack():
        return [keras.layers.Dense(8, activation="relu"), keras.layers.Dense(4)]

    first = stack()
    second = first if shared else stack()
    ya, yb = a, b
    for layer in first:
        ya = layer(ya)
    for layer in second:
        yb = layer(yb)
    if in_batch:
        model = keras.Model([a, b], keras.ops.matmul(ya, keras.ops.transpose(yb)))
    else:
        distance = keras.layers.Subtract()([ya, yb])
        model = keras.Model([a, b], keras.layers.Dense(1, name="head")(distance))
    model.compile("adam", "mse")
    callback = keras.callbacks.TensorBoard(os.path.join(logdir, run), write_graph=True)
    scores = np.zeros((2, 2) if in_batch else (2, 1))
    model.fit([np.zeros((2, 10))] * 2, scores, epochs=1, verbose=0, callbacks=[callback])
    # Without a head, every weight of the two stacks is a copy: 8, not all but the head's 2.
    copies = 8 if in_batch and not shared else None
    return truth.keras(model, f"{run}/train", "keras_model", "keras", bug=not shared, copies=copies)


def keras_gan(logdir, run, shared):
    """A GAN in one Keras model: a discriminator scores the real batch and the generator's. Built
    by one function called twice (the bug), the two discriminators are two Sequential instances,
    whose Dense layers Keras numbers apart (`sequential/dense_2`, `sequential_1/dense_4`)."""

    def discriminator():
        return keras.Sequential(
            [keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)]
        )

    z, real = keras.Input((4,), name="z"), keras.Input((8,), name="real")
    generator = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(8)],
        name="generator",
    )
    d_real = discriminator()
    d_fake = d_real if shared else discriminator()
    scores = keras.layers.Concatenate(name="scores")([d_real(real), d_fake(generator(z))])
    model = keras.Model([z, real], scores)
    model.compile("adam", "mse")
    callback = keras.callbacks.TensorBoard(os.path.join(logdir, run), write_graph=True)
    model.fit(
        [np.zeros((2, 4)), np.zeros((2, 8))], np.zeros((2, 2)), epochs=1, verbose=0, callbacks=[callback]
    )
    # The copies are the discriminator's 4 weights twice; the generator's 4 are no copy.
    return truth.keras(
        model, f"{run}/train", "keras_model", "keras", bug=not shared, copies=None if shared else 8
    )


def tf2_trace(logdir, run, shared):
    towers = [[tf.keras.layers.Dense(8, activation="relu"), tf.keras.layers.Dense(4)] for _ in range(2)]
    if shared:
        towers[1] = towers[0]
    optimizer = keras.optimizers.SGD(0.1)

    def apply(tower, x):
        for layer in tower:
            x = layer(x)
        return x

    a, b = tf.zeros((2, 10)), tf.ones((2, 10))
    apply(towers[0], a), apply(towers[1], b)  # build the layers
    weights = (
        towers[0][0].weights
        + towers[0][1].weights
        + ([] if shared else towers[1][0].weights + towers[1][1].weights)
    )

    @tf.function
    def train_step(a, b):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(apply(towers[0], a) - apply(towers[1], b)))
        optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights, strict=True))
        return loss

    tracing.export_trace(logdir, run, train_step, a, b)
    variables = {
        f"weight_{n}": {"shape": [int(d) for d in w.shape], "calls": 2 if shared else 1}
        for n, w in enumerate(weights)
    }
    params = sum(int(np.prod(w.shape)) for w in weights)
    return truth.entry(run, "trace", "tf2", variables, params, not shared, "derived")


def build(logdir):
    truths = {}
    for run, scopes, reuse in (
        ("tf1_auto_scopes_bug", (None, None), False),
        ("tf1_auto_scopes_fixed", ("tower", "tower"), True),
        ("tf1_named_towers_bug", ("left", "right"), False),
    ):
        graph, variables, calls = tf1_graph(scopes, reuse)
        log_tf1(logdir, run, graph)
        truths[run] = truth.tf1(variables, run, "tf1", calls, bug=not reuse)
    for run, reuse in (("tf1_in_batch_bug", False), ("tf1_in_batch_fixed", True)):
        graph, variables, calls = tf1_graph(
            ("tower", "tower") if reuse else (None, None), reuse, in_batch=True
        )
        log_tf1(logdir, run, graph)
        truths[run] = truth.tf1(variables, run, "tf1", calls, bug=not reuse)
    for run, reuse in (("tf1_iterator_towers_bug", False), ("tf1_iterator_towers_fixed", True)):
        graph, variables, calls = tf1_iterator_graph(reuse)
        log_tf1(logdir, run, graph)
        truths[run] = truth.tf1(variables, run, "tf1", calls, bug=not reuse)
    for run, reuse in (("tf1_gan_bug", False), ("tf1_gan_fixed", True)):
        graph, variables, calls = tf1_gan_graph(reuse)
        log_tf1(logdir, run, graph)
        # The copies are the discriminator's 4 weights twice; the generator's 4 are no copy.
        truths[run] = truth.tf1(variables, run, "tf1", calls, bug=not reuse, copies=None if reuse else 8)
    graph, variables, _ = tf1_graph((None, None), False)
    writer = tf.summary.create_file_writer(os.path.join(logdir, "summary_graph_bug"))
    with writer.as_default():
        tf.summary.graph(graph.as_graph_def())
    writer.close()
    truths["summary_graph_bug"] = truth.tf1(variables, "summary_graph_bug", "tf2", bug=True)
    truths["keras_towers_bug"] = keras_towers(logdir, "keras_towers_bug", shared=False)
    truths["keras_towers_fixed"] = keras_towers(logdir, "keras_towers_fixed", shared=True)
    truths["tf2_trace_bug"] = tf2_trace(logdir, "tf2_trace_bug", shared=False)
    truths["tf2_trace_fixed"] = tf2_trace(logdir, "tf2_trace_fixed", shared=True)
    truths["keras_gan_bug"] = keras_gan(logdir, "keras_gan_bug", shared=False)
    truths["keras_gan_fixed"] = keras_gan(logdir, "keras_gan_fixed", shared=True)
    # Last: Keras numbers layers across the process, and the runs above keep their recorded names.
    truths["keras_in_batch_bug"] = keras_towers(logdir, "keras_in_batch_bug", shared=False, in_batch=True)
    truths["keras_in_batch_fixed"] = keras_towers(logdir, "keras_in_batch_fixed", shared=True, in_batch=True)
    return truths
