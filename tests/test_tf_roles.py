"""Machinery by name, in bulk: the same kinds as the per-name rules, on every kind of name."""

from tb_scopes_plugin import model as m
from tb_scopes_plugin.adapters import tf_roles

NAMES = [
    "dense/MatMul",  # nothing
    "Adam/update_dense/kernel/ApplyAdam",  # the first segment: optimizer
    "model/bn/AssignMovingAvg",  # the last segment: moving average
    "model/bn/AssignMovingAvg_1/sub",  # a middle segment
    "tower/l2_loss",  # a regularizer, by the last segment
    "tower/Weight_Decay/mul",  # case-insensitive
    "x/update_y/z",  # update_ past the first segment
    "schema/Relu",  # `ema` inside a word: the rules decide
    "save_1/RestoreV2",  # the first segment, uniquified
    "regularizer",  # no "/": the whole name as a scope
    "/leading/ema",  # an empty first segment
    "ﬁlter/moving_avg/Relu",  # not ASCII: the regex's own search
    "ſtrange/l2_loſs",  # not ASCII, with a letter the regex folds to `s`
    "line\nbreak/ema/x",  # a hostile name with a newline
]


def by_rules(name):
    scope, cut, last = name.rpartition("/")
    kind = tf_roles._segments_machinery(scope if cut else name)
    return kind if kind is not None or not cut else tf_roles._last_segment_machinery(last)


def test_bulk_kinds_are_the_per_name_rules():
    ops = [m.Op(name, "Relu", m.scope_of(name)) for name in NAMES]
    kinds = tf_roles._machinery_by_name(ops, list(range(len(ops))))
    assert kinds == [by_rules(name) for name in NAMES]
    assert kinds[:5] == [None, m.OPTIMIZER, m.MOVING_AVERAGE, m.MOVING_AVERAGE, m.REGULARIZER]


def test_ascii_names_alone_give_the_same_kinds():
    names = [n for n in NAMES if n.isascii()]
    ops = [m.Op(name, "Relu", m.scope_of(name)) for name in names]
    assert tf_roles._machinery_by_name(ops, list(range(len(ops)))) == [by_rules(n) for n in names]
