"""docs/make_screenshots.py end to end: real TensorBoard, real headless Chromium, real PNGs."""

import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "docs" / "make_screenshots.py"
NAMES = [
    "overview.png",
    "shared-variable.png",
    "findings-siamese.png",
    "dark.png",
    "pytorch.png",
    "variables.png",
    "series.png",
    "op-details.png",
    "op-series.png",
]


def png_size(path):
    """(width, height) from the PNG header: the IHDR chunk always comes first."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", head[16:24])


@pytest.mark.browser
@pytest.mark.server
def test_make_screenshots_writes_every_view_of_the_guide(demo_logdir, tmp_path):
    out = tmp_path / "shots"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--logdir", str(demo_logdir), "--out", str(out), "--timeout", "120"],
        capture_output=True,
        text=True,
        timeout=540,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    for name in NAMES:
        path = out / name
        assert path.is_file(), f"{name} was not written"
        # A blank or error page compresses to a few KB; a drawn graph with panels does not.
        assert path.stat().st_size > 20_000, f"{name} is only {path.stat().st_size} bytes"
        assert png_size(path) == (1400, 900)
