"""Start a real `tensorboard` process with the installed plugin and talk to it over HTTP.

Used by the server tests and the browser tests: nothing here is mocked.
"""

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

# Debian's Chromium (Playwright cannot download its own browser here), with flags that keep a
# headless Chromium in a container quiet and off the network.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def launch_chromium(playwright):
    """A headless Debian Chromium driven by Playwright for Python."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


# TensorBoard prints its address to stderr once it is serving
# (tensorboard/program.py: "TensorBoard %s at %s (Press CTRL+C to quit)").
_SERVING = re.compile(r"TensorBoard \S+ at (http://\S+?)/? ")


class TensorBoard:
    """A running tensorboard process; use as a context manager."""

    def __init__(self, logdir, load_fast="auto", extra_args=(), env=None):
        self.logdir = str(logdir)
        self.env = env  # extra environment variables (TB_SCOPES_CACHE_DIR, TB_SCOPES_BACKGROUND)
        self.load_fast = load_fast
        self.extra_args = list(extra_args)
        self.proc = None
        self.url = None
        self._log_path = None

    def __enter__(self):
        self._log_path = os.path.join(self.logdir, f".tensorboard-{os.getpid()}-{id(self)}.log")
        log = open(self._log_path, "w")
        cmd = [
            sys.executable,
            "-m",
            "tensorboard.main",
            f"--logdir={self.logdir}",
            "--host=127.0.0.1",
            "--port=0",
            f"--load_fast={self.load_fast}",
            "--reload_interval=1",
            *self.extra_args,
        ]
        env = {**os.environ, **(self.env or {})}
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"tensorboard exited early:\n{self.log()}")
            match = _SERVING.search(self.log())
            if match:
                self.url = match.group(1).replace("localhost", "127.0.0.1")
                return self
            time.sleep(0.2)
        raise RuntimeError(f"tensorboard did not start in 120 s:\n{self.log()}")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def log(self):
        with open(self._log_path, errors="replace") as f:
            return f.read()

    def get(self, path):
        """GET `path` (relative to the server root); returns (status, content type, body bytes)."""
        try:
            with urllib.request.urlopen(f"{self.url}/{path.lstrip('/')}", timeout=120) as resp:
                return resp.status, resp.headers.get("Content-Type", ""), resp.read()
        except urllib.error.HTTPError as err:
            return err.code, err.headers.get("Content-Type", ""), err.read()

    def get_json(self, path):
        status, _, body = self.get(path)
        return status, json.loads(body)

    def wait_for_runs(self, expected_runs, timeout=120):
        """Wait until the plugin's `runs` route lists every run in `expected_runs`; return the listing."""
        deadline = time.time() + timeout
        listing = None
        while time.time() < deadline:
            status, listing = self.get_json("data/plugin/scopes/runs")
            if status == 200 and set(expected_runs) <= {r["run"] for r in listing["runs"]}:
                return listing
            time.sleep(0.5)
        raise AssertionError(f"runs {expected_runs} never listed; last answer {listing}\n{self.log()}")

    def graph_version(self, run):
        """The `version` the plugin's `runs` route lists for a run's first graph."""
        listing = self.get_json("data/plugin/scopes/runs")[1]
        return next(r["graphs"][0]["version"] for r in listing["runs"] if r["run"] == run)

    def wait_for_new_version(self, run, before, timeout=120):
        """Poll the server (not a tab) until it has read a rewrite of the run's graph."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.graph_version(run) != before:
                return
            time.sleep(0.5)
        raise AssertionError(f"the server never listed a new version of {run}'s graph\n{self.log()}")
