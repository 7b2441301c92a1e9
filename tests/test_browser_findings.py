"""The tab tells bugs from notes, shows warnings, and sets training machinery aside.

Real TensorBoard, real Chromium.

Same harness as test_browser_tab.py: one tensorboard and one browser for the module, every
test waits for data-state="ready" and fails on any console error or dialog.
"""

import shutil

import pytest
import tensorflow as tf

from demo import torch_models
from tests import logdirs
from tests.tb_server import TensorBoard

pytestmark = pytest.mark.browser

pytest.importorskip("playwright.sync_api")

RUNS = ["deep_mlp", "siamese_bug", "gan", "trace"]
SERIES_RUN = "four_towers"
TORCH_RUNS = ["pytorch_shared", "pytorch_deepcopy_bug"]
GRAPH = "&p.scopes.tag=__run_graph__"


@pytest.fixture(scope="module")
def tb(tmp_path_factory, patterns_logdir):
    """Copies of the session's runs: a second trace in one process would pick up other traced work."""
    logdir = tmp_path_factory.mktemp("browser_findings")
    for run in RUNS:  # `trace` logs no names: the derived_names warning
        shutil.copytree(patterns_logdir / run, logdir / run)
    for run in TORCH_RUNS:  # the demo's PyTorch model, logged with add_graph and torch_parameters
        torch_models.train(str(logdir / run), copied=run == "pytorch_deepcopy_bug", steps=1)
    graph = logdirs.build_four_towers()
    with graph.as_default():  # FileWriter refuses to run eagerly
        tf.compat.v1.summary.FileWriter(str(logdir / SERIES_RUN), graph).close()
    with TensorBoard(logdir) as server:
        server.wait_for_runs(RUNS + TORCH_RUNS + [SERIES_RUN])
        yield server


def test_a_bug_inside_a_series_is_painted_on_it_and_reached_from_its_finding(tab):
    frame = tab.open(f"#scopes&p.scopes.run={SERIES_RUN}{GRAPH}")
    series = tab.item("tower, tower_[1-3]", "scope")
    assert series.get_attribute("data-status") == "missed"
    assert "4 members · 4 create" in series.text_content()
    assert tab.item("tower_3", "scope").count() == 0  # folded inside the series
    # One bug names all four towers (findings/missed_sharing.py groups the pairs).
    card = frame.locator('section.findings .finding[data-severity="bug"]')
    assert card.count() == 1
    assert (
        card.locator(".msg").text_content().startswith("tower, tower_1, tower_2 and tower_3 look like copies")
    )
    card.click()
    frame.locator('#scopes-root[data-state="ready"]').wait_for()
    # The series opened for the finding: the copies' variables are drawn, highlighted and in view.
    assert series.get_attribute("data-expanded") == "true"
    for name in ("tower/hidden/weights", "tower_3/hidden/weights"):
        el = tab.item(name, "var")
        assert el.get_attribute("data-highlight") == "finding", name
        assert tab.in_view(el), name
    # The URL keeps the open series (its name holds a comma): a reload shows the same view.
    tab.open(tab.hash())
    assert series.get_attribute("data-expanded") == "true"
    assert tab.item("tower_3/hidden/weights", "var").count() == 1


def test_alike_layers_in_a_stack_are_a_muted_note_not_a_bug(tab):
    frame = tab.open(f"#scopes&p.scopes.run=deep_mlp{GRAPH}&p.scopes.expanded=layer_2")
    findings = frame.locator("section.findings")
    assert findings.locator("h3").first.text_content() == "Bugs (0)"
    assert findings.locator(".empty").text_content() == "No bugs found."
    notes = findings.locator("details.notes")
    assert notes.locator("summary").text_content() == "Notes (1): alike layers, probably intended"
    assert notes.get_attribute("open") is None  # grouped and closed
    assert notes.locator('.finding[data-severity="note"]').count() == 1  # weights and biases in one
    # No variable or scope is painted as a bug.
    assert frame.locator('.g-item[data-status="missed"]').count() == 0
    assert tab.item("layer_2/weights").get_attribute("data-status") == "created"
    # Its details list the note muted, not in the bug colour.
    tab.item("layer_2/weights").click()
    note = frame.locator(".side li.note")
    assert note.count() == 1 and note.text_content().startswith("4 alike layers in a stack")
    assert frame.locator(".side li.st-missed").count() == 0


def test_a_bug_is_painted_and_says_how_to_fix_it(tab):
    frame = tab.open(f"#scopes&p.scopes.run=siamese_bug{GRAPH}")
    card = frame.locator('section.findings .finding[data-severity="bug"]')
    assert card.count() == 1
    assert card.locator(".conf").text_content() == "Possible missed sharing · high confidence"
    assert card.locator(".msg").text_content().startswith("tower and tower_1 look like copies of one another")
    assert (
        card.locator(".fix")
        .text_content()
        .startswith('Fix: build both copies in tf.compat.v1.variable_scope("tower"')
    )
    assert tab.item("tower", "scope").get_attribute("data-status") == "missed"
    # More than five evidence lines sit behind "show all".
    hidden = card.locator("li[hidden]")
    if card.locator("li").count() > 5:
        assert hidden.count() == card.locator("li").count() - 5
        card.locator("button.show-all").click()
        assert hidden.count() == 0


def test_training_machinery_can_be_hidden_or_drawn_with_the_model(tab):
    frame = tab.open(f"#scopes&p.scopes.run=gan{GRAPH}")
    mode = frame.locator("select.machinery")
    assert frame.locator("label", has=mode).text_content().startswith("Training machinery (")
    assert mode.input_value() == "side"  # the default: a column at the side (test_browser_layout.py)
    assert tab.item("gradients", "scope").get_attribute("data-aux") == "true"
    mode.select_option("hidden")
    frame.locator('#scopes-root[data-state="ready"]').wait_for()
    assert tab.item("gradients", "scope").count() == 0  # tf.gradients' backward pass
    assert tab.item("discriminator", "scope").count() == 1  # the model stays
    assert "p.scopes.machinery=0" in tab.hash()
    mode.select_option("graph")
    frame.locator('#scopes-root[data-state="ready"]').wait_for()
    assert tab.item("gradients", "scope").count() == 1
    assert tab.item("gradients", "scope").get_attribute("data-aux") is None
    assert "p.scopes.machinery=1" in tab.hash()


def test_warnings_reach_the_side_panel(tab):
    frame = tab.open("#scopes&p.scopes.run=trace&p.scopes.tag=train_step")
    warnings = frame.locator("section.warnings")
    assert warnings.locator("h3").text_content() == "Warnings (1)"
    item = warnings.locator('li[data-warning="derived_names"]')
    assert item.text_content().startswith("this TF2 graph does not carry variable names")
    # The picker names graphs in words, not by TensorBoard's internal tags.
    options = frame.locator("select.picker option").all_text_contents()
    assert "trace — trace train_step" in options and "deep_mlp — run graph" in options
    assert not [o for o in options if "__run_graph__" in o]


def test_a_pytorch_tied_embedding_reads_as_one_weight_reused_by_the_output_layer(tab):
    frame = tab.open(f"#scopes&p.scopes.run=pytorch_shared{GRAPH}&p.scopes.node=embed.weight")
    assert frame.locator('[data-testid="detail-name"]').text_content() == "embed.weight"
    uses = frame.locator("ul.uses > li")
    sites = [(li.get_attribute("data-call-site"), li.get_attribute("data-use-status")) for li in uses.all()]
    assert sites == [
        ("PairScorer/Embedding[embed]", "created"),
        ("PairScorer/Linear[out]", "reused"),
        ("PairScorer/Embedding[embed]", "reused"),  # its second call, on the other sequence
    ]
    assert "(call 2)" in uses.nth(2).text_content()
    out = tab.item("PairScorer/Linear[out]", "scope")
    assert "reuses embed.weight from PairScorer/Embedding[embed]" in out.locator("text.badge").text_content()
    # TorchScript numbers its nodes: the boxes say what they compute instead.
    assert frame.locator('.g-item[data-kind="op"]', has_text="aten::embedding").count() == 2


def test_a_deep_copied_pytorch_tower_is_painted_as_a_bug(tab):
    frame = tab.open(f"#scopes&p.scopes.run=pytorch_deepcopy_bug{GRAPH}")
    card = frame.locator('section.findings .finding[data-severity="bug"]')
    assert card.locator(".msg").text_content().startswith("left and right look like copies of one another")
    assert card.locator(".fix").text_content() == (
        "Fix: apply one module to both inputs "
        "(a second instance, or a copy.deepcopy, has parameters of its own)"
    )
    # The first view opens the model's class scope (it holds nearly every op): both towers are red.
    assert tab.item("PairScorer", "scope").get_attribute("aria-expanded") == "true"
    for tower in ("PairScorer/Tower[left]", "PairScorer/Tower[right]"):
        assert tab.item(tower, "scope").get_attribute("data-status") == "missed"
    assert tab.item("PairScorer/Embedding[embed]", "scope").get_attribute("data-status") != "missed"


def test_the_tab_follows_tensorboards_theme_both_ways(tab):
    """TensorBoard's own theme menu, not the system's colour scheme, decides the tab's colours."""
    frame = tab.open(f"#scopes&p.scopes.run=deep_mlp{GRAPH}")
    root = frame.locator("#scopes-root")
    assert frame.locator("html").get_attribute("data-theme") == "light"
    light = root.evaluate("e => getComputedStyle(e).backgroundColor")
    menu = tab.page.locator("button[aria-label='Menu for changing light or dark theme']")
    menu.click()
    tab.page.get_by_role("menuitem", name="Dark").click()
    frame.locator('html[data-theme="dark"]').wait_for()
    assert root.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(32, 33, 36)" != light
    menu.click()
    tab.page.get_by_role("menuitem", name="Light").click()
    frame.locator('html[data-theme="light"]').wait_for()
    assert root.evaluate("e => getComputedStyle(e).backgroundColor") == light


def test_a_pasted_link_and_back_forward_change_the_view(tab):
    frame = tab.open(f"#scopes&p.scopes.run=deep_mlp{GRAPH}")
    bugs = frame.locator('section.findings .finding[data-severity="bug"]')
    assert bugs.count() == 0
    # A link pasted into the address bar: the parent page's hash changes, the view follows.
    tab.page.evaluate(f"location.hash = '#scopes&p.scopes.run=siamese_bug{GRAPH}'")
    frame.locator("select.picker option:checked", has_text="siamese_bug").wait_for(state="attached")
    frame.locator('#scopes-root[data-state="ready"]').wait_for()
    assert bugs.count() == 1
    tab.page.go_back()
    frame.locator("select.picker option:checked", has_text="deep_mlp").wait_for(state="attached")
    frame.locator('#scopes-root[data-state="ready"]').wait_for()
    assert bugs.count() == 0
    tab.page.go_forward()
    frame.locator("select.picker option:checked", has_text="siamese_bug").wait_for(state="attached")
    frame.locator('#scopes-root[data-state="ready"]').wait_for()
    assert bugs.count() == 1
    # On the same graph, a link that selects a variable selects it.
    tab.page.evaluate(
        f"location.hash = '#scopes&p.scopes.run=siamese_bug{GRAPH}&p.scopes.node=tower/hidden/weights'"
    )
    detail = frame.locator('[data-testid="detail-name"]')
    detail.wait_for()
    assert detail.text_content() == "tower/hidden/weights"
