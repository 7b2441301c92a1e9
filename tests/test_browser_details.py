"""What an op is, in the tab: its attributes, inputs and shapes in the details panel.

Real TensorBoard, real Chromium; same harness as test_browser_findings.py (one tensorboard and
one browser for the module, every test waits for data-state="ready" and fails on any console
error or dialog).
"""

import shutil

import pytest

from benchmarks import side_by_side
from tests.logdirs import write_graph_def
from tests.tb_server import TensorBoard

pytestmark = pytest.mark.browser

pytest.importorskip("playwright.sync_api")

RUNS = ["article_reuse", "siamese_bug"]  # FileWriter graphs: they record every op's output shapes
TORCH_RUN = "pytorch_shared"  # add_graph records the shapes of the batch it traced
GRAPH = "&p.scopes.tag=__run_graph__"


HOSTILE = "<img src=x onerror=alert(1)>"


def hostile_attrs():
    """An op whose attribute and input names are markup: they must show as text, never as HTML."""
    from tensorboard.compat.proto import graph_pb2

    g = graph_pb2.GraphDef()
    src = g.node.add(name="src", op="Placeholder")
    src.attr["dtype"].type = 1
    op = g.node.add(name="op", op="Identity", input=["src", f"^{HOSTILE}"])
    op.attr["note"].s = HOSTILE.encode()
    op.attr[HOSTILE].i = 1
    g.node.add(name=HOSTILE, op="NoOp")
    return g


@pytest.fixture(scope="module")
def tb(tmp_path_factory, patterns_logdir):
    logdir = tmp_path_factory.mktemp("browser_details")
    for run in RUNS:
        shutil.copytree(patterns_logdir / run, logdir / run)
    from demo import torch_models

    write_graph_def(logdir, "hostile_attrs", hostile_attrs())
    torch_models.train(str(logdir / TORCH_RUN), copied=False, steps=1)
    side_by_side.build_logdir(str(logdir), scopes=5)  # the benchmark's graph, small: run "big"
    with TensorBoard(logdir) as server:
        server.wait_for_runs(RUNS + [TORCH_RUN, "hostile_attrs", side_by_side.RUN])
        yield server


def test_selecting_an_op_shows_its_attributes_and_shapes(tab):
    frame = tab.open(f"#scopes&p.scopes.run=article_reuse{GRAPH}&p.scopes.expanded=dense")
    tab.item("dense/MatMul", "op").click()
    assert frame.locator('[data-testid="detail-name"]').text_content() == "dense/MatMul"
    details = frame.locator('.op-details[data-state="ready"]')
    details.wait_for()
    assert details.locator('dd[data-attr="transpose_a"]').text_content() == "false"
    assert details.locator('dd[data-attr="T"]').text_content() == "float32"
    assert details.locator('dl.outputs dd[data-port="0"]').text_content() == "[?, 5]"
    inputs = details.locator("ul.inputs > li")
    assert inputs.all_text_contents() == ["x [?, 10]", "dense/weights/read [10, 5]"]
    # A folded helper links to the variable it belongs to.
    inputs.nth(1).locator("a").click()
    assert frame.locator('[data-testid="detail-name"]').text_content() == "dense/weights"
    assert "p.scopes.node=dense%2Fweights" in tab.hash()


def test_an_input_link_selects_the_producing_op(tab):
    frame = tab.open(f"#scopes&p.scopes.run=siamese_bug{GRAPH}&p.scopes.node=tower_1/embed/MatMul")
    details = frame.locator('.op-details[data-state="ready"]')
    details.wait_for()
    first = details.locator("ul.inputs > li").first
    assert first.get_attribute("data-input") == "tower_1/hidden/Relu"
    # A resource variable's read, folded into the variable: its link names the variable.
    read = details.locator('ul.inputs > li[data-input="tower_1/embed/MatMul/ReadVariableOp"] a')
    assert read.get_attribute("title") == "tower_1/embed/weights"
    first.locator("a").click()
    assert frame.locator('[data-testid="detail-name"]').text_content() == "tower_1/hidden/Relu"
    frame.locator('.op-details[data-state="ready"] dd[data-attr="T"]').wait_for()
    assert tab.item("tower_1/hidden/Relu", "op").get_attribute("data-selected") == "true"


def test_edges_carry_the_shape_of_their_tensor(tab):
    frame = tab.open(f"#scopes&p.scopes.run=article_reuse{GRAPH}&p.scopes.expanded=dense")
    matmul = tab.item("dense/MatMul", "op").get_attribute("data-id")
    add = tab.item("dense/add", "op").get_attribute("data-id")
    label = frame.locator(f'.edge[data-from="{matmul}"][data-to="{add}"] text.elbl')
    assert label.text_content() == "[?, 5]"  # between two ops
    # A lifted edge: x feeds the open box dense through dense/MatMul only, one shape.
    x = tab.item("x", "op").get_attribute("data-id")
    dense = tab.item("dense", "scope").get_attribute("data-id")
    assert frame.locator(f'.edge[data-from="{x}"][data-to="{dense}"] text.elbl').text_content() == "[?, 10]"


def test_the_labels_of_a_two_way_link_do_not_overlap(tab):
    """block[0-4] feeds block[0-4]_1 its activations and block[0-4]_1 feeds the next block's:
    two edges side by side between the two series, each with its shape, both readable."""
    frame = tab.open(f"#scopes&p.scopes.run={side_by_side.RUN}{GRAPH}")
    labels = frame.locator(".edge text.elbl")
    labels.first.wait_for()
    boxes = labels.evaluate_all(
        "els => els.map((e) => { const r = e.getBoundingClientRect();"
        " return [e.textContent, r.left, r.top, r.right, r.bottom]; })"
    )
    blocks = tab.item("block[0-4]", "scope").get_attribute("data-id")
    reusers = tab.item("block[0-4]_1", "scope").get_attribute("data-id")
    for a, b in ((blocks, reusers), (reusers, blocks)):
        edge = frame.locator(f'.edge[data-from="{a}"][data-to="{b}"] text.elbl')
        assert edge.text_content() == "[?, 16]"
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = a[3] <= b[1] or b[3] <= a[1] or a[4] <= b[2] or b[4] <= a[2]
            assert apart, (a, b)


def test_trace_inputs_highlights_what_an_op_is_computed_from(tab):
    frame = tab.open(f"#scopes&p.scopes.run=siamese_bug{GRAPH}&p.scopes.expanded=tower_1,tower_1/embed")
    tab.item("tower_1/embed/MatMul", "op").click()
    assert frame.locator('[data-testid="detail-name"]').text_content() == "tower_1/embed/MatMul"
    assert frame.locator(".g-item[data-highlight]").count() == 0
    frame.locator("input.trace-inputs").check()
    frame.locator('.g-item[data-highlight="trace"]').first.wait_for()
    assert "p.scopes.trace=1" in tab.hash()
    # Upstream: the second tower's hidden layer (collapsed), its input x2, the weights it reads.
    assert tab.item("tower_1/hidden", "scope").get_attribute("data-highlight") == "trace"
    assert tab.item("x2", "op").get_attribute("data-highlight") == "trace"
    assert tab.item("tower_1/embed/weights", "var").get_attribute("data-highlight") == "trace"
    # Not upstream: the first tower and its input, the loss downstream, the op itself.
    assert tab.item("tower", "scope").get_attribute("data-highlight") is None
    assert tab.item("x", "op").get_attribute("data-highlight") is None
    assert tab.item("loss", "scope").get_attribute("data-highlight") is None
    assert tab.item("tower_1/embed/MatMul", "op").get_attribute("data-highlight") is None
    assert tab.item("tower", "scope").evaluate("e => getComputedStyle(e).opacity") == "0.3"  # dimmed
    # The path stays lit: x2 into the second tower, its hidden layer into embed; x's edges are dimmed.
    x2, x = tab.item("x2", "op").get_attribute("data-id"), tab.item("x", "op").get_attribute("data-id")
    tower_1 = tab.item("tower_1", "scope").get_attribute("data-id")
    hidden = tab.item("tower_1/hidden", "scope").get_attribute("data-id")
    embed = tab.item("tower_1/embed", "scope").get_attribute("data-id")
    assert frame.locator(f'.edge[data-from="{x2}"][data-to="{tower_1}"]').get_attribute("data-lit") == "true"
    assert (
        frame.locator(f'.edge[data-from="{hidden}"][data-to="{embed}"]').get_attribute("data-lit") == "true"
    )
    assert frame.locator(f'.edge[data-from="{x}"][data-lit]').count() == 0
    assert frame.locator(f'.edge[data-from="{x}"]').count() > 0
    count = frame.locator(".trace-count").text_content()
    assert count.startswith(" (") and count.endswith(" upstream)")
    # The link keeps it: a reload shows the same trace.
    frame = tab.open(tab.hash())
    assert frame.locator("input.trace-inputs").is_checked()
    assert tab.item("tower_1/hidden", "scope").get_attribute("data-highlight") == "trace"
    frame.locator("input.trace-inputs").uncheck()
    assert frame.locator(".g-item[data-highlight]").count() == 0
    assert frame.locator(".edge[data-lit]").count() == 0
    assert "trace" not in tab.hash()


def test_a_pytorch_graph_shows_the_shapes_add_graph_traced(tab):
    frame = tab.open(f"#scopes&p.scopes.run={TORCH_RUN}{GRAPH}")
    labels = frame.locator(".edge text.elbl")
    labels.first.wait_for()
    texts = set(labels.all_text_contents())
    # The two sequences of 6 token ids it was traced with, and the scores over the 32-word vocabulary.
    assert {"[2, 6]", "[2, 32]"} <= texts


def test_markup_in_attributes_shows_as_text(tab):
    frame = tab.open("#scopes&p.scopes.run=hostile_attrs&p.scopes.node=op")
    details = frame.locator('.op-details[data-state="ready"]')
    details.wait_for()
    assert details.locator('dd[data-attr="note"]').text_content() == f'"{HOSTILE}"'
    assert details.locator(f'dd[data-attr="{HOSTILE}"]').text_content() == "1"
    assert details.locator("ul.control-inputs li").text_content() == HOSTILE
    assert frame.locator(".side img").count() == 0  # and the tab fixture fails on any dialog
