"""TF1 recurrent nets, built with TensorFlow's own cells and loops and logged with FileWriter.

- `dynamic_rnn` of an LSTM cell: a while loop whose gradient threads accumulators through the
  forward loop's own inputs (while_v2), trained with Adam;
- `static_rnn` of a GRU cell over 4 steps: the cell's weights shared by 4 calls, RMSProp;
- a bidirectional `dynamic_rnn` with batch norm, and an ExponentialMovingAverage of the weights;
- the two `dynamic_rnn` nets again with TF 1.x's own loops (`disable_control_flow_v2`, the
  default before TF 2): Enter/Exit/Merge/Switch frames in the graph, no function bodies.

`tf.compat.v1.nn.rnn_cell` is Keras 2's: TensorFlow 2.21 serves it only with TF_USE_LEGACY_KERAS
(tensorflow/python/util/lazy_loader.py), set before TensorFlow is imported in this process.
"""

import os

os.environ["TF_USE_LEGACY_KERAS"] = "1"

import tensorflow as tf  # noqa: E402

from tests.realmodels import truth  # noqa: E402

v1 = tf.compat.v1


def dynamic_lstm():
    x = v1.placeholder(tf.float32, [2, 7, 4])
    out, _ = v1.nn.dynamic_rnn(v1.nn.rnn_cell.LSTMCell(5), x, dtype=tf.float32)
    logits = v1.layers.dense(out[:, -1], 3, name="head")
    v1.train.AdamOptimizer(0.1).minimize(tf.reduce_mean(logits**2))
    return v1.trainable_variables(), {}


def static_gru(steps=4):
    xs = [v1.placeholder(tf.float32, [2, 4]) for _ in range(steps)]
    outs, _ = v1.nn.static_rnn(v1.nn.rnn_cell.GRUCell(5), xs, dtype=tf.float32)
    logits = v1.layers.dense(outs[-1], 3, name="head")
    v1.train.RMSPropOptimizer(0.1).minimize(tf.reduce_mean(logits**2))
    weights = v1.trainable_variables()
    return weights, {v.op.name: steps for v in weights if "/gru_cell/" in v.op.name}


def bidirectional_ema():
    x = v1.placeholder(tf.float32, [2, 7, 4])
    cells = v1.nn.rnn_cell.LSTMCell(3), v1.nn.rnn_cell.LSTMCell(3)
    (fw, bw), _ = v1.nn.bidirectional_dynamic_rnn(*cells, x, dtype=tf.float32)
    h = v1.layers.batch_normalization(tf.concat([fw[:, -1], bw[:, -1]], 1), training=True, name="bn")
    logits = v1.layers.dense(h, 2, name="head")
    weights = v1.trainable_variables()
    with tf.control_dependencies(v1.get_collection(v1.GraphKeys.UPDATE_OPS)):
        step = v1.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_mean(logits**2))
    with tf.control_dependencies([step]):
        v1.train.ExponentialMovingAverage(0.99).apply(weights)  # shadow copies: machinery
    # Batch norm's moving statistics are the model's too, as slim's model_variables() counts them.
    moving = [v for v in v1.global_variables() if v.op.name in ("bn/moving_mean", "bn/moving_variance")]
    return weights + moving, {}


NETS = {
    "tf1_dynamic_lstm": dynamic_lstm,
    "tf1_static_gru": static_gru,
    "tf1_bidirectional_ema": bidirectional_ema,
}


# Built with TF 1.x control flow as well (tensorflow/python/ops/control_flow_util.py).
V1_LOOPS = ("tf1_dynamic_lstm", "tf1_bidirectional_ema")


def build(logdir):
    truths = {}
    nets = [(name, net, True) for name, net in NETS.items()]
    nets += [(f"{name}_v1_loops", NETS[name], False) for name in V1_LOOPS]
    for name, net, loops_v2 in nets:
        if not loops_v2:
            v1.disable_control_flow_v2()
        graph = tf.Graph()
        with graph.as_default():
            weights, calls = net()
            truths[name] = truth.tf1(weights, name, "tf1", calls=calls)
            v1.summary.FileWriter(os.path.join(logdir, name), graph).close()
        v1.enable_control_flow_v2()
    return truths
