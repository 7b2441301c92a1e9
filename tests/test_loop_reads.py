"""A weight read both beside a loop and inside it is read by one call (analysis._join_loop_reads),
on function graphs traced by real TensorFlow: while_v2 bodies, nested, and scopes nested
without a loop between them, which stay separate calls."""

import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
tf = pytest.importorskip("tensorflow")

from tb_scopes_plugin import analysis  # noqa: E402
from tb_scopes_plugin.adapters import tf_graphdef  # noqa: E402


def uses_of(function, *specs):
    graph = function.get_concrete_function(*specs).graph.as_graph_def()
    result = analysis.analyse(tf_graphdef.load_graph(graph))
    return {v.name: sorted(v.uses) for v in result.variables}


def test_reads_in_nested_loop_bodies_join_the_read_beside_the_loop():
    w = tf.Variable(tf.ones([2, 2]), name="w")

    @tf.function
    def step(x):
        with tf.name_scope("cell"):  # a cell stepped once before the loop, as Keras does for shapes
            y = tf.matmul(x, w)

        def outer(i, acc):
            def inner(j, a):
                with tf.name_scope("cell"):
                    return j + 1, tf.matmul(a, w)

            _, acc = tf.while_loop(lambda j, a: j < 2, inner, [0, acc])
            with tf.name_scope("cell"):
                acc = tf.matmul(acc, w)
            return i + 1, acc

        return tf.while_loop(lambda i, a: i < 3, outer, [0, y])[1]

    uses = uses_of(step, tf.TensorSpec([2, 2]))
    assert list(uses.values()) == [["cell"]], uses


def test_a_loop_read_joins_the_scope_that_holds_the_loop():
    w = tf.Variable(tf.ones([2, 2]), name="w")

    @tf.function
    def step(x):
        with tf.name_scope("rnn"):
            y = tf.matmul(x, w)  # in `rnn` itself, as tf_keras's LSTM reads it
            return tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, tf.matmul(a, w)), [0, y])[1]

    uses = uses_of(step, tf.TensorSpec([2, 2]))
    assert list(uses.values()) == [["rnn"]], uses


def test_nested_scopes_without_a_loop_between_them_stay_two_calls():
    """A tied head at `model` and the lookup at `model/embedding`: two uses of one weight."""
    table = tf.Variable(tf.ones([5, 2]), name="table")

    @tf.function
    def step(ids):
        with tf.name_scope("model"):
            with tf.name_scope("embedding"):
                h = tf.gather(table, ids)
            return tf.matmul(h, table, transpose_b=True)

    uses = uses_of(step, tf.TensorSpec([3], tf.int32))
    assert list(uses.values()) == [["model", "model/embedding"]], uses


def test_a_read_in_a_loop_with_no_read_outside_keeps_its_own_site():
    w = tf.Variable(tf.ones([2, 2]), name="w")

    @tf.function
    def step(x):
        with tf.name_scope("rnn"):
            return tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, tf.matmul(a, w)), [0, x])[1]

    (sites,) = uses_of(step, tf.TensorSpec([2, 2])).values()
    assert len(sites) == 1 and sites[0].startswith("rnn/while") and "body" in sites[0], sites
