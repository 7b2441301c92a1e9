"""Take the screenshots of docs/guide.md from a real TensorBoard serving the demo logdir.

    python docs/make_screenshots.py [--logdir runs/demo] [--out docs/screenshots]

Creates the demo logdir with demo/train.py when it is missing, starts TensorBoard with the
installed plugin (tests/tb_server.py), drives the system Chromium headless with Playwright, opens
each view through the tab's URL-hash state and saves a 1400x900 PNG once the tab says it is ready.
"""

import argparse
import os
import subprocess
import sys
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:  # run as a script: make `tests.tb_server` importable
    sys.path.insert(0, ROOT)

from tests.tb_server import TensorBoard, launch_chromium  # noqa: E402

WIDTH, HEIGHT = 1400, 900
RUN_GRAPH = "__run_graph__"

# (file name, run, tag, selected node or None, colour scheme, elements to click once ready or None):
# one entry per screenshot of the guide.
SHOTS = [
    ("overview.png", "gan", RUN_GRAPH, None, "light", None),
    ("shared-variable.png", "article_reuse", RUN_GRAPH, "dense/weights", "light", None),
    ("findings-siamese.png", "siamese_bug", RUN_GRAPH, None, "light", None),
    # prefers-color-scheme: dark turns on TensorBoard's own dark mode, which the tab follows.
    ("dark.png", "siamese_fixed", RUN_GRAPH, "tower/hidden/weights", "dark", None),
    # A PyTorch graph (add_graph): the tied embedding, created in `embed` and reused by `out`.
    ("pytorch.png", "pytorch_shared", RUN_GRAPH, "embed.weight", "light", None),
    # The Variables tab: every weight with its owner, shape, status and call sites.
    (
        "variables.png",
        "gan",
        RUN_GRAPH,
        "discriminator/hidden/weights",
        "light",
        ['button.sidetab[data-tab="variables"]'],
    ),
    # A series: deep_mlp's five alike layers fold into one box, here opened with its details.
    (
        "series.png",
        "deep_mlp",
        RUN_GRAPH,
        None,
        "light",
        ['.g-item[data-name="layer, layer_[1-4]"] .exp', '.g-item[data-name="layer, layer_[1-4]"] .lbl'],
    ),
    # A run of alike ops folds too: the GAN's `gradients` box, its AddN ops one series box.
    ("op-series.png", "gan", RUN_GRAPH, None, "light", ['.g-item[data-name="gradients"] .exp']),
    # An op's details: attributes, inputs and shapes from the `node` route, shapes on the edges.
    ("op-details.png", "article_reuse", RUN_GRAPH, "dense_1/MatMul", "dark", None),
]


def scopes_url(base, run, tag, node=None):
    """The TensorBoard URL that opens the Scopes tab on one graph (and optionally one selected node)."""
    params = [("run", run), ("tag", tag)] + ([("node", node)] if node else [])
    state = "&".join(f"p.scopes.{key}={urllib.parse.quote(value, safe='')}" for key, value in params)
    return f"{base}/#scopes&{state}"


def ensure_logdir(logdir):
    """Train the demo runs that are missing (demo/train.py --if-missing does nothing when all exist)."""
    train = os.path.join(ROOT, "demo", "train.py")
    subprocess.run([sys.executable, train, "--logdir", logdir, "--if-missing"], check=True)


def wait_ready(page, timeout_s):
    """Wait until the plugin iframe's root reports data-state="ready"; return that frame."""
    deadline_ms = timeout_s * 1000
    waited = 0
    while waited < deadline_ms:
        for frame in page.frames:
            if frame is page.main_frame:
                continue
            try:
                if frame.query_selector('[data-state="ready"]'):
                    return frame
                error = frame.query_selector('[data-state="error"]')
            except Exception:  # the frame navigated while we looked at it: look again
                continue
            if error:
                raise RuntimeError(f"the Scopes tab shows an error: {error.inner_text()[:300]}")
        page.wait_for_timeout(250)
        waited += 250
    raise TimeoutError(f'no [data-state="ready"] in the Scopes iframe after {timeout_s} s ({page.url})')


def take(browser, url, path, scheme, timeout_s, clicks=None):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(url, wait_until="domcontentloaded")
        frame = wait_ready(page, timeout_s)
        # "ready" must mean the graph is on screen: a progress spinner still showing is a bug of the
        # tab, and a screenshot of it would mislead the guide's readers.
        try:
            frame.wait_for_selector(".spinner", state="hidden", timeout=10_000)
        except Exception as err:
            raise RuntimeError(f"{url}: the tab says ready but still shows its progress spinner") from err
        for selector in clicks or ():
            frame.click(selector)
            frame.wait_for_selector('#scopes-root[data-state="ready"]')
        # Let the layout settle (fonts, the graph's fit-to-view) before the capture.
        page.wait_for_timeout(800)
        page.screenshot(path=path)
    finally:
        context.close()


def make_screenshots(logdir, out_dir, timeout_s=90, shots=SHOTS):
    """Write every screenshot of `shots` into out_dir; return the written paths."""
    from playwright.sync_api import sync_playwright

    os.makedirs(out_dir, exist_ok=True)
    written = []
    with TensorBoard(logdir) as tb:
        tb.wait_for_runs(sorted({shot[1] for shot in shots}))
        with sync_playwright() as p:
            browser = launch_chromium(p)
            try:
                for name, run, tag, node, scheme, click in shots:
                    path = os.path.join(out_dir, name)
                    take(browser, scopes_url(tb.url, run, tag, node), path, scheme, timeout_s, click)
                    print(f"wrote {path}", flush=True)
                    written.append(path)
            finally:
                browser.close()
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logdir", default=os.path.join(ROOT, "runs", "demo"))
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "screenshots"))
    parser.add_argument("--timeout", type=float, default=90, help="seconds to wait for each view")
    args = parser.parse_args(argv)
    ensure_logdir(args.logdir)
    make_screenshots(args.logdir, args.out, args.timeout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
