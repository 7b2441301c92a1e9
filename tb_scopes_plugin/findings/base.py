"""What a finding is, and the one table of how each kind and confidence is labelled and shown.

The contract, the CLI and the tab all take labels and severities from `LABELS`, so a
low-confidence note can never be painted like a bug in one place and not another.
"""

import re
from dataclasses import dataclass, field

MISSED_SHARING = "possible_missed_sharing"
SAME_NAME = "same_name_distinct_variables"

# A number TensorFlow and Keras append to make a scope's name unique (`tower_1`, `dense_2`).
UNIQUIFIER = re.compile(r"_\d+$")


def normalised(name):
    """`tower_1/dense_2/kernel` -> `tower/dense/kernel`: a name with each segment's uniquifier dropped."""
    return "/".join(UNIQUIFIER.sub("", part) for part in name.split("/"))


HIGH = "high"
LOW = "low"

# (kind, confidence) -> (label, severity). Severity `bug` is painted as a bug and fails
# `tb-scopes lint`; `note` is muted and grouped.
LABELS = {
    (MISSED_SHARING, HIGH): ("Possible missed sharing", "bug"),
    (MISSED_SHARING, LOW): ("Alike layers, probably intended", "note"),
    (SAME_NAME, HIGH): ("One name, several variables", "bug"),
    (SAME_NAME, LOW): ("One name, several variables", "note"),
}


@dataclass
class Finding:
    kind: str  # MISSED_SHARING, SAME_NAME
    confidence: str  # HIGH / LOW
    variables: list  # names, sorted
    message: str  # one sentence for the user
    evidence: list = field(default_factory=list)  # readable reasons, one phrase each
    fix: str = ""  # what to change, in words

    @property
    def label(self):
        return LABELS[(self.kind, self.confidence)][0]

    @property
    def severity(self):
        return LABELS[(self.kind, self.confidence)][1]
