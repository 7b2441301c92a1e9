"""The drawing does not lie: edges go around the boxes they do not connect.

Real TensorBoard on the demo's logdir (a real `demo/train.py` run), real Chromium. The geometry
is read from the drawn SVG's attributes and checked here, in Python, never by the tab itself.
"""

import re
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.tb_server import TensorBoard

pytestmark = pytest.mark.browser

pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def tb(demo_logdir):
    with TensorBoard(demo_logdir) as server:
        yield server


@pytest.fixture(scope="module")
def graphs(tb):
    """Every graph of every run the demo wrote, as (run, tag, source)."""
    # A run is a directory holding event files (the Keras callback writes under <run>/train).
    runs = {str(p.parent.relative_to(tb.logdir)) for p in Path(tb.logdir).rglob("events.out.tfevents.*")}
    listing = tb.wait_for_runs(runs)
    return [(r["run"], g["tag"], g["source"]) for r in listing["runs"] for g in r["graphs"]]


def graph_hash(run, tag, source, extra=""):
    return f"#scopes&p.scopes.run={quote(run)}&p.scopes.tag={quote(tag)}&p.scopes.source={source}{extra}"


_TRANSLATE = re.compile(r"translate\(([-\d.e]+),\s*([-\d.e]+)\)")
_POINT = re.compile(r"([-\d.e]+),([-\d.e]+)")


def drawing(frame):
    """Items as {id: (x, y, w, h, expanded)} and edges as (from, to, points), from the SVG's attributes."""
    raw_items = frame.locator(".viewport > .g-item").evaluate_all(
        """els => els.map(g => {
            const r = g.querySelector(':scope > rect.body');
            return [g.getAttribute('data-id'), g.getAttribute('transform'),
                    r.getAttribute('width'), r.getAttribute('height'), g.getAttribute('data-expanded')];
        })"""
    )
    items = {}
    for id_, transform, w, h, expanded in raw_items:
        x, y = map(float, _TRANSLATE.fullmatch(transform).groups())
        items[id_] = (x, y, float(w), float(h), expanded == "true")
    raw_edges = frame.locator(".viewport .edge").evaluate_all(
        "els => els.map(g => [g.getAttribute('data-from'), g.getAttribute('data-to'),"
        " g.querySelector('path').getAttribute('d')])"
    )
    edges = [(a, b, [tuple(map(float, p)) for p in _POINT.findall(d)]) for a, b, d in raw_edges]
    return items, edges


def segment_hits(a, b, rect, eps=0.5):
    """Liang-Barsky: does segment a-b pass through the rectangle's interior (shrunk by eps)?"""
    x0, y0, w, h = rect[:4]
    x0, y0, x1, y1 = x0 + eps, y0 + eps, x0 + w - eps, y0 + h - eps
    dx, dy = b[0] - a[0], b[1] - a[1]
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, a[0] - x0), (dx, x1 - a[0]), (-dy, a[1] - y0), (dy, y1 - a[1])):
        if p == 0:
            if q <= 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 >= t1:
            return False
    return t1 - t0 > 1e-9


def contains(outer, inner):
    return (
        outer[0] <= inner[0] + 0.5
        and outer[1] <= inner[1] + 0.5
        and outer[0] + outer[2] >= inner[0] + inner[2] - 0.5
        and outer[1] + outer[3] >= inner[1] + inner[3] - 0.5
    )


def crossings(items, edges):
    """(edge, item) pairs where an edge crosses a box that is neither an endpoint nor contains one."""
    out = []
    for a, b, pts in edges:
        ends = [items[a], items[b]]
        allowed = {a, b} | {i for i, r in items.items() if r[4] and any(contains(r, e) for e in ends)}
        for i, r in items.items():
            if i in allowed:
                continue
            if any(segment_hits(pts[k], pts[k + 1], r) for k in range(len(pts) - 1)):
                out.append(f"{a} -> {b} crosses {i}")
    return out


def expand_visible_scopes(tab, frame):
    """Click the expander of every collapsed scope box drawn now, as a user would."""
    names = frame.locator('.g-item[data-kind="scope"]:not([data-expanded])').evaluate_all(
        "els => els.map(g => g.getAttribute('data-name'))"
    )
    for name in names:
        box = frame.locator(f'.g-item[data-kind="scope"][data-name="{name}"]:not([data-expanded])')
        if box.count():
            frame.locator("button.fit").click()  # the last expansion may have pushed it off the canvas
            box.locator(".exp").click()
    return names


def test_no_edge_crosses_a_box_it_does_not_connect_in_any_demo_graph(tab, graphs):
    problems = []
    for run, tag, source in graphs:
        frame = tab.open(graph_hash(run, tag, source))
        items, edges = drawing(frame)
        assert items, run
        problems += [f"{run}/{tag}: {p}" for p in crossings(items, edges)]
        if expand_visible_scopes(tab, frame):
            items, edges = drawing(frame)
            problems += [f"{run}/{tag} expanded: {p}" for p in crossings(items, edges)]
    assert problems == []


def test_an_op_and_a_scope_of_one_name_are_one_box(tab):
    """gan's `random_normal` is an op and the scope of its inputs: one box, as in the Graphs dashboard."""
    frame = tab.open(graph_hash("gan", "__run_graph__", "run_graph"))
    same = frame.locator('.g-item[data-name="random_normal"]')
    assert same.count() == 1
    assert same.get_attribute("data-kind") == "scope"
    # Selecting the box shows the scope.
    same.locator("text.lbl").click()
    assert frame.locator(".side .title").first.text_content().startswith("Scope")
    assert frame.locator('[data-testid="detail-name"]').text_content() == "random_normal"
    assert "p.scopes.scope=random_normal" in tab.hash()
    # Expanded, the op is inside it.
    same.locator(".exp").click()
    box = frame.locator('.g-item[data-kind="scope"][data-name="random_normal"]')
    op = frame.locator('.g-item[data-kind="op"][data-name="random_normal"]')
    assert box.get_attribute("data-expanded") == "true" and op.count() == 1
    items, _ = drawing(frame)
    assert contains(items[box.get_attribute("data-id")], items[op.get_attribute("data-id")])


def test_a_link_to_the_op_of_a_scope_still_selects_that_op(tab):
    frame = tab.open(graph_hash("gan", "__run_graph__", "run_graph", "&p.scopes.node=random_normal"))
    assert frame.locator(".side .title").first.text_content().startswith("Op")
    assert frame.locator('[data-testid="detail-name"]').text_content() == "random_normal"
    op = frame.locator('.g-item[data-kind="op"][data-name="random_normal"]')
    assert op.get_attribute("data-selected") == "true"
    box = frame.locator('.g-item[data-kind="scope"][data-name="random_normal"]')
    assert box.get_attribute("data-expanded") == "true"


def test_training_machinery_is_a_column_right_of_the_model_with_its_edges_counted(tab):
    frame = tab.open(graph_hash("gan", "__run_graph__", "run_graph"))
    items, edges = drawing(frame)
    area = frame.locator(".aux-area")
    assert area.count() == 1 and area.locator("text").text_content() == "training machinery"
    aux = {
        g.get_attribute("data-name"): g.get_attribute("data-id")
        for g in frame.locator('.viewport > .g-item[data-aux="true"]').all()
    }
    # The backward passes and both optimizers, the optimizer's own op folded into its box.
    assert {"gradients", "gradients_1", "d_adam", "g_adam"} <= set(aux)
    model = [i for i in items if i not in aux.values()]
    assert "discriminator" in [frame.locator(f'[data-id="{i}"]').get_attribute("data-name") for i in model]
    right_of_model = max(items[i][0] + items[i][2] for i in model)
    for name, i in aux.items():
        assert items[i][0] > right_of_model, name
    # No edge is drawn to or from machinery; each box says how many edges link it to the model.
    assert not [e for e in edges if e[0] in aux.values() or e[1] in aux.values()]
    grads = frame.locator(f'[data-id="{aux["gradients"]}"]')
    links = int(grads.get_attribute("data-links"))
    assert links > 0 and grads.locator("text.links").text_content().startswith(f"{links} links")


def view_scale(frame):
    """The main view's zoom, from the viewport group's transform."""
    transform = frame.locator(".viewport").get_attribute("transform")
    return float(re.search(r"scale\(([-\d.e]+)\)", transform).group(1))


def test_focus_on_a_shared_variable_keeps_labels_readable_and_points_to_far_call_sites(tab):
    # A small window: rnn_unrolled's four cells do not fit at a readable zoom.
    tab.page.set_viewport_size({"width": 900, "height": 600})
    frame = tab.open(graph_hash("rnn_unrolled", "__run_graph__", "run_graph"))
    tab.search("cell/weights")
    assert frame.locator('[data-testid="detail-name"]').text_content() == "cell/weights"
    # Labels are drawn at 12px: zoomed no further out than where they render at 11px.
    label = tab.item("cell/weights", "var").locator("text").first
    font_px = float(label.evaluate("t => getComputedStyle(t).fontSize").removesuffix("px"))
    assert font_px * view_scale(frame) >= 11 - 1e-6
    # The creator is on the canvas; the far reusers are not, an arrow on the border points to each.
    assert tab.in_view(tab.item("cell/weights", "var"))
    far = tab.item("cell_3", "scope")
    assert not tab.in_view(far)
    arrow = frame.locator('.offscreen[data-name="cell_3"]')
    assert arrow.count() == 1 and tab.in_view(arrow)
    before = frame.locator(".viewport").get_attribute("transform")
    arrow.click()
    assert frame.locator(".viewport").get_attribute("transform") != before
    assert tab.in_view(far)
    assert frame.locator('.offscreen[data-name="cell_3"]').count() == 0  # on screen now: no arrow
    assert font_px * view_scale(frame) >= 11 - 1e-6


def test_fit_shows_every_box_and_edge(tab):
    frame = tab.open(graph_hash("gan", "__run_graph__", "run_graph"))
    tab.page.mouse.move(300, 400)
    tab.page.mouse.wheel(0, -1500)  # zoom in: the drawing no longer fits
    frame.locator("button.fit").click()
    canvas = frame.locator(".canvas").bounding_box()
    for el in [*frame.locator(".viewport > .g-item").all(), *frame.locator(".viewport .edge path").all()]:
        b = el.bounding_box()
        assert canvas["x"] <= b["x"] and b["x"] + b["width"] <= canvas["x"] + canvas["width"]
        assert canvas["y"] <= b["y"] and b["y"] + b["height"] <= canvas["y"] + canvas["height"]


def test_a_click_in_the_minimap_brings_that_part_of_the_graph_into_view(tab):
    tab.page.set_viewport_size({"width": 900, "height": 600})
    frame = tab.open(graph_hash("rnn_unrolled", "__run_graph__", "run_graph"))
    minimap = frame.locator(".minimap")
    assert minimap.count() == 1 and frame.locator(".minimap .mm-view").count() == 1
    # Zoom in with the wheel so that most of the graph is off the canvas.
    canvas = frame.locator(".canvas").bounding_box()
    tab.page.mouse.move(canvas["x"] + 100, canvas["y"] + 100)
    tab.page.mouse.wheel(0, -1200)
    hidden = None
    for rect in frame.locator(".minimap .mm-items rect.mm-leaf").all():
        item = frame.locator(f'.viewport > .g-item[data-id="{rect.get_attribute("data-item")}"]')
        if not tab.in_view(item):
            hidden = (rect, item)
            break
    assert hidden, "the zoomed view still shows everything"
    rect, item = hidden
    before = frame.locator(".viewport").get_attribute("transform")
    b = rect.bounding_box()
    tab.page.mouse.click(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2)
    assert frame.locator(".viewport").get_attribute("transform") != before
    assert tab.in_view(item)
    # The viewport rectangle moved over the clicked point.
    v = frame.locator(".minimap .mm-view").bounding_box()
    assert v["x"] <= b["x"] + b["width"] / 2 <= v["x"] + v["width"]
    assert v["y"] <= b["y"] + b["height"] / 2 <= v["y"] + v["height"]


def test_a_keras_layer_weight_selects_and_shows_the_layer_that_creates_it(tab):
    """A Keras layer graph folds weights into the layer's node: selecting one selects that layer."""
    frame = tab.open(graph_hash("keras_shared_layer/train", "keras", "keras_model"))
    canvas = frame.locator(".canvas").bounding_box()
    tab.page.mouse.move(canvas["x"] + 20, canvas["y"] + 20)
    tab.page.mouse.wheel(0, -2500)  # zoomed into a corner: the layers are off-screen
    creator = tab.item("shared_dense", "op")
    assert not tab.in_view(creator)
    tab.search("shared_dense/kernel")
    assert frame.locator('[data-testid="detail-name"]').text_content() == "shared_dense/kernel"
    assert creator.get_attribute("data-selected") == "true"
    assert tab.in_view(creator)
    assert 12 * view_scale(frame) >= 11 - 1e-6
