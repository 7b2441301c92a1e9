"""A graph still being analysed shows its stage and a percentage in the tab, then the graph.

A real tensorboard with background analysis and the disk cache off, so the tab's own
request is what analyses the graph; the tab polls the `status` route meanwhile.
"""

import re

import pytest

from benchmarks.synthetic import layered_graph
from tests.logdirs import write_graph_def
from tests.tb_server import TensorBoard

pytestmark = pytest.mark.browser

pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def tb(tmp_path_factory):
    logdir = tmp_path_factory.mktemp("progress")
    write_graph_def(logdir, "big", layered_graph(blocks=1200, layers=10))  # ~120k ops: seconds
    env = {"TB_SCOPES_BACKGROUND": "0", "TB_SCOPES_CACHE_DIR": "off"}
    with TensorBoard(logdir, env=env) as server:
        server.wait_for_runs(["big"])
        yield server


def test_a_graph_under_analysis_shows_its_stage_and_percentage(tab):
    tab.page.goto(f"{tab.tb.url}/#scopes&p.scopes.run=big&p.scopes.tag=__run_graph__")
    frame = tab.page.frame_locator("iframe")
    line = frame.locator(".progress-text", has_text=re.compile(r"Analysing big / __run_graph__ .*\d+% · \w"))
    line.wait_for(timeout=120_000)
    frame.locator('#scopes-root[data-state="ready"]').wait_for(timeout=300_000)
    assert frame.locator('.g-item[data-kind="scope"]').count() > 0
    assert frame.locator(".overlay").is_hidden()
