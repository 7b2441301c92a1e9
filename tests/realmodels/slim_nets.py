"""tf_slim's nets in TF1 graph mode, trained the slim way: L2 regularizers, batch norm in training
mode with its UPDATE_OPS, a momentum optimizer, a global step; logged with FileWriter."""

import os

import tensorflow as tf

from tests.realmodels import slim_compat, truth

slim_compat.install()

import tf_slim as slim  # noqa: E402
from tf_slim.nets import inception_v1, resnet_v1  # noqa: E402

NETS = {
    "slim_resnet_v1_50": (resnet_v1.resnet_v1_50, resnet_v1.resnet_arg_scope, 64),
    "slim_inception_v1": (inception_v1.inception_v1, inception_v1.inception_v1_arg_scope, 224),
}


def build(logdir):
    v1 = tf.compat.v1
    truths = {}
    for name, (net, arg_scope, size) in NETS.items():
        graph = tf.Graph()
        with graph.as_default():
            x = v1.placeholder(tf.float32, [2, size, size, 3])
            y = v1.placeholder(tf.int32, [2])
            with slim.arg_scope(arg_scope(weight_decay=1e-4)):
                logits, _ = net(x, num_classes=10, is_training=True)
            logits = tf.reshape(logits, [2, 10])
            loss = v1.losses.sparse_softmax_cross_entropy(y, logits) + v1.losses.get_regularization_loss()
            with tf.control_dependencies(v1.get_collection(v1.GraphKeys.UPDATE_OPS)):
                v1.train.MomentumOptimizer(0.1, 0.9).minimize(
                    loss, global_step=v1.train.get_or_create_global_step()
                )
            truths[name] = truth.tf1(v1.model_variables(), name, "tf_slim")
            v1.summary.FileWriter(os.path.join(logdir, name), graph).close()
    return truths
