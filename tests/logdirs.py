"""Write real event files for the tests: TF1 graphs with FileWriter, TF2 logs through demo/tf2_models.py."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow as tf  # noqa: E402
from tensorboard.compat.proto import event_pb2  # noqa: E402
from tensorboard.summary.writer.event_file_writer import EventFileWriter  # noqa: E402

from demo import tf1_models, tf2_models  # noqa: E402


def build_graph(pattern):
    """Build a TF1 pattern from demo/tf1_models.py into a fresh graph and return its GraphDef."""
    graph = tf.Graph()
    with graph.as_default():
        tf1_models.PATTERNS[pattern]()
    return graph


def build_four_towers():
    """The siamese bug with four towers (`tower`, `tower_1` … `tower_3`), each its own copy."""
    v1 = tf.compat.v1
    graph = tf.Graph()
    with graph.as_default():
        outs = []
        for k in range(4):
            x = v1.placeholder(tf.float32, [None, tf1_models.IN], name=f"x{k}")
            with v1.variable_scope(None, default_name="tower"):
                outs.append(tf1_models._tower(x))
        loss = tf.add_n([tf.reduce_mean(tf.square(outs[0] - o)) for o in outs[1:]])
        v1.train.AdamOptimizer(1e-3).minimize(loss)
    return graph


def write_tf1_run(logdir, pattern, run=None):
    """Log one TF1 pattern's graph with FileWriter (the TF1 way) under logdir/run."""
    graph = build_graph(pattern)
    with graph.as_default():  # FileWriter refuses to run eagerly
        writer = tf.compat.v1.summary.FileWriter(os.path.join(str(logdir), run or pattern), graph)
        writer.flush()
        writer.close()


def write_tf2_summary_graph(logdir, pattern, run):
    """Log one TF1 pattern's graph the TF2 way: tf.summary.graph inside a default writer."""
    writer = tf.summary.create_file_writer(os.path.join(str(logdir), run))
    with writer.as_default():
        tf.summary.graph(build_graph(pattern).as_graph_def())
    writer.close()


def write_graph_def(logdir, run, graph_def):
    """Log a GraphDef built by hand (hostile, huge or broken: bytes are written as they are).

    Written as `Event.graph_def`, as FileWriter does, with TensorBoard's own event writer,
    which accepts any bytes: tf.summary.graph would refuse a broken graph.
    """
    data = graph_def if isinstance(graph_def, bytes) else graph_def.SerializeToString()
    writer = EventFileWriter(os.path.join(str(logdir), run))
    writer.add_event(event_pb2.Event(wall_time=1.0, step=0, graph_def=data))
    writer.close()


def add_float_placeholder(graph, name):
    """A float32 Placeholder node in a hand-built GraphDef."""
    node = graph.node.add(name=name, op="Placeholder")
    node.attr["dtype"].type = 1  # DT_FLOAT (tensorflow/core/framework/types.proto)
    return node


def add_ref_variable(graph, name, dims):
    """A TF1 ref variable as FileWriter writes it (VariableV2 with its dtype and shape) and its
    `/read` Identity, in a hand-built GraphDef; returns the read's name, the input of its users."""
    var = graph.node.add(name=name, op="VariableV2")
    var.attr["dtype"].type = 1  # DT_FLOAT
    for d in dims:
        var.attr["shape"].shape.dim.add().size = d
    graph.node.add(name=f"{name}/read", op="Identity", input=[name])
    return f"{name}/read"


def write_keras_run(logdir, run="keras"):
    tf2_models.keras_shared_layer(os.path.join(str(logdir), run), epochs=1)


def write_trace_run(logdir, run="trace", log_names=False):
    _traced_in_own_process("traced_function", os.path.join(str(logdir), run), log_names=log_names)


def write_auto_reuse_trap(logdir, run="auto_reuse_trap"):
    _traced_in_own_process("auto_reuse_trap", os.path.join(str(logdir), run))


def _traced_in_own_process(builder, path, **kwargs):
    """Run a demo/tf2_models.py trace builder in a fresh Python process.

    TensorFlow's tracing state is global: a trace exported in a process that already ran other
    functions (the Keras run's optimizer) can hold those too (seen once as call sites `adam_1`
    and "" instead of `query` and `key`, before tf_parse picked the step that ran last). A
    process of its own gives every trace the same content.
    """
    import subprocess
    import sys

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    code = f"from demo import tf2_models; tf2_models.{builder}({path!r}, steps=1, **{kwargs!r})"
    path_env = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
    subprocess.run(
        [sys.executable, "-c", code], cwd=root, check=True, env={**os.environ, "PYTHONPATH": path_env}
    )


def split_gradients_graph_def():
    """A real TF1 graph whose backward pass makes a run of leaf ops in one scope: the gradient of
    `tf.split` into 8 parts, only one of them used, fills the 7 others with ZerosLike ops
    (`gradients/zeros_like`, `gradients/zeros_like_1` …), as in every stock slim ResNet."""
    import tensorflow as tf

    v1 = tf.compat.v1
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, [4, 16], name="x")
        w = v1.get_variable("w", [16, 16])
        parts = tf.split(tf.matmul(x, w), 8, axis=1)
        v1.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(parts[0]))
    return graph.as_graph_def()
