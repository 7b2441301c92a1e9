"""The Scopes tab in headless Chromium, inside a real TensorBoard.

One tensorboard process and one browser serve every test of this module; each
test opens its own page, waits for the tab's root to say data-state="ready"
(never a timer) and asserts what a user sees. Every test also fails on any
console error or uncaught exception.
"""

import re

import pytest

from tests.logdirs import (
    add_float_placeholder,
    add_ref_variable,
    split_gradients_graph_def,
    write_graph_def,
    write_tf1_run,
)
from tests.tab_page import Tab
from tests.tb_server import TensorBoard

pytestmark = pytest.mark.browser

playwright_sync = pytest.importorskip("playwright.sync_api")

HOSTILE_NODE = "<img src=x onerror=alert(1)>"
HOSTILE_SCOPE = "<b>bold</b>"
RUNS = ["article_reuse", "siamese_bug", "hostile", "huge", "flat", "broken", "tall", "split"]


def hostile_graph_def():
    from tensorboard.compat.proto import graph_pb2

    g = graph_pb2.GraphDef()
    a = g.node.add()
    a.name = HOSTILE_NODE
    a.op = "Placeholder"
    b = g.node.add()
    b.name = f"{HOSTILE_SCOPE}/x"
    b.op = "Identity"
    b.input.append(HOSTILE_NODE)
    return g


def flat_graph_def(n=1300):
    """One scope with n direct ops: over the tab's 1,000-children cap (an op type each: alike
    numbered ops of one type would fold into a series)."""
    from tensorboard.compat.proto import graph_pb2

    g = graph_pb2.GraphDef()
    src = g.node.add()
    src.name = "src"
    src.op = "Placeholder"
    for i in range(n):
        op = g.node.add()
        op.name = f"flat/op_{i}"
        op.op = f"Identity{i}"
        op.input.append("src")
    return g


def huge_graph_def(blocks=100, layers=10, ops=100, var_blocks=20):
    """blocks x layers x ops chained ops (100,000 by default) plus a few variables with /read nodes."""
    from tensorboard.compat.proto import graph_pb2

    g = graph_pb2.GraphDef()
    add_float_placeholder(g, "x")
    for b in range(blocks):
        prev = "x"
        for lay in range(layers):
            scope = f"block_{b}/layer_{lay}"
            read = add_ref_variable(g, f"{scope}/weights", (4, 4)) if lay == 0 and b < var_blocks else None
            for k in range(ops):
                n = g.node.add()
                n.name = f"{scope}/op_{k}"
                if k == 0 and read:
                    n.op = "MatMul"
                    n.input.extend([prev, read])
                else:
                    n.op = "Relu" if k % 2 else "Identity"
                    n.input.append(prev)
                prev = n.name
    return g


def tall_graph_def(n=250):
    """A chain of n ops in the root scope (under the 1,000-children cap), taller than a Keras ResNet50;
    an op type each, as a chain of distinct layers (alike numbered ops would fold into a series)."""
    from tensorboard.compat.proto import graph_pb2

    g = graph_pb2.GraphDef()
    for i in range(n):
        op = g.node.add()
        op.name, op.op = f"layer_{i}", f"Identity{i}" if i else "Placeholder"
        if i:
            op.input.append(f"layer_{i - 1}")
    return g


@pytest.fixture(scope="module")
def tb(tmp_path_factory):
    logdir = tmp_path_factory.mktemp("browser")
    write_tf1_run(logdir, "article_reuse")
    write_tf1_run(logdir, "siamese_bug")
    write_graph_def(logdir, "hostile", hostile_graph_def())
    write_graph_def(logdir, "flat", flat_graph_def())
    write_graph_def(logdir, "tall", tall_graph_def())
    write_graph_def(logdir, "split", split_gradients_graph_def())
    huge = huge_graph_def()
    assert len(huge.node) >= 100_000
    write_graph_def(logdir, "huge", huge)
    write_graph_def(logdir, "broken", b"\xff\xfe not a GraphDef")  # the backend answers 422
    with TensorBoard(logdir) as server:
        server.wait_for_runs(RUNS)
        yield server


@pytest.fixture
def dark_tab(browser, tb):
    t = Tab(browser, tb, color_scheme="dark")
    yield t
    errors = list(t.errors)
    t.close()
    assert errors == [], errors


GRAPH = "&p.scopes.tag=__run_graph__"


def test_reused_scope_has_a_badge(tab):
    tab.open(f"#scopes&p.scopes.run=article_reuse{GRAPH}")
    dense_1 = tab.item("dense_1", "scope")
    badge = dense_1.locator("text.badge")
    assert "reuses" in badge.text_content()
    assert "from dense" in badge.text_content()
    assert "reuses dense/weights from dense" in badge.get_attribute("data-reuses").split("\n")
    assert dense_1.get_attribute("data-status") == "reused"
    # The creating scope carries no reuse badge.
    assert tab.item("dense", "scope").locator("text.badge").count() == 0


def test_selecting_a_variable_highlights_creator_and_reuser(tab):
    frame = tab.open(f"#scopes&p.scopes.run=article_reuse{GRAPH}")
    tab.search("dense/weights")
    var = tab.item("dense/weights", "var")
    assert var.get_attribute("data-selected") == "true"
    assert tab.in_view(var)
    assert tab.item("dense", "scope").get_attribute("data-highlight") == "created"
    assert tab.item("dense_1", "scope").get_attribute("data-highlight") == "reused"
    details = frame.locator(".details")
    assert details.locator('[data-testid="detail-name"]').text_content() == "dense/weights"
    assert details.locator('[data-call-site="dense"][data-use-status="created"]').count() == 1
    assert details.locator('[data-call-site="dense_1"][data-use-status="reused"]').count() == 1
    assert "dense_1/MatMul" in details.text_content()
    assert "p.scopes.node=dense%2Fweights" in tab.hash()
    # The reuser's link selects that call site.
    details.locator('[data-call-site="dense_1"] > a').click()
    assert details.locator('[data-testid="detail-name"]').text_content() == "dense_1"
    assert tab.item("dense_1", "scope").get_attribute("data-selected") == "true"


def test_finding_focuses_both_copies(tab):
    frame = tab.open(f"#scopes&p.scopes.run=siamese_bug{GRAPH}")
    high = frame.locator('.finding[data-confidence="high"]')
    assert high.count() >= 1
    card = high.filter(has_text="tower/hidden/weights")
    assert "tower_1/hidden/weights" in card.text_content()
    card.click()
    for name in ("tower/hidden/weights", "tower_1/hidden/weights"):
        el = tab.item(name, "var")
        assert el.get_attribute("data-highlight") == "finding"
        assert tab.in_view(el), name
    assert "active" in card.get_attribute("class")


def test_search_selects_and_reveals_an_op(tab):
    tab.open(f"#scopes&p.scopes.run=article_reuse{GRAPH}")
    assert tab.item("dense_1/MatMul").count() == 0  # hidden in collapsed dense_1
    tab.search("dense_1/MatMul")
    op = tab.item("dense_1/MatMul", "op")
    assert op.get_attribute("data-selected") == "true"
    assert tab.in_view(op)
    assert "reuses dense/weights from dense" in op.locator("text.badge").text_content()
    assert "p.scopes.node=dense_1%2FMatMul" in tab.hash()


def test_url_restores_the_selection(tab):
    frame = tab.open(f"#scopes&p.scopes.run=article_reuse{GRAPH}&p.scopes.node=dense%2Fweights")
    var = tab.item("dense/weights", "var")
    assert var.get_attribute("data-selected") == "true"
    assert tab.in_view(var)
    assert frame.locator('.details [data-testid="detail-name"]').text_content() == "dense/weights"
    assert frame.locator(".picker").input_value() is not None
    assert "article_reuse" in frame.locator(".picker option:checked").text_content()


def test_graphs_link_and_owner_colouring(tab):
    frame = tab.open(f"#scopes&p.scopes.run=article_reuse{GRAPH}")
    link = frame.locator("a.graphs-link")
    assert link.get_attribute("target") == "_top"
    assert link.get_attribute("href").endswith("#graphs&run=article_reuse")
    frame.locator("select.color-mode").select_option("owner")
    dense = tab.item("dense", "scope")
    dense_1 = tab.item("dense_1", "scope")
    tint = dense.evaluate("e => e.style.getPropertyValue('--tint')")
    assert tint
    assert dense_1.evaluate("e => e.style.getPropertyValue('--tint')") == tint
    assert "p.scopes.color=owner" in tab.hash()


def test_hostile_names_are_text(tab):
    frame = tab.open(f"#scopes&p.scopes.run=hostile{GRAPH}")
    root = frame.locator("#scopes-root")
    text = root.text_content()
    assert HOSTILE_NODE in text
    # "<b>bold</b>/x" splits on every "/": its top scope is "<b>bold<".
    assert "<b>bold<" in text
    assert frame.locator("img").count() == 0
    assert frame.locator("b").count() == 0
    # Searching and selecting the hostile nodes shows their names as text.
    for name in (HOSTILE_NODE, f"{HOSTILE_SCOPE}/x"):
        tab.search(name)
        assert frame.locator('.details [data-testid="detail-name"]').text_content() == name
        assert tab.item(name).get_attribute("data-selected") == "true"
        assert name in tab.item(name).text_content()
    assert frame.locator("img").count() == 0
    assert frame.locator("b").count() == 0


def test_100k_op_graph_reaches_ready(tab):
    frame = tab.open(f"#scopes&p.scopes.run=huge{GRAPH}", timeout=300_000)
    # 100 alike blocks fold into series boxes (those that reuse a variable differ from those
    # that create theirs), each saying how many members it folds.
    boxes = frame.locator('.g-item[data-kind="scope"]').all_text_contents()
    members = [re.search(r"([\d,]+) members", text) for text in boxes]
    assert all(members) and sum(int(m.group(1)) for m in members) == 100, boxes
    assert all(text.startswith("block_[") for text in boxes), boxes
    # A search reaches an op deep inside a folded member: its series and block open for it.
    tab.search("block_42/layer_3/op_7")
    op = tab.item("block_42/layer_3/op_7", "op")
    assert op.get_attribute("data-selected") == "true"
    assert tab.in_view(op)


def test_dark_mode(dark_tab):
    frame = dark_tab.open(f"#scopes&p.scopes.run=article_reuse{GRAPH}")
    bg = frame.locator("#scopes-root").evaluate("e => getComputedStyle(e).backgroundColor")
    r, g, b = (int(v) for v in re.findall(r"\d+", bg)[:3])
    assert (0.2126 * r + 0.7152 * g + 0.0722 * b) < 80, bg


def test_server_error_is_shown(browser, tb):
    # A real 4xx: the backend cannot read the `broken` run's graph and says why.
    t = Tab(browser, tb)
    try:
        t.page.goto(f"{tb.url}/#scopes&p.scopes.run=broken{GRAPH}")
        frame = t.page.frame_locator("iframe")
        frame.locator('#scopes-root[data-state="error"]').wait_for(timeout=60_000)
        message = frame.locator(".overlay").text_content()
        assert "the graph of run 'broken', tag '__run_graph__' cannot be read" in message
        # The browser itself logs the failed request; nothing else may be logged.
        others = [e for e in t.errors if "422" not in e]
        assert others == [], others
    finally:
        t.close()


def test_empty_logdir_message(browser, tmp_path):
    # A real TensorBoard on a logdir without graphs: the tab says so and is ready, not broken.
    with TensorBoard(tmp_path) as empty:
        t = Tab(browser, empty)
        try:
            frame = t.open("#scopes")
            assert "No runs with graphs in this logdir" in frame.locator(".overlay").text_content()
            assert frame.locator(".overlay").is_visible()
            assert t.errors == [], t.errors
        finally:
            t.close()


def test_scope_over_the_cap_shows_more_node(tab):
    frame = tab.open(f"#scopes&p.scopes.run=flat{GRAPH}")
    # `flat` holds all but one op of the graph: the first view opens it.
    assert tab.item("flat", "scope").get_attribute("aria-expanded") == "true"
    more = frame.locator('.g-item[data-kind="more"]')
    assert more.locator("text").first.text_content() == "+300 more"
    assert frame.locator('.g-item[data-kind="op"][data-name^="flat/"]').count() == 1000
    assert "only the first 1000 are drawn" in frame.locator('.details [data-truncated="flat"]').text_content()
    # A search result hidden behind "+N more" is pulled into view.
    tab.search("flat/op_1299")
    op = tab.item("flat/op_1299", "op")
    assert op.get_attribute("data-selected") == "true"
    assert tab.in_view(op)


def test_a_run_of_alike_ops_is_one_series_box_that_opens_to_its_ops(tab):
    frame = tab.open(f"#scopes&p.scopes.run=split{GRAPH}")
    tab.item("gradients", "scope").locator(".exp").click()
    frame.locator('#scopes-root[data-state="ready"]').wait_for()
    series = tab.item("gradients/zeros_like, zeros_like_[1-6]", "scope")
    assert series.locator(".lbl").text_content() == "zeros_like, zeros_like_[1-6]"
    assert "7 members" in series.text_content()
    assert series.get_attribute("aria-expanded") == "false"
    assert frame.locator('.g-item[data-kind="op"][data-name^="gradients/zeros_like"]').count() == 0
    series.locator(".lbl").click()
    assert frame.locator(".details dl").text_content().replace(" ", "").count("optypeZerosLike") == 1
    # A search for one member opens the series around it and selects it.
    tab.search("gradients/zeros_like_5")
    op = tab.item("gradients/zeros_like_5", "op")
    assert op.get_attribute("data-selected") == "true" and tab.in_view(op)
    assert series.get_attribute("aria-expanded") == "true"
    assert frame.locator('.g-item[data-kind="op"][data-name^="gradients/zeros_like"]').count() == 7


def view_scale(frame):
    transform = frame.locator("svg.graph g.viewport").get_attribute("transform")
    return float(re.search(r"scale\(([-\d.e]+)\)", transform).group(1))


def test_a_graph_too_tall_to_read_whole_opens_at_its_top_readable(tab):
    frame = tab.open(f"#scopes&p.scopes.run=tall{GRAPH}")
    assert 12 * view_scale(frame) >= 11 - 1e-6  # 12px labels at 11px or more
    assert tab.in_view(tab.item("layer_0"))
    assert not tab.in_view(tab.item("layer_249"))
    frame.locator("button.fit").click()  # Fit still shows it all, at whatever zoom that takes
    assert 12 * view_scale(frame) < 11 and tab.in_view(tab.item("layer_249"))


def test_an_opened_series_reads_as_a_list_across_the_view(tab):
    """Its members wrap into rows a canvas wide, and opening it zooms out only as far as labels
    stay readable, so that the whole width of the page is in view."""
    frame = tab.open(f"#scopes&p.scopes.run=huge{GRAPH}", timeout=300_000)
    series = frame.locator('.g-item[data-kind="scope"]').first
    name = series.get_attribute("data-name")
    series.locator(".exp").click()
    frame.locator('#scopes-root[data-state="ready"]').wait_for()
    box = tab.item(name, "scope")
    assert box.get_attribute("aria-expanded") == "true"
    canvas = frame.locator(".canvas").bounding_box()
    right = canvas["x"] + canvas["width"]
    opened = box.bounding_box()
    assert opened["x"] >= canvas["x"] and opened["x"] + opened["width"] <= right, (opened, canvas)
    assert 12 * view_scale(frame) >= 11 - 1e-6  # readable
    members = frame.locator('.g-item[data-kind="scope"][data-name^="block_"]').evaluate_all(
        "els => els.filter((e) => !e.dataset.name.includes('['))"  # members, not the other series
        ".map((e) => { const r = e.getBoundingClientRect(); return [r.left, r.right]; })"
    )
    assert len(members) >= 10
    assert all(canvas["x"] <= left and r <= right for left, r in members)
    lefts = [round(left) for left, _ in members]
    assert len(set(lefts)) < len(lefts)  # rows of a list, not one long row
