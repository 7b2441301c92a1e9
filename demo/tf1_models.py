"""TF1-style graphs that share variables in every common way (and one that forgets to).

Each builder adds one small model to the current default graph and returns a `Built`:
its loss, a train op, and a function that makes a synthetic feed. The demo trains them
(demo/train.py); the tests build the same graphs and check what the plugin says of them.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import tensorflow as tf

v1 = tf.compat.v1

IN = 10  # input width of every model


@dataclass
class Built:
    loss: tf.Tensor  # scalar loss to minimise and log
    train_op: tf.Operation  # one optimisation step
    feed: Callable[[np.random.Generator], dict]  # synthetic batch for the placeholders


def _inputs(out_dim):
    x = v1.placeholder(tf.float32, [None, IN], name="x")
    y = v1.placeholder(tf.float32, [None, out_dim], name="y")

    def feed(rng, batch=16):
        xs = rng.normal(size=(batch, IN)).astype("float32")
        # A fixed linear target, so that the loss really goes down.
        target = np.tanh(xs @ np.linspace(-1, 1, IN * out_dim).reshape(IN, out_dim).astype("float32"))
        return {x: xs, y: target}

    return x, y, feed


def _mse(pred, y):
    with tf.name_scope("loss"):
        return tf.reduce_mean(tf.square(pred - y))


def _train(loss, lr=0.01, var_list=None):
    return v1.train.AdamOptimizer(lr).minimize(loss, var_list=var_list)


def dense(x, units, use_resource=None, stddev=0.1):
    """A dense layer made of get_variable calls, in whatever variable scope is current."""
    w = v1.get_variable(
        "weights",
        [x.shape[1], units],
        initializer=v1.random_normal_initializer(0, stddev),
        use_resource=use_resource,
    )
    b = v1.get_variable("bias", [units], initializer=v1.zeros_initializer(), use_resource=use_resource)
    return tf.matmul(x, w) + b


def article_name_scopes():
    """Article example 1: name scopes group ops but do not prefix variables (`w`, not `layer1/w`)."""
    x, y, feed = _inputs(1)
    with tf.name_scope("layer1"):
        w = v1.get_variable("w", [IN, 1], use_resource=False)
        h = tf.matmul(x, w, name="mult_xw")
    with tf.name_scope("layer2"):
        out = tf.add(h, tf.constant(1.0, name="input_d"), name="sum_hd")
    loss = _mse(out, y)
    return Built(loss, _train(loss), feed)


def _article_dense(inputs, units, reuse=False):
    with v1.variable_scope("dense", reuse=reuse):
        return dense(inputs, units, use_resource=False)


def article_reuse():
    """Article example 2: `dense` re-entered with reuse=True; its ops land in name scope `dense_1`."""
    x, y, feed = _inputs(5)
    first = _article_dense(x, 5)
    second = _article_dense(x * 2.0, 5, reuse=True)
    loss = _mse(first + second, y)
    return Built(loss, _train(loss), feed)


def _sub_layer(inputs, units, scope_name):
    with v1.variable_scope(scope_name):
        w = v1.get_variable("weights", [inputs.shape[1], units], use_resource=False)
        return tf.matmul(inputs, w)


def article_nested():
    """Article example 3, fixed: nested scopes, `sub_3` re-entered through its scope object."""
    x, y, feed = _inputs(10)
    with v1.variable_scope("main_scope"):
        a = _sub_layer(x, 5, "sub_1")
        b = _sub_layer(x, 3, "sub_2")
        with v1.variable_scope("sub_3") as sub3_scope:
            c = _sub_layer(x, 2, "inner")
        with v1.variable_scope(sub3_scope, reuse=True):
            d = _sub_layer(x, 2, "inner")
    loss = _mse(tf.concat([a, b, c], axis=1) + tf.pad(d, [[0, 0], [0, 8]]), y)
    return Built(loss, _train(loss), feed)


def make_template():
    """tf.compat.v1.make_template called three times: one set of variables, three call sites."""
    x, y, feed = _inputs(4)
    scale = v1.make_template("scale", lambda t: dense(t, 4))
    out = scale(x) + scale(x * 0.5) + scale(-x)
    loss = _mse(out, y)
    return Built(loss, _train(loss), feed)


def gan():
    """TF1 GAN with ref variables: the discriminator is applied to real and fake data with reuse."""
    x, _, feed = _inputs(1)
    z = v1.placeholder_with_default(tf.zeros([16, 4]), [None, 4], name="z")

    def generator(noise):
        with v1.variable_scope("generator"):
            with v1.variable_scope("hidden"):
                h = tf.nn.relu(dense(noise, 16, use_resource=False))
            with v1.variable_scope("out"):
                return dense(h, IN, use_resource=False)

    def discriminator(data, reuse=False):
        with v1.variable_scope("discriminator", reuse=reuse):
            with v1.variable_scope("hidden"):
                h = tf.nn.leaky_relu(dense(data, 16, use_resource=False))
            with v1.variable_scope("out"):
                return dense(h, 1, use_resource=False)

    fake = generator(z + v1.random_normal([16, 4]))
    d_real = discriminator(x)
    d_fake = discriminator(fake, reuse=True)
    xent = tf.nn.sigmoid_cross_entropy_with_logits
    with tf.name_scope("d_loss"):
        d_loss = tf.reduce_mean(xent(labels=tf.ones_like(d_real), logits=d_real)) + tf.reduce_mean(
            xent(labels=tf.zeros_like(d_fake), logits=d_fake)
        )
    with tf.name_scope("g_loss"):
        g_loss = tf.reduce_mean(xent(labels=tf.ones_like(d_fake), logits=d_fake))
    d_vars = v1.get_collection(v1.GraphKeys.TRAINABLE_VARIABLES, scope="discriminator")
    g_vars = v1.get_collection(v1.GraphKeys.TRAINABLE_VARIABLES, scope="generator")
    d_step = v1.train.AdamOptimizer(1e-3, name="d_adam").minimize(d_loss, var_list=d_vars)
    g_step = v1.train.AdamOptimizer(1e-3, name="g_adam").minimize(g_loss, var_list=g_vars)
    return Built(d_loss + g_loss, tf.group(d_step, g_step), feed)


def rnn_unrolled(steps=4):
    """A recurrent cell unrolled over time: one `cell` scope, entered with AUTO_REUSE at every step."""
    x, y, feed = _inputs(8)
    state = tf.zeros([tf.shape(x)[0], 8])
    for _ in range(steps):
        with v1.variable_scope("cell", reuse=v1.AUTO_REUSE):
            state = tf.tanh(dense(tf.concat([x, state], axis=1), 8))
    loss = _mse(state, y)
    return Built(loss, _train(loss), feed)


def rnn_while_loop(steps=4):
    """The same recurrence inside tf.while_loop: the body reads the weights through the While op."""
    x, y, feed = _inputs(8)
    with v1.variable_scope("cell"):
        w = v1.get_variable("weights", [IN + 8, 8])
        b = v1.get_variable("bias", [8], initializer=v1.zeros_initializer())

    def body(i, state):
        return i + 1, tf.tanh(tf.matmul(tf.concat([x, state], axis=1), w) + b)

    _, final = tf.while_loop(lambda i, s: i < steps, body, [tf.constant(0), tf.zeros([tf.shape(x)[0], 8])])
    loss = _mse(final, y)
    return Built(loss, _train(loss), feed)


def tied_embeddings(vocab=50, dim=8):
    """Tied input and output embeddings: one matrix read by a gather and by the output projection."""
    tokens = v1.placeholder(tf.int32, [None], name="tokens")
    targets = v1.placeholder(tf.int32, [None], name="targets")

    def feed(rng, batch=16):
        t = rng.integers(0, vocab, size=batch).astype("int32")
        return {tokens: t, targets: (t + 1) % vocab}

    with v1.variable_scope("embedding"):
        table = v1.get_variable("weights", [vocab, dim])
    with tf.name_scope("encoder"):
        h = tf.nn.embedding_lookup(table, tokens)
        with v1.variable_scope("hidden"):
            h = tf.tanh(dense(h, dim))
    with tf.name_scope("decoder"):
        logits = tf.matmul(h, table, transpose_b=True)
    with tf.name_scope("loss"):
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=targets, logits=logits))
    return Built(loss, _train(loss), feed)


def _tower(x):
    # A wider init than the other models: two independent copies then start out disagreeing, so the
    # siamese_bug loss starts high and stays above siamese_fixed's in the Scalars tab (a shared tower
    # maps x and x2 = x + noise to nearly the same point from step 0).
    with v1.variable_scope("hidden"):
        h = tf.nn.relu(dense(x, 8, stddev=0.5))
    with v1.variable_scope("embed"):
        return dense(h, 4, stddev=0.5)


def _siamese(tower_scope):
    x, _, base_feed = _inputs(1)
    x2 = v1.placeholder(tf.float32, [None, IN], name="x2")
    left = tower_scope(lambda: _tower(x))
    right = tower_scope(lambda: _tower(x2))
    with tf.name_scope("loss"):
        # Pull each pair together: a shared tower learns an embedding; two copies chase each other.
        loss = tf.reduce_mean(tf.square(left - right)) + 0.1 * tf.reduce_mean(tf.square(left - 1.0))

    def feed(rng, batch=16):
        f = base_feed(rng, batch)
        f[x2] = f[x] + rng.normal(scale=0.1, size=f[x].shape).astype("float32")
        return {x: f[x], x2: f[x2]}

    return Built(loss, _train(loss), feed)


def siamese_bug():
    """The bug: two towers meant to share weights, each built in a fresh auto-named scope."""

    def fresh_scope(build):
        with v1.variable_scope(None, default_name="tower"):
            return build()

    return _siamese(fresh_scope)


def siamese_fixed():
    """The fix: both towers enter the same variable scope with AUTO_REUSE."""

    def shared_scope(build):
        with v1.variable_scope("tower", reuse=v1.AUTO_REUSE):
            return build()

    return _siamese(shared_scope)


def deep_mlp(depth=5, width=16):
    """A deep stack of alike layers: look-alike variables that are rightly not shared."""
    x, y, feed = _inputs(1)
    h = x
    for _ in range(depth):
        with v1.variable_scope(None, default_name="layer"):
            h = tf.nn.relu(dense(h, width))
    with v1.variable_scope("head"):
        out = dense(h, 1)
    loss = _mse(out, y)
    return Built(loss, _train(loss), feed)


# Every TF1 pattern, by the run name the demo and the tests give it.
PATTERNS = {
    "article_name_scopes": article_name_scopes,
    "article_reuse": article_reuse,
    "article_nested": article_nested,
    "make_template": make_template,
    "gan": gan,
    "rnn_unrolled": rnn_unrolled,
    "rnn_while_loop": rnn_while_loop,
    "tied_embeddings": tied_embeddings,
    "siamese_bug": siamese_bug,
    "siamese_fixed": siamese_fixed,
    "deep_mlp": deep_mlp,
}
