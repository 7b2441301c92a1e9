"""A page on TensorBoard's Scopes dashboard in Playwright: the plugin's frame, and every error seen.

Shared by the browser tests; conftest.py's `browser` and `tab` fixtures make one per test.
"""

_DRAWN = """els => els.map((e) => [e.dataset.name, e.dataset.kind, e.dataset.status || "",
  e.dataset.expanded || "", e.dataset.aux || "", e.dataset.links || "", e.textContent])"""


class Tab:
    """A page on the Scopes dashboard, with the plugin's frame and the errors seen."""

    def __init__(self, browser, tb, color_scheme="light"):
        self.context = browser.new_context(viewport={"width": 1400, "height": 900}, color_scheme=color_scheme)
        self.page = self.context.new_page()
        self.tb = tb
        self.errors = []
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        # A name rendered as HTML would run alert(1): any dialog is a failure.
        self.page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))

    def _on_console(self, msg):
        if msg.type == "error":
            self.errors.append(f"console: {msg.text} @ {msg.location.get('url', '')}")

    def open(self, hash_="#scopes", timeout=120_000):
        self.page.goto(f"{self.tb.url}/{hash_}")
        self.frame = self.page.frame_locator("iframe")
        root = self.frame.locator("#scopes-root")
        # Fail fast with the tab's own message instead of timing out on an error.
        self.frame.locator('#scopes-root[data-state="ready"], #scopes-root[data-state="error"]').wait_for(
            timeout=timeout
        )
        assert root.get_attribute("data-state") == "ready", self.frame.locator(".overlay").text_content()
        return self.frame

    def item(self, name, kind=None):
        sel = f'.g-item[data-name="{name}"]'
        if kind:
            sel += f'[data-kind="{kind}"]'
        return self.frame.locator(sel)

    def search(self, text):
        box = self.frame.locator(".search input")
        box.fill(text)
        self.frame.locator(f'.search li[data-name="{text}"]').first.click()

    def drawn(self):
        """Every drawn item as (name, kind, status, open, at the side, links, text), sorted."""
        return sorted(map(tuple, self.frame.locator(".g-item").evaluate_all(_DRAWN)))

    def hash(self):
        return self.page.evaluate("location.hash")

    def in_view(self, locator):
        """True when the element's box overlaps the visible graph canvas."""
        box = locator.bounding_box()
        canvas = self.frame.locator(".canvas").bounding_box()
        return (
            box is not None
            and box["x"] < canvas["x"] + canvas["width"]
            and box["x"] + box["width"] > canvas["x"]
            and box["y"] < canvas["y"] + canvas["height"]
            and box["y"] + box["height"] > canvas["y"]
        )

    def close(self):
        self.context.close()
