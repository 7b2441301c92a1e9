"""`python -m tests.realmodels FAMILY LOGDIR OUT.json` or `python -m tests.realmodels record`."""

import importlib
import json
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

from tests.realmodels import FAMILIES  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def build(family, logdir, out):
    module = importlib.import_module(f"tests.realmodels.{family}")
    truths = module.build(logdir)
    with open(out, "w") as f:
        json.dump(truths, f, indent=1, sort_keys=True)


def build_all(logdir):
    """Every family, each in its own process; returns {entry name: truth}."""
    truths = {}
    for family in FAMILIES:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
            out = f.name
        subprocess.run([sys.executable, "-m", "tests.realmodels", family, logdir, out], check=True)
        with open(out) as f:
            truths.update(json.load(f))
        os.unlink(out)
    return truths


def record():
    truths = build_all(tempfile.mkdtemp(prefix="realmodels-"))
    for name, truth in truths.items():
        with open(os.path.join(HERE, "truth", f"{name}.json"), "w") as f:
            json.dump(truth, f, indent=1, sort_keys=True)
            f.write("\n")
    print(f"recorded {len(truths)} entries")


if __name__ == "__main__":
    if sys.argv[1:] == ["record"]:
        record()
    else:
        build(*sys.argv[1:4])
