"""A trace can hold other functions' graphs than the step the user traced (tf_parse.parse_run_metadata).

TensorFlow records every function that runs while tracing is on, and a notebook that ran a
larger model's step before can leave it in the trace: the report shows the step that ran
last, not the largest graph. Built with real TensorFlow in a process of its own, since
tracing state is global to a process.
"""

import os
import re
import subprocess
import sys

import pytest

pytest.importorskip("tensorflow")

from tb_scopes_plugin import cli  # noqa: E402

SCRIPT = r"""
import sys
import tensorflow as tf

big = [tf.Variable(tf.ones([8, 8]), name=f"big{k}") for k in range(6)]
small = [tf.Variable(tf.ones([8, 8]), name=f"small{k}") for k in range(3)]


@tf.function
def earlier_step(x):  # a larger model's step, run before in the same process
    for k, w in enumerate(big):
        with tf.name_scope(f"earlier{k}"):
            x = tf.tanh(tf.matmul(x, w))
    return tf.reduce_sum(x)


@tf.function
def train_step(x):
    for k, w in enumerate(small):
        with tf.name_scope(f"layer{k}"):
            x = tf.nn.relu(tf.matmul(x, w))
    return tf.reduce_sum(x)


writer = tf.summary.create_file_writer(sys.argv[1])
tf.summary.trace_on(graph=True)
earlier_step(tf.ones([2, 8]))
train_step(tf.ones([2, 8]))
with writer.as_default():
    tf.summary.trace_export("train_step", step=0)
writer.close()
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    root = tmp_path_factory.mktemp("trace_pick")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    subprocess.run([sys.executable, "-c", SCRIPT, str(root / "run")], check=True, env=env, timeout=300)
    reports, problems = cli.load_reports(str(root))
    assert problems == []
    (found,) = reports
    return found


def test_the_step_that_ran_last_is_shown_not_the_larger_one_before_it(report):
    assert sorted(v.owner_scope for v in report.variables) == ["layer0", "layer1", "layer2"]
    assert all(len(v.uses) == 1 for v in report.variables)
    assert not [f for f in report.findings if f.severity == "bug"]


def test_the_other_graph_is_named_in_a_warning(report):
    (warning,) = [w for w in report.warnings if w.kind == "other_functions"]
    assert re.match(
        r"this trace holds 2 function graphs; the last large one to run \([\d,]+ ops\) is shown, "
        r"the other is not$",
        warning.message,
    )


# The step called before trace_on: TensorFlow has traced it already and records only the helper
# of the eager `tf.ones` run since (one `_EagerConst` graph), which is not shown as the step.
TRACED_BEFORE = r"""
import sys
import tensorflow as tf

w = tf.Variable(tf.ones([4, 4]), name="w")


@tf.function
def train_step(x):
    return tf.reduce_sum(tf.matmul(x, w))


train_step(tf.ones([2, 4]))
writer = tf.summary.create_file_writer(sys.argv[1])
tf.summary.trace_on(graph=True)
train_step(tf.ones([2, 4]))
with writer.as_default():
    tf.summary.trace_export("train_step", step=0)
writer.close()
"""


def test_a_trace_started_after_the_first_call_says_to_start_it_before(tmp_path):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    subprocess.run(
        [sys.executable, "-c", TRACED_BEFORE, str(tmp_path / "run")], check=True, env=env, timeout=300
    )
    reports, problems = cli.load_reports(str(tmp_path))
    assert reports == []
    (problem,) = problems
    assert problem.startswith("run (train_step): this trace holds only 1 single-op helper graph, no traced")
    assert "before the function's first call" in problem
