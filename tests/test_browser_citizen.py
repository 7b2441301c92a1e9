"""The Scopes tab as a TensorBoard citizen: it follows TensorBoard's reload, links honestly to the
Graphs dashboard, and works from the keyboard alone.

Each test starts its own real tensorboard on a fresh logdir (some tests write into it while the
tab is open) and drives the tab in headless Chromium as a user would; like every browser test it
waits for DOM states, never for timers, and fails on any console error.
"""

import pytest

from tests.logdirs import write_tf1_run
from tests.tb_server import TensorBoard

pytestmark = pytest.mark.browser

playwright_sync = pytest.importorskip("playwright.sync_api")

GRAPH = "&p.scopes.tag=__run_graph__"
# TensorBoard 2.21's own reload button in its header (the app-header-reload component).
RELOAD_BUTTON = "app-header-reload button.reload-button"


@pytest.fixture
def logdir(tmp_path):
    return tmp_path / "logs"


@pytest.fixture
def tb(logdir):
    write_tf1_run(logdir, "article_reuse", run="model")
    with TensorBoard(logdir) as server:
        server.wait_for_runs(["model"])
        yield server


def details_name(frame):
    return frame.locator('.details [data-testid="detail-name"]').text_content()


def test_reload_lists_a_new_run_and_keeps_the_selection(tab, tb, logdir):
    frame = tab.open(f"#scopes&p.scopes.run=model{GRAPH}")
    tab.search("dense_1/MatMul")
    op = tab.item("dense_1/MatMul", "op")
    assert op.get_attribute("data-selected") == "true"
    assert frame.locator(".picker option").count() == 1
    view_before = frame.locator("g.viewport").get_attribute("transform")
    box_before = op.bounding_box()

    write_tf1_run(logdir, "siamese_bug", run="second")
    tb.wait_for_runs(["model", "second"])  # the server has read it; the tab does not know yet
    tab.page.locator(RELOAD_BUTTON).click()  # TensorBoard's own button, in the parent page

    frame.locator(".picker option", has_text="second").wait_for(state="attached")
    assert frame.locator(".picker option").count() == 2
    assert "model" in frame.locator(".picker option:checked").text_content()
    # Same selection, same expansion, same view: nothing was laid out again.
    assert "p.scopes.node=dense_1%2FMatMul" in tab.hash()
    assert details_name(frame) == "dense_1/MatMul"
    assert op.get_attribute("data-selected") == "true"
    assert frame.locator("g.viewport").get_attribute("transform") == view_before
    assert op.bounding_box() == box_before
    assert frame.locator(".banner").count() == 0  # the open graph did not change


def test_rewritten_graph_is_offered_then_loaded_keeping_the_selection(tab, tb, logdir):
    frame = tab.open(f"#scopes&p.scopes.run=model{GRAPH}")
    tab.search("x")
    assert details_name(frame) == "x"
    assert tab.item("dense", "scope").count() == 1
    before = tb.get_json("data/plugin/scopes/runs")[1]["runs"][0]["graphs"][0]["version"]

    write_tf1_run(logdir, "siamese_bug", run="model")  # the same run's graph, written again
    wait_for_new_version(tb, before)
    tab.page.locator(RELOAD_BUTTON).click()

    banner = frame.locator(".banner")
    banner.wait_for()
    assert "A newer version of this graph is available" in banner.text_content()
    # Offered, not swapped: the old graph is still drawn until the user asks.
    assert tab.item("dense", "scope").count() == 1
    banner.get_by_role("button", name="Load").click()

    tab.item("tower", "scope").wait_for()
    frame.locator('#scopes-root[data-state="ready"]').wait_for()
    assert tab.item("tower_1", "scope").count() == 1
    assert tab.item("dense", "scope").count() == 0
    assert frame.locator(".banner").count() == 0
    # `x` is in the new graph too: still selected.
    assert details_name(frame) == "x"
    assert tab.item("x").get_attribute("data-selected") == "true"
    assert "p.scopes.node=x" in tab.hash()


def wait_for_new_version(tb, before, timeout=120):
    """Poll the server (not the tab) until it has read the rewritten graph."""
    import time

    deadline = time.time() + timeout
    while time.time() < deadline:
        listing = tb.get_json("data/plugin/scopes/runs")[1]
        if listing["runs"][0]["graphs"][0]["version"] != before:
            return
        time.sleep(0.5)
    raise AssertionError(f"the server never listed a new version of the graph: {listing}")
