"""Keras 3's random layers keep their seed in an int64 variable (`keras.random.SeedGenerator`) that
every call steps: training state, and state of a random number generator, not a step counter."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from tb_scopes_plugin import cli  # noqa: E402
from tests.realmodels.tracing import export_trace  # noqa: E402


def test_a_keras_seed_generator_state_is_rng_state_not_a_counter(tmp_path):
    dense, dropout = keras.layers.Dense(4), keras.layers.Dropout(0.5, seed=1)
    step = tf.function(lambda x: dropout(dense(x), training=True))
    export_trace(str(tmp_path), "dropout", step, tf.ones((2, 3)))
    (report,), problems = cli.load_reports(str(tmp_path))
    assert problems == []
    integers = [v for v in report.machinery if (v.dtype or "").startswith("int")]
    assert [v.machinery for v in integers] == ["rng"]
    assert len(report.variables) == 2  # the Dense layer's kernel and bias, and nothing else
