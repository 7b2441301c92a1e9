"""Analysed model -> what the Scopes tab draws (the contract's columnar `graph` object).

Helper ops of a variable are folded into the variable's node; reads of variables travel
as `reads` triples (drawn as badges), not as edges, so that cross-scope variable edges
do not swamp the layout. Every node carries its role, so the tab can set training
machinery aside.
"""

from dataclasses import dataclass

from . import model as m
from .model import ROLES


@dataclass
class Drawing:
    nodes: list  # drawn node names
    ops: list  # per node, index into op_types
    op_types: list  # distinct op types
    roles: list  # per node, index into model.ROLES
    edges: list  # flat src, dst pairs of drawn node indexes
    edge_shapes: list  # per edge pair, index into shape_names of the shape it carries
    shape_names: list  # distinct shape texts (`[?, 4]`); the first is "", unknown
    reads: list  # flat node, variable, reused triples
    var_nodes: list  # per variable, its drawn node index (-1 when not drawn)
    stats: dict  # ops_in_graph, nodes_drawn, helpers_folded


def draw(model, analysis):
    """One pass over the ops for the nodes, one over the drawn ones for the edges.

    Op index -> node index is a list, not a dict, and duplicate edges are looked for only
    among one consumer's inputs (each consumer is visited once): 0.39 s -> 0.32 s of CPU on
    the 150,047-op TF1 graph of benchmarks/side_by_side.py, 0.24 s -> 0.18 s at 160k
    synthetic ops.
    """
    ops_ = model.ops
    folded = analysis.folded
    drawn = [-1] * len(ops_)  # op index -> drawn node index, -1 when folded
    nodes, ops, roles, op_types, type_index = [], [], [], [], {}
    role_index = {role: n for n, role in enumerate(ROLES)}
    gradient = role_index[m.GRADIENT]
    kept = []  # drawn op indexes, in graph order
    for i, op in enumerate(ops_):
        if i in folded:
            continue
        drawn[i] = len(nodes)
        kept.append(i)
        nodes.append(op.name)
        t = type_index.get(op.type)
        if t is None:
            t = type_index[op.type] = len(op_types)
            op_types.append(op.type)
        ops.append(t)
        roles.append(gradient if op.backward else role_index[op.role])  # drawn as what it is part of
    edges, edge_shapes = [], []
    # The shape an edge carries is its producer's output shape, where the adapter knows it
    # (`model.shapes`); few distinct texts, so sent by index.
    shape_names, shape_index, shapes_of = [""], {"": 0}, {}
    known = model.shapes or {}
    for c in kept:
        n = drawn[c]
        inputs = ops_[c].inputs
        seen = None  # sources already joined to this consumer, when it has more than one input
        for p, port in inputs:
            src = drawn[p]
            if src < 0 or src == n:
                continue
            if len(inputs) > 1:
                if seen is None:
                    seen = {src}
                elif src in seen:
                    continue
                else:
                    seen.add(src)
            edges += (src, n)
            texts = shapes_of.get(p)
            if texts is None:
                texts = shapes_of[p] = known.get(p, ())
            text = texts[port] if port < len(texts) else ""
            s = shape_index.get(text)
            if s is None:
                s = shape_index[text] = len(shape_names)
                shape_names.append(text)
            edge_shapes.append(s)
    reads, seen = [], set()
    for c, v, reused in analysis.reads:
        node = drawn[c]
        if node >= 0 and (node, v) not in seen:
            seen.add((node, v))
            reads += (node, v, reused)
    var_nodes = [drawn[var.node] for var in analysis.variables]
    stats = {
        "ops_in_graph": len(ops_),
        "nodes_drawn": len(nodes),
        "helpers_folded": len(folded),
    }
    return Drawing(nodes, ops, op_types, roles, edges, edge_shapes, shape_names, reads, var_nodes, stats)
