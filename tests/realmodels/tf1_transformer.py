"""A TF1 transformer in the layout of Google's BERT `modeling.py`: one variable scope per layer,
`tf.compat.v1.layers.dense` for the query, key and value projections (auto-named `dense`,
`dense_1`, `dense_2`), a layer norm per sub-layer, and the embedding matrix tied to the
output logits; trained with Adam and logged with FileWriter. Written by us in that style,
since BERT itself needs TF1's contrib; the sharing questions are the same."""

import os

# tf.compat.v1.layers is Keras 2 code: TF 2.21 serves it only with legacy Keras selected, which
# must happen before TensorFlow is imported (this family runs in its own process).
os.environ["TF_USE_LEGACY_KERAS"] = "1"

import tensorflow as tf  # noqa: E402

from tests.realmodels import slim_compat, truth  # noqa: E402

slim_compat.install()  # tf.compat.v1.layers imports tf_keras.legacy_tf_layers


def layer_norm(x, name):
    v1 = tf.compat.v1
    with v1.variable_scope(name):
        gamma = v1.get_variable("gamma", [x.shape[-1]], initializer=tf.ones_initializer())
        beta = v1.get_variable("beta", [x.shape[-1]], initializer=tf.zeros_initializer())
        mean, var = tf.nn.moments(x, [-1], keepdims=True)
        return (x - mean) * tf.math.rsqrt(var + 1e-6) * gamma + beta


def attention(x, width, heads, length):
    dense = tf.compat.v1.layers.dense
    q, k, v = dense(x, width), dense(x, width), dense(x, width)  # parallel on one input: by design

    def split(t):
        return tf.transpose(tf.reshape(t, [-1, length, heads, width // heads]), [0, 2, 1, 3])

    weights = tf.nn.softmax(tf.matmul(split(q), split(k), transpose_b=True))
    out = tf.reshape(tf.transpose(tf.matmul(weights, split(v)), [0, 2, 1, 3]), [-1, length, width])
    return dense(out, width)


def build(logdir, layers=2, width=16, heads=2, length=8, vocab=50):
    v1 = tf.compat.v1
    graph = tf.Graph()
    with graph.as_default():
        ids = v1.placeholder(tf.int32, [None, length])
        targets = v1.placeholder(tf.int32, [None, length])
        with v1.variable_scope("bert"):
            embedding = v1.get_variable("embedding", [vocab, width])
            x = tf.nn.embedding_lookup(embedding, ids)
            for i in range(layers):
                with v1.variable_scope(f"layer_{i}"):
                    with v1.variable_scope("attention"):
                        x = layer_norm(x + attention(x, width, heads, length), "norm")
                    with v1.variable_scope("ffn"):
                        hidden = v1.layers.dense(x, 2 * width, activation=tf.nn.relu)
                        x = layer_norm(x + v1.layers.dense(hidden, width), "norm")
            logits = tf.matmul(tf.reshape(x, [-1, width]), embedding, transpose_b=True)  # tied
        labels = tf.reshape(targets, [-1])
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
        v1.train.AdamOptimizer(1e-3).minimize(loss, global_step=v1.train.get_or_create_global_step())
        variables = v1.trainable_variables()
        v1.summary.FileWriter(os.path.join(logdir, "tf1_transformer"), graph).close()
    # The embedding is read twice: the lookup and the output projection.
    return {"tf1_transformer": truth.tf1(variables, "tf1_transformer", "tf1", calls={"bert/embedding": 2})}
