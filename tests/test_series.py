"""The series rule on the server (series.py), on the cases the tab's series.ts is checked on too."""

import json
import pathlib

import pytest

from tb_scopes_plugin.series import SERIES_MIN, find_series

CASES = json.loads((pathlib.Path(__file__).parent / "fixtures" / "series.json").read_text())["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["why"] for c in CASES])
def test_series_rule(case):
    got = [
        {"members": members, "name": name}
        for members, name in find_series(case["names"], case["keys"], case.get("min", SERIES_MIN))
    ]
    assert got == case["series"]


def test_a_thousand_blocks_fold_into_one_series():
    names = [f"block{k}" for k in range(1000)] + [f"block{k}_1" for k in range(1000)] + ["x", "gradients"]
    found = find_series(names, ["k"] * len(names))
    assert [(name, len(members)) for members, name in found] == [
        ("block[0-999]", 1000),
        ("block[0-999]_1", 1000),
    ]
