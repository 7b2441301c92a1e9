"""Analysed model -> what the Scopes tab draws (the contract's columnar `graph` object).

Helper ops of a variable are folded into the variable's node; reads of variables travel
as `reads` triples (drawn as badges), not as edges, so that cross-scope variable edges
do not swamp the layout. Every node carries its role, so the tab can set training
machinery aside.
"""

import threading
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
    shapes: "EdgeShapes"  # per edge pair, the shape it carries
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
    edges, producers, ports = [], [], []
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
            producers.append(p)
            ports.append(port)
    reads, seen = [], set()
    for c, v, reused in analysis.reads:
        node = drawn[c]
        if node >= 0 and (node, v) not in seen:
            seen.add((node, v))
            reads += (node, v, reused)
    var_nodes = [drawn[var.node] for var in analysis.variables]
    if model.calls_share_scopes:
        _place_captured(nodes, _captured_sites(model, analysis, drawn, nodes))
    stats = {
        "ops_in_graph": len(ops_),
        "nodes_drawn": len(nodes),
        "helpers_folded": len(folded),
    }
    shapes = EdgeShapes(model.shapes or {}, producers, ports)
    return Drawing(nodes, ops, op_types, roles, edges, shapes, reads, var_nodes, stats)


def _captured_sites(model, analysis, drawn, nodes):
    """(drawn node, scope, last name) of each captured variable drawn at the top level: a model
    weight in the scope of its first use, the optimizer's state in the scope of its first reader
    (`adam/...`)."""
    out = []
    for var in analysis.variables:
        n = drawn[var.node]
        if n >= 0 and "/" not in nodes[n] and var.uses:
            out.append((n, min(var.uses.values(), key=lambda use: use.first).call_site, var.name))
    consumers = model.consumers_of()
    for var in analysis.machinery:
        n = drawn[var.node]
        if n >= 0 and "/" not in nodes[n]:
            site = next((model.ops[c].scope for c in consumers[var.node] if model.ops[c].scope), "")
            out.append((n, site, var.name))
    return out


def _place_captured(nodes, sites):
    """A function graph's captured variables are placeholders at its top level, each named after
    its first reader (`clip_backbone_1_clip_text_encoder_1_..._readvariableop_resource`): drawn
    there, a model's weights are a wall of boxes above the model (79 of them over keras_hub's
    CLIP, and a column of 158 optimizer slots beside it). Each is drawn in the scope that first
    reads it instead, under its variable's last name (`query_1/kernel`): where a TF1 variable
    sits. The placeholder's name stays the variable's alias."""
    taken = set(nodes)
    for n, site, name in sites:
        if not site:
            continue
        for drawn_name in (f"{site}/{name.rpartition('/')[2]}", f"{site}/{nodes[n]}"):
            if drawn_name not in taken:
                taken.add(drawn_name)
                nodes[n] = drawn_name
                break


CHUNK = 4096  # edges `EdgeShapes.all` reads between two calls of `between` (about 10 ms)


class EdgeShapes:
    """Per drawn edge, the shape it carries: its producer's output shape where the adapter knows
    it (`model.shapes`), as an index into `names` (few distinct texts, so sent by index).

    Read when first asked for: an op's recorded shapes cost a protobuf map per producer, 0.26 s
    of the 0.36 s drawing of the 150,047-op TF1 graph (benchmarks/side_by_side.py, 2026-12-02),
    and the first view of a graph sent cut needs only the shapes of the edges it draws; the
    others are read once that view is sent (graphs.py). Indexes are handed out in the order
    texts are met and never change, so a cut made early stays right against the whole body
    made later. A lock keeps that true when the encoding thread and a request ask at once.
    """

    def __init__(self, known, producers, ports):
        self._known = known  # op index -> its outputs' shape texts (`.get(i, default)`)
        self._producers, self._ports = producers, ports
        self._texts = {}  # producer op index -> its outputs' shape texts
        self._index = {"": 0}
        self._all = None  # every edge's index, once all are read
        self._done = []  # the first edges' indexes, as `all` reads them a chunk at a time
        self._lock = threading.Lock()
        self.names = [""]  # distinct shape texts (`[?, 4]`); the first is "", unknown; only grows

    def of(self, edges):
        """The indexes into `names` of the edges at positions `edges` (ints)."""
        with self._lock:
            if self._all is not None:
                return [self._all[k] for k in edges]
            return self._read(edges)

    def all(self, between=None):
        """Every edge's index into `names`, in edge order.

        Read `CHUNK` edges at a time, the lock let go and `between()` called (when given)
        between two chunks: the encoding thread reads them all once a cut is sent (0.5 s on the
        150,047-op graph of benchmarks/side_by_side.py), and a request cutting the same graph
        meanwhile (`of`) should not wait for the whole of it.
        """
        while True:
            with self._lock:
                if self._all is not None:
                    return self._all
                done, total = self._done, len(self._producers)
                done += self._read(range(len(done), min(len(done) + CHUNK, total)))
                if len(done) == total:
                    self._all = done
                    # Let the model go: a frontier keeps this object, and the model's ops hold the
                    # graph's NodeDefs (hundreds of MB for a large graph).
                    self._known = self._producers = self._ports = self._texts = self._done = None
                    return done
            if between is not None:
                between()

    def _read(self, edges):
        producers, ports, known, texts_of = self._producers, self._ports, self._known, self._texts
        index, names = self._index, self.names
        out = []
        for k in edges:
            p, port = producers[k], ports[k]
            texts = texts_of.get(p)
            if texts is None:
                texts = texts_of[p] = known.get(p, ())
            text = texts[port] if port < len(texts) else ""
            s = index.get(text)
            if s is None:
                s = index[text] = len(names)
                names.append(text)
            out.append(s)
        return out
