"""A graph too big to send whole reaches the tab cut (frontier.py): closed scopes are stubs, and the
tab asks the server for their contents when the user opens one, follows a finding into one or
searches for an op inside one.

Real TensorBoard, real Chromium. The bound is lowered (TB_SCOPES_LAZY_NODES) so that real TF1
graphs of a few hundred nodes are sent cut; the 100k-op graph of test_browser_tab.py is cut at
the default bound.
"""

import pytest
import tensorflow as tf

from tests import logdirs
from tests.tb_server import TensorBoard

pytestmark = pytest.mark.browser

pytest.importorskip("playwright.sync_api")

RUN = "four_towers"
GRAPH = "&p.scopes.tag=__run_graph__"
SERIES = "tower, tower_[1-3]"


@pytest.fixture(scope="module")
def tb(tmp_path_factory):
    logdir = tmp_path_factory.mktemp("browser_cut")
    graph = logdirs.build_four_towers()
    with graph.as_default():  # FileWriter refuses to run eagerly
        tf.compat.v1.summary.FileWriter(str(logdir / RUN), graph).close()
    with TensorBoard(logdir, env={"TB_SCOPES_LAZY_NODES": "30"}) as server:
        server.wait_for_runs([RUN])
        yield server


def drawing_requests(tab):
    asked = []
    tab.page.on("request", lambda r: "/data/plugin/scopes/drawing?" in r.url and asked.append(r.url))
    return asked


def test_opening_a_closed_scope_fetches_its_contents(tab):
    asked = drawing_requests(tab)
    frame = tab.open(f"#scopes&p.scopes.run={RUN}{GRAPH}")
    assert "in closed scopes, sent when opened" in frame.locator(".statusline").text_content()
    # The stubs fold into one series as the whole towers do: the server sent their structure.
    series = tab.item(SERIES, "scope")
    assert "4 members · 4 create" in series.text_content()
    assert series.get_attribute("data-status") == "missed"
    assert asked == []  # the first view needed nothing more
    series.locator(".exp").click()
    frame.locator('#scopes-root[data-state="ready"]').wait_for()
    tab.item("tower_2", "scope").locator(".exp").click()
    tab.item("tower_2/hidden", "scope").wait_for()
    frame.locator('#scopes-root[data-state="ready"]').wait_for()
    assert len(asked) == 1 and "open=tower_2" in asked[0], asked
    assert tab.item("tower_2", "scope").get_attribute("data-expanded") == "true"
    assert series.get_attribute("data-expanded") == "true"  # still one series, a member open
    # A reload from the URL fetches the same cut and shows the same view.
    tab.open(tab.hash())
    assert tab.item("tower_2/hidden", "scope").count() == 1


def test_a_finding_inside_closed_scopes_opens_them_and_shows_both_copies(tab):
    frame = tab.open(f"#scopes&p.scopes.run={RUN}{GRAPH}")
    card = frame.locator('section.findings .finding[data-severity="bug"]')
    assert card.count() == 1
    card.click()
    tab.item("tower_3/hidden/weights", "var").wait_for()
    frame.locator('#scopes-root[data-state="ready"]').wait_for()
    for name in ("tower/hidden/weights", "tower_3/hidden/weights"):
        el = tab.item(name, "var")
        assert el.get_attribute("data-highlight") == "finding", name
        assert tab.in_view(el), name


def test_search_finds_an_op_the_server_has_not_sent_and_shows_it(tab):
    frame = tab.open(f"#scopes&p.scopes.run={RUN}{GRAPH}")
    assert tab.item("tower_3/hidden/MatMul", "op").count() == 0
    tab.search("tower_3/hidden/MatMul")
    op = tab.item("tower_3/hidden/MatMul", "op")
    op.wait_for()
    frame.locator('#scopes-root[data-state="ready"]').wait_for()
    assert op.get_attribute("data-selected") == "true"
    assert tab.in_view(op)
    assert frame.locator(".details").get_by_text("tower_3/hidden/MatMul").count() >= 1


def test_expand_to_a_level_opens_closed_scopes_level_by_level(tab):
    asked = drawing_requests(tab)
    frame = tab.open(f"#scopes&p.scopes.run={RUN}{GRAPH}")
    frame.locator("select.expand-level").select_option("2")
    tab.item("tower_3/hidden", "scope").wait_for()  # inside a member of the series: two levels
    frame.locator('#scopes-root[data-state="ready"]').wait_for()
    assert tab.item("tower_3", "scope").get_attribute("data-expanded") == "true"
    assert tab.item("tower_3/hidden", "scope").get_attribute("data-expanded") is None  # one deeper: closed
    assert len(asked) >= 1


def test_expand_to_offers_the_levels_the_closed_scopes_hold(tab):
    """The stubs say how deep they go (graph.stub_levels): gradients/tower_3/hidden/MatMul_grad
    is five levels down, so five are offered, not a guess. Inside gradients the towers' gradients
    fold into a series, a sixth level the tab knows of once they are sent, as it is when the
    graph is sent whole."""
    frame = tab.open(f"#scopes&p.scopes.run={RUN}{GRAPH}")
    levels = frame.locator("select.expand-level option")
    assert levels.all_text_contents()[1:] == [f"level {i}" for i in range(1, 6)]
    frame.locator("select.expand-level").select_option("5")
    tab.item("gradients/tower_3/hidden/MatMul_grad", "scope").wait_for()
    frame.locator('#scopes-root[data-state="ready"]').wait_for()
    frame.locator("select.expand-level").focus()  # as the user reaches for it again
    assert levels.all_text_contents()[1:] == [f"level {i}" for i in range(1, 7)]


def test_two_closed_scopes_opened_in_quick_succession_both_open(tab):
    """The second click comes while the first one's request is out: the newest answer holds both."""
    frame = tab.open(f"#scopes&p.scopes.run={RUN}{GRAPH}")
    tab.item(SERIES, "scope").locator(".exp").click()
    frame.locator('#scopes-root[data-state="ready"]').wait_for()
    tab.item("tower_1", "scope").locator(".exp").click()
    tab.item("tower_2", "scope").locator(".exp").click()
    for name in ("tower_1/hidden", "tower_2/hidden"):
        tab.item(name, "scope").wait_for()
    frame.locator('#scopes-root[data-state="ready"]').wait_for()
    assert tab.item("tower_1", "scope").get_attribute("data-expanded") == "true"
    assert tab.item("tower_2", "scope").get_attribute("data-expanded") == "true"


@pytest.fixture(scope="module")
def whole_tb(tb):
    """The same logdir served whole (the default bound), to compare what the two tabs draw."""
    with TensorBoard(tb.logdir) as server:
        server.wait_for_runs([RUN])
        yield server


@pytest.mark.parametrize("view", ["", "&p.scopes.expanded=tower_2", "&p.scopes.node=tower_3/hidden/MatMul"])
def test_a_cut_graph_is_drawn_as_the_whole_graph_is(browser, tb, whole_tb, view):
    """Names, kinds, statuses, open boxes, the machinery column with its link counts, labels, and
    the status line's counts (a closed scope counts the nodes it stands for)."""
    from tests.tab_page import Tab

    drawn, status = [], []
    for server in (tb, whole_tb):
        tab = Tab(browser, server)
        frame = tab.open(f"#scopes&p.scopes.run={RUN}{GRAPH}{view}")
        drawn.append(tab.drawn())
        status.append(frame.locator(".statusline").text_content().split(" · "))
        errors = list(tab.errors)
        tab.close()
        assert errors == [], errors
    cut, whole = drawn
    assert len(whole) > 10
    assert cut == whole
    closed = [part for part in status[0] if "in closed scopes, sent when opened" in part]
    assert len(closed) == 1 and [part for part in status[0] if part not in closed] == status[1]
