"""Findings: a list of rules run after the analysis, each reading the model and the analysis.

    found = run(model, analysis)    # every rule in RULES, in order; bugs first

A rule is a function `(model, analysis) -> [Finding]`; see `base.py` for what a finding
holds and the table that labels each kind and confidence.
"""

from . import missed_sharing, same_name
from .base import HIGH, LABELS, LOW, Finding  # noqa: F401 (the package's interface)

RULES = (missed_sharing.find, same_name.find)


def run(model, analysis):
    found = []
    for rule in RULES:
        found += rule(model, analysis)
    found.sort(key=lambda f: (f.severity != "bug", f.kind, f.variables))
    by_name = {v.name: v for v in analysis.variables}
    for n, finding in enumerate(found):
        for name in finding.variables:
            if name in by_name:
                by_name[name].findings.append(n)
    return found
