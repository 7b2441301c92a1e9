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
    drawn = {}
    nodes, ops, roles, op_types, type_index = [], [], [], [], {}
    role_index = {role: n for n, role in enumerate(ROLES)}
    for i, op in enumerate(model.ops):
        if i in analysis.folded:
            continue
        drawn[i] = len(nodes)
        nodes.append(op.name)
        if op.type not in type_index:
            type_index[op.type] = len(op_types)
            op_types.append(op.type)
        ops.append(type_index[op.type])
        roles.append(role_index[m.GRADIENT if op.backward else op.role])  # drawn as what it is part of
    edges, seen = [], set()
    # The shape an edge carries is its producer's output shape, where the adapter knows it
    # (`model.shapes`); few distinct texts, so sent by index.
    edge_shapes, shape_names, shape_index, shapes_of = [], [""], {"": 0}, {}
    known = model.shapes or {}
    for c, n in drawn.items():
        for p, port in model.ops[c].inputs:
            src = drawn.get(p)
            if src is not None and src != n and (src, n) not in seen:
                seen.add((src, n))
                edges += (src, n)
                texts = shapes_of.get(p)
                if texts is None:
                    texts = shapes_of[p] = known.get(p, [])
                text = texts[port] if port < len(texts) else ""
                if text not in shape_index:
                    shape_index[text] = len(shape_names)
                    shape_names.append(text)
                edge_shapes.append(shape_index[text])
    reads, seen = [], set()
    for c, v, reused in analysis.reads:
        node = drawn.get(c)
        if node is not None and (node, v) not in seen:
            seen.add((node, v))
            reads += (node, v, reused)
    var_nodes = [drawn.get(var.node, -1) for var in analysis.variables]
    stats = {
        "ops_in_graph": len(model.ops),
        "nodes_drawn": len(nodes),
        "helpers_folded": len(analysis.folded),
    }
    return Drawing(nodes, ops, op_types, roles, edges, edge_shapes, shape_names, reads, var_nodes, stats)
