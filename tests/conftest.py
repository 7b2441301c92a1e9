"""Shared fixtures: logdirs of real TensorFlow graphs, written once per test session."""

import os
import tempfile

import pytest

from demo import tf1_models
from tests import logdirs


def pytest_configure(config):
    """One disk cache per test session (never the user's): tensorboard processes inherit it."""
    os.environ.setdefault("TB_SCOPES_CACHE_DIR", tempfile.mkdtemp(prefix="tb-scopes-cache-"))


@pytest.fixture(scope="session")
def patterns_logdir(tmp_path_factory):
    """One run per TF1 pattern (FileWriter graphs), a Keras callback run, and traces without and with
    the real names logged by tb_scopes_plugin.summary (one of them the AUTO_REUSE trap)."""
    root = tmp_path_factory.mktemp("patterns")
    for pattern in tf1_models.PATTERNS:
        logdirs.write_tf1_run(root, pattern)
    logdirs.write_tf2_summary_graph(root, "article_reuse", "article_reuse_summary_graph")
    logdirs.write_keras_run(root, "keras")
    logdirs.write_trace_run(root, "trace")
    logdirs.write_trace_run(root, "trace_named", log_names=True)
    logdirs.write_auto_reuse_trap(root, "auto_reuse_trap")
    return root


@pytest.fixture(scope="session")
def demo_logdir(tmp_path_factory):
    """The demo's logdir, written once by a real `demo/train.py` run (2 steps per model, to stay fast)."""
    import subprocess
    import sys
    from pathlib import Path

    root = tmp_path_factory.mktemp("demo")
    train = Path(__file__).resolve().parent.parent / "demo" / "train.py"
    subprocess.run([sys.executable, str(train), "--logdir", str(root), "--steps", "2"], check=True)
    return root


@pytest.fixture(scope="module")
def browser():
    """One headless Debian Chromium per browser-test module (Playwright cannot download one here)."""
    from playwright.sync_api import sync_playwright

    from tests.tb_server import launch_chromium

    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


@pytest.fixture
def tab(browser, tb):
    """A page on the module's own tensorboard (its `tb` fixture); fails on any console error or dialog."""
    from tests.tab_page import Tab

    t = Tab(browser, tb)
    yield t
    errors = list(t.errors)
    t.close()
    assert errors == [], errors
