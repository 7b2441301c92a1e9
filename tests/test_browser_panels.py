"""The side panel and the everyday tools: Details on top, Findings and Variables tabs, links in a
finding's evidence, exports, collapse / expand to a level, and labels that agree.

Real TensorBoard on copies of the demo's runs (demo/train.py) plus a hand-written graph whose
variable names hold a comma and a quote; real Chromium. Every test waits for data-state="ready"
and fails on any console error or dialog (the `tab` fixture).
"""

import math
import shutil
import urllib.parse

import pytest

from tests.logdirs import add_float_placeholder, add_ref_variable, write_graph_def

pytestmark = pytest.mark.browser

pytest.importorskip("playwright.sync_api")

DEMO_RUNS = ["gan", "siamese_bug", "deep_mlp", "article_nested"]
ODD = "odd"  # a run whose variable names need CSV quoting
ODD_NAMES = ["a,b/weights", 'say "hi"/weights', "<img src=x onerror=alert(1)>/weights"]
MANY = "many"  # 5,000 variables: the table draws them a page at a time
BLOCKS, PER_BLOCK = 50, 100
GRAPH = "&p.scopes.tag=__run_graph__"


def odd_graph_def():
    """x -> MatMul reading each of two variables whose names hold a comma and a quote."""
    from tensorboard.compat.proto import graph_pb2

    g = graph_pb2.GraphDef()
    add_float_placeholder(g, "x")
    for name in ODD_NAMES:
        read = add_ref_variable(g, name, (4, 3))
        g.node.add(name=f"{name.split('/')[0]}/MatMul", op="MatMul", input=["x", read])
    return g


def many_variables_graph_def():
    """BLOCKS scopes of PER_BLOCK variables, each read by one MatMul of its scope."""
    from tensorboard.compat.proto import graph_pb2

    g = graph_pb2.GraphDef()
    add_float_placeholder(g, "x")
    for b in range(BLOCKS):
        for i in range(PER_BLOCK):
            read = add_ref_variable(g, f"block_{b}/w_{i}", (2, i + 1))
            g.node.add(name=f"block_{b}/MatMul_{i}", op="MatMul", input=["x", read])
    return g


@pytest.fixture(scope="module")
def tb(tmp_path_factory, demo_logdir):
    from tests.tb_server import TensorBoard

    logdir = tmp_path_factory.mktemp("browser_panels")
    for run in DEMO_RUNS:
        shutil.copytree(demo_logdir / run, logdir / run)
    write_graph_def(logdir, ODD, odd_graph_def())
    write_graph_def(logdir, MANY, many_variables_graph_def())
    with TensorBoard(logdir) as server:
        server.wait_for_runs(DEMO_RUNS + [ODD, MANY])
        yield server


def graph_json(tb, run):
    status, body = tb.get_json(f"data/plugin/scopes/graph?run={run}&tag=__run_graph__")
    assert status == 200
    return body


def category(v, findings):
    """The colour category the tab paints a variable with (model.ts variableStatus)."""
    if any(findings[i]["severity"] == "bug" for i in v["findings"]):
        return "missed"
    return {"shared": "shared", "unused": "unused"}.get(v["status"], "created")


def wait_ready(frame):
    frame.locator('#scopes-root[data-state="ready"]').wait_for()


def open_tab(frame, name):
    frame.locator(f'button.sidetab[data-tab="{name}"]').click()
    frame.locator(f'.side-body[data-tab="{name}"]').wait_for()


# 1. Side panel organisation


def test_findings_tab_counts_bugs_apart_from_notes(tab):
    frame = tab.open(f"#scopes&p.scopes.run=siamese_bug{GRAPH}")
    findings = frame.locator('button.sidetab[data-tab="findings"]')
    assert findings.get_attribute("aria-selected") == "true"  # open first when nothing is selected
    assert findings.text_content() == "Findings (1 bug)"
    assert findings.locator(".n-bugs").text_content() == "1 bug"
    assert frame.locator('button.sidetab[data-tab="variables"]').text_content() == "Variables (8)"
    tab.open(f"#scopes&p.scopes.run=deep_mlp{GRAPH}")
    findings = frame.locator('button.sidetab[data-tab="findings"]')
    assert findings.text_content() == "Findings (1 note)"
    assert findings.locator(".n-bugs").count() == 0
    # The legend stays on screen whatever tab is open.
    open_tab(frame, "variables")
    assert frame.locator(".side-legend .legend").is_visible()
    # Arrow keys move between the tabs.
    frame.locator('button.sidetab[data-tab="variables"]').press("ArrowLeft")
    frame.locator('.side-body[data-tab="findings"]').wait_for()
    assert frame.locator('button.sidetab[data-tab="findings"]').evaluate("e => e === document.activeElement")


def test_a_click_on_the_graph_always_shows_its_details(tab):
    frame = tab.open(f"#scopes&p.scopes.run=gan{GRAPH}")
    open_tab(frame, "variables")
    tab.item("generator", "scope").click()
    detail = frame.locator('[data-testid="detail-name"]')
    detail.wait_for()
    assert detail.text_content() == "generator"
    assert detail.is_visible() and detail.bounding_box()["y"] < 900


def test_the_wider_variables_tab_keeps_the_selection_in_view(tab):
    frame = tab.open(f"#scopes&p.scopes.run=gan{GRAPH}&p.scopes.node=discriminator/hidden/bias")
    bias = tab.item("discriminator/hidden/bias")
    assert tab.in_view(bias)
    narrow = frame.locator(".canvas").bounding_box()["width"]
    open_tab(frame, "variables")
    assert frame.locator(".canvas").bounding_box()["width"] < narrow - 100
    assert tab.in_view(bias)


def test_the_side_panel_can_be_widened_by_dragging_its_edge(tab):
    frame = tab.open(f"#scopes&p.scopes.run=gan{GRAPH}")
    side = frame.locator(".side")
    before = side.bounding_box()["width"]
    handle = frame.locator(".splitter").bounding_box()
    x, y = handle["x"] + handle["width"] / 2, handle["y"] + 200
    tab.page.mouse.move(x, y)
    tab.page.mouse.down()
    tab.page.mouse.move(x - 200, y, steps=5)
    tab.page.mouse.up()
    assert abs(side.bounding_box()["width"] - (before + 200)) <= 2


# 2. The variables table


def test_variables_table_sorts_filters_and_selects(tab):
    body = graph_json(tab.tb, "gan")
    variables = body["variables"]
    frame = tab.open(f"#scopes&p.scopes.run=gan{GRAPH}")
    open_tab(frame, "variables")
    unshared = sum(v["params"] * max(1, len(v["uses"])) for v in variables)
    assert frame.locator('[data-testid="param-totals"]').text_content() == (
        f"{body['total_params']:,} unique parameters · {unshared:,} if nothing were shared"
    )
    rows = frame.locator("table.vartable tbody tr[data-variable]")
    assert rows.count() == len(variables)
    # Every row's shape agrees with its params count.
    for shape, count in zip(
        frame.locator('tbody td[data-col="shape"]').all_text_contents(),
        frame.locator('tbody td[data-col="params"]').all_text_contents(),
        strict=True,
    ):
        dims = [int(d) for d in shape.strip("[]").split(", ") if d]
        assert math.prod(dims) == int(count.replace(",", "")), (shape, count)
    # Sort by params: biggest first, then toggled.
    params = frame.locator('th[data-col="params"]')
    params.locator("button").click()
    assert params.get_attribute("aria-sort") == "descending"
    want = sorted(variables, key=lambda v: (-v["params"], v["name"]))
    names = [r.get_attribute("data-variable") for r in rows.all()]
    assert names == [v["name"] for v in want]
    cells = frame.locator('tbody td[data-col="params"]').all_text_contents()
    assert cells[:3] == [f"{v['params']:,}" for v in want[:3]]
    params.locator("button").click()
    assert params.get_attribute("aria-sort") == "ascending"
    assert frame.locator('th[data-col="name"]').get_attribute("aria-sort") == "none"
    first = rows.first.get_attribute("data-variable")
    assert first == sorted(variables, key=lambda v: (v["params"], v["name"]))[0]["name"]
    # Filter by status: shared.
    frame.locator("select.var-status").select_option("shared")
    shared = [v["name"] for v in variables if category(v, body["findings"]) == "shared"]
    assert len(shared) == 4
    assert rows.count() == len(shared)
    assert set(frame.locator('tbody td[data-col="status"]').all_text_contents()) == {"shared"}
    assert frame.locator(".variables .shown").text_content() == f"4 of {len(variables)} variables"
    # And by text.
    frame.locator("input.var-filter").fill("out/")
    assert [r.get_attribute("data-variable") for r in rows.all()] == [
        "discriminator/out/bias",
        "discriminator/out/weights",
    ]
    # A row selects its variable, as the search does.
    frame.locator('tr[data-variable="discriminator/out/weights"]').click()
    wait_ready(frame)
    assert frame.locator('[data-testid="detail-name"]').text_content() == "discriminator/out/weights"
    assert "p.scopes.node=" + urllib.parse.quote("discriminator/out/weights", safe="") in tab.hash()
    row = frame.locator('tr[data-variable="discriminator/out/weights"]')
    assert row.get_attribute("aria-selected") == "true"
    assert tab.item("discriminator/out/weights").get_attribute("data-selected") == "true"


def test_five_thousand_variables_are_drawn_a_page_at_a_time(tab):
    total = BLOCKS * PER_BLOCK
    frame = tab.open(f"#scopes&p.scopes.run={MANY}{GRAPH}")
    assert frame.locator('button.sidetab[data-tab="variables"]').text_content() == "Variables (5,000)"
    open_tab(frame, "variables")
    rows = frame.locator("table.vartable tbody tr[data-variable]")
    assert rows.count() == 200
    more = frame.locator(".variables button.show-more")
    assert more.text_content() == f"show 200 more of {total - 200:,}"
    more.click()
    assert rows.count() == 400
    params = sum(2 * (i + 1) for i in range(PER_BLOCK)) * BLOCKS
    assert frame.locator('[data-testid="param-totals"]').text_content() == (
        f"{params:,} unique parameters · {params:,} if nothing were shared"
    )
    frame.locator("input.var-filter").fill("no such name")
    assert rows.count() == 0
    assert frame.locator(".vartable td.empty").text_content() == "No variable matches these filters."
    frame.locator("input.var-filter").fill("block_7/")
    assert rows.count() == PER_BLOCK and more.is_hidden()
    assert frame.locator(".variables .shown").text_content() == f"100 of {total:,} variables"
    frame.locator('th[data-col="params"] button').click()
    assert rows.first.get_attribute("data-variable") == f"block_7/w_{PER_BLOCK - 1}"
    rows.first.click()
    wait_ready(frame)
    assert frame.locator('[data-testid="detail-name"]').text_content() == f"block_7/w_{PER_BLOCK - 1}"


# 3. Links in a finding's evidence


def test_variable_names_in_a_findings_evidence_select_the_variable(tab):
    body = graph_json(tab.tb, "siamese_bug")
    bug = body["findings"][0]
    frame = tab.open(f"#scopes&p.scopes.run=siamese_bug{GRAPH}")
    card = frame.locator('.finding[data-severity="bug"]')
    links = card.locator("a.var-link")
    # Each of the eight weights is named once in the evidence ("a, b: same shape ..."): one link each.
    linked = [a.get_attribute("data-variable") for a in links.all()]
    assert sorted(linked) == sorted(bug["variables"]) and len(linked) == 8
    # The line's text is unchanged by the links.
    assert card.locator("li").first.text_content() == bug["evidence"][0]
    card.locator('a.var-link[data-variable="tower_1/hidden/weights"]').click()
    wait_ready(frame)
    assert frame.locator('[data-testid="detail-name"]').text_content() == "tower_1/hidden/weights"
    assert "p.scopes.node=" + urllib.parse.quote("tower_1/hidden/weights", safe="") in tab.hash()
    # Selecting a variable is not focusing the finding.
    assert card.get_attribute("class").split().count("active") == 0
    # The scopes the message names ("tower and tower_1 look like copies") select the scope.
    scopes = card.locator(".msg a.scope-link")
    assert scopes.all_text_contents() == ["tower", "tower_1"]
    assert card.locator(".msg").text_content() == bug["message"]
    scopes.nth(1).click()
    wait_ready(frame)
    assert frame.locator('[data-testid="detail-name"]').text_content() == "tower_1"
    assert "p.scopes.scope=tower_1" in tab.hash()


# 4. Export


def export(tab, frame, kind, tmp_path):
    """Click Export -> kind inside Playwright's download wait; return the saved file's path."""
    frame.locator(".export-menu > summary").click()
    with tab.page.expect_download() as info:
        frame.locator(f"button.export-{kind}").click()
    download = info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return path


def test_the_drawing_exports_as_svg_and_png(tab, tmp_path):
    import xml.etree.ElementTree as ET

    frame = tab.open(f"#scopes&p.scopes.run=gan{GRAPH}&p.scopes.expanded=discriminator")
    drawn = {
        n for n in frame.locator(".g-item[data-name]").evaluate_all("els => els.map(e => e.dataset.name)")
    }
    assert {"discriminator/hidden", "generator"} <= drawn
    svg = export(tab, frame, "svg", tmp_path)
    assert svg.name == "gan-__run_graph__.svg"
    root = ET.parse(svg).getroot()  # parses as XML
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg" and float(root.get("width")) > 100
    names = {g.get("data-name") for g in root.iter(f"{ns}g") if g.get("data-name")}
    assert names == drawn  # the same items as on screen
    labels = {t.text for t in root.iter(f"{ns}text")}
    assert {"hidden", "out", "generator", "discriminator"} <= labels  # names as text
    # Colours are inline: a box painted "shared" keeps its purple outside the tab.
    shared = next(g for g in root.iter(f"{ns}g") if g.get("data-name") == "discriminator/hidden")
    body = next(r for r in shared.iter(f"{ns}rect") if r.get("class") == "body")
    assert "stroke:rgb(123, 31, 162)" in body.get("style")
    png = export(tab, frame, "png", tmp_path)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    # Names that look like markup stay text in the file: it still parses, the name is in it as written.
    frame = tab.open(f"#scopes&p.scopes.run={ODD}{GRAPH}&p.scopes.expanded=<img src=x onerror=alert(1)>")
    root = ET.parse(export(tab, frame, "svg", tmp_path)).getroot()
    names = {g.get("data-name") for g in root.iter(f"{ns}g")}
    assert "<img src=x onerror=alert(1)>/weights" in names
    assert not list(root.iter(f"{ns}img")) and not list(root.iter("img"))


def test_the_variables_export_as_csv_with_proper_quoting(tab, tmp_path):
    import csv

    for run in ("gan", ODD):
        body = graph_json(tab.tb, run)
        frame = tab.open(f"#scopes&p.scopes.run={run}{GRAPH}")
        path = export(tab, frame, "csv", tmp_path)
        assert path.name == f"{run}-__run_graph__-variables.csv"
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        assert rows[0] == ["name", "owner scope", "shape", "dtype", "params", "status", "uses", "findings"]
        assert [r[0] for r in rows[1:]] == sorted(v["name"] for v in body["variables"])
        by_name = {v["name"]: v for v in body["variables"]}
        for r in rows[1:]:
            v = by_name[r[0]]
            assert r[4] == str(v["params"]) and r[6] == str(len(v["uses"]))
    assert sorted(r[0] for r in rows[1:]) == sorted(ODD_NAMES)
    raw = path.read_text(encoding="utf-8")
    assert '"a,b/weights"' in raw and '"say ""hi""/weights"' in raw
    # In the table the names are text: no element made of them (a dialog would fail the test).
    open_tab(frame, "variables")
    cells = frame.locator('tbody td[data-col="name"]')
    assert sorted(cells.all_text_contents()) == sorted(ODD_NAMES)
    assert frame.locator(".vartable img").count() == 0


# 5. Collapse all, expand to a level


def test_expand_to_level_and_collapse_all(tab):
    frame = tab.open(f"#scopes&p.scopes.run=article_nested{GRAPH}")
    frame.locator("select.expand-level").select_option("2")
    wait_ready(frame)
    boxes = frame.locator('.g-item[data-expanded="true"]')
    paths = boxes.evaluate_all("els => els.map(e => e.dataset.name)")
    depths = {p.count("/") + 1 for p in paths}
    assert depths == {1, 2}  # boxes two levels deep, none deeper
    assert "p.scopes.expanded=" in tab.hash()
    assert set(
        urllib.parse.unquote(tab.hash().split("p.scopes.expanded=")[1].split("&")[0]).split(",")
    ) == set(paths)
    frame.locator("button.collapse-all").click()
    wait_ready(frame)
    assert boxes.count() == 0
    tops = frame.locator(".g-item").evaluate_all("els => els.map(e => e.dataset.name)")
    assert tops and all("/" not in n for n in tops)  # only top-level items
    assert "p.scopes.expanded" not in tab.hash()


# 6. Labels that agree


def test_a_badge_over_several_owners_says_where_from(tab):
    tab.open(f"#scopes&p.scopes.run=gan{GRAPH}")
    # discriminator_1 reads discriminator/hidden's and discriminator/out's weights and biases.
    badge = tab.item("discriminator_1", "scope").locator("text.badge")
    assert (
        badge.evaluate("e => e.firstChild.textContent") == "reuses 4 variables from discriminator"
    )  # then its <title>


def test_one_call_site_reads_created_here_everywhere(tab):
    frame = tab.open(f"#scopes&p.scopes.run=gan{GRAPH}&p.scopes.node=generator/out/weights")
    details = frame.locator(".side-details")
    assert details.locator(".title .pill").text_content() == "created here"
    assert details.locator("dt", has_text="call sites").locator(
        "xpath=following-sibling::dd[1]"
    ).text_content() == ("1 call site")
    assert "unshared" not in frame.locator(".side").text_content()
    legend = frame.locator('.legend [data-status="created"]').text_content()
    assert legend.startswith("created here")
    open_tab(frame, "variables")
    cell = frame.locator('tr[data-variable="generator/out/weights"] td[data-col="status"]')
    assert cell.text_content() == "created here"
    # A variable read by two call sites says so in both places.
    frame.locator('tr[data-variable="discriminator/out/weights"]').click()
    wait_ready(frame)
    assert details.locator(".title .pill").text_content() == "shared"
    assert "2 call sites" in details.text_content()
    # Its creating call site is outlined green although the variable is shared: the legend says why.
    outlines = frame.locator(".legend [data-highlight]")
    assert outlines.all_text_contents() == [
        "the call site that created the selection",
        "call sites that reuse it",
    ]


def test_the_findings_tab_and_its_heading_do_not_disagree(tab):
    frame = tab.open(f"#scopes&p.scopes.run=deep_mlp{GRAPH}")
    assert frame.locator('button.sidetab[data-tab="findings"]').text_content() == "Findings (1 note)"
    assert frame.locator("section.findings h3").first.text_content() == "Bugs (0)"


def test_the_status_line_counts_what_is_drawn_and_sits_below_the_graph(tab):
    body = graph_json(tab.tb, "gan")
    frame = tab.open(f"#scopes&p.scopes.run=gan{GRAPH}")
    line = frame.locator(".statusline")
    roles = body["graph"]["role_names"]
    machinery = {
        m["name"] for m in body["machinery"]
    }  # beta1_power: drawn as a variable, listed as machinery
    g = body["graph"]
    aside = sum(
        roles[r] in ("machinery", "gradient") or n in machinery
        for n, r in zip(g["nodes"], g["roles"], strict=True)
    )
    every = len(g["nodes"])
    # By default the machinery is drawn in side columns: counted, and said to be at the side.
    text = line.text_content()
    assert text.startswith(f"{frame.locator('.g-item').count()} items drawn of {every} nodes · ")
    at_side = int(text.split(" · ")[1].split(" ")[0].replace(",", ""))
    assert text.split(" · ")[1] == f"{at_side:,} training-machinery nodes at the side"
    assert at_side >= aside  # the optimizer's constants join the machinery the roles name
    svg = frame.locator(".canvas svg.graph").bounding_box()
    box = line.bounding_box()
    assert box["y"] >= svg["y"] + svg["height"] - 0.5  # under the drawing, not over it
    # Hidden: the machinery the backend names is set aside, and the line says how much.
    frame.locator("select.machinery").select_option("hidden")
    wait_ready(frame)
    assert line.text_content().startswith(
        f"{frame.locator('.g-item').count()} items drawn of {every - aside} nodes · "
        f"{aside} training-machinery nodes set aside · "
    )
    # In the graph: nothing is set aside any more.
    frame.locator("select.machinery").select_option("graph")
    wait_ready(frame)
    assert "set aside" not in line.text_content() and "at the side" not in line.text_content()
    assert line.text_content().startswith(f"{frame.locator('.g-item').count()} items drawn of {every} nodes")


def test_optimizer_variables_are_set_aside_with_the_machinery(tab):
    """TF1 Adam's beta1_power is listed under `machinery` by the backend: it is not drawn as a weight."""
    body = graph_json(tab.tb, "gan")
    assert "beta1_power" in {m["name"] for m in body["machinery"]}
    frame = tab.open(f"#scopes&p.scopes.run=gan{GRAPH}&p.scopes.machinery=0")
    assert tab.item("beta1_power").count() == 0
    # At the side (the default), it is training machinery: in the side column, never a weight.
    frame.locator("select.machinery").select_option("side")
    wait_ready(frame)
    assert tab.item("beta1_power").get_attribute("data-aux") == "true"
    frame.locator("select.machinery").select_option("graph")
    wait_ready(frame)
    assert tab.item("beta1_power").count() == 1
