"""Log a tf.function's graph as people do: `trace_on`, one call, `trace_export` under the step's name."""

import os

import tensorflow as tf


def export_trace(logdir, run, step, *args):
    """Call `step` (a tf.function) once with `args` while tracing, and export the trace to run `run`."""
    writer = tf.summary.create_file_writer(os.path.join(logdir, run))
    tf.summary.trace_on(graph=True)
    step(*args)
    with writer.as_default():
        tf.summary.trace_export("train_step", step=0)
    writer.close()
