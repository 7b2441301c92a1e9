"""A graph's drawing data cut at the scopes the tab has open, so that it never needs the whole graph.

In: the `graph` route's full body (a contract dict), so a cut can be made from the disk cache
as well as from a fresh analysis, and the scopes to open. Out: the `graph` drawing data of
what the open scopes hold. Each scope left closed below an open one is one *stub* node, named
by the scope's path, that stands for everything under it: its ops' edges lifted to it (and how
many each stands for), the variables read inside it, its op count and its structure key
(series.py), so that the tab draws, badges, colours and folds it into series as it would the
scope in full. Opening a stub asks for a new cut (the `drawing` route).

Scopes follow the tab's rule (frontend/src/model.ts): every proper prefix of a node name is a
scope, and an op named like a scope (`Adam` beside `Adam/update_w/...`) lives inside it.

    f = Frontier(body["graph"], body["variables"])
    f.lazy                    # the graph is too big to send whole (LAZY_NODES)
    f.cut(["block7"])         # the drawing data with the default scopes and block7 open
"""

import collections
import itertools
import operator
import os

import numpy as np

from .model import scope_of
from .series import kinds_key

ENV_LAZY_NODES = "TB_SCOPES_LAZY_NODES"  # drawn nodes above which a graph is sent cut
# 20k drawn nodes are about a megabyte of JSON that the tab turns into a model in well under
# a second (docs/benchmarks.md): below that, one answer with everything beats round trips.
LAZY_NODES = 20_000
DOMINANT = 0.8  # a child holding this share of its box is opened on the first view (view.ts)
_SET_ASIDE = ("machinery", "gradient")  # the roles the tab sets at the side (machinery.ts)


# One cut, in the contract's columnar form (contract.cut_json names the keys).
Cut = collections.namedtuple(
    "Cut",
    "nodes ops op_types roles edges edge_shapes reads ids edge_counts stubs stub_keys stub_levels aside",
)


def lazy_nodes():
    value = os.environ.get(ENV_LAZY_NODES, "")
    return int(value) if value.isdigit() else LAZY_NODES


class Frontier:
    def __init__(self, graph, variables):
        self.graph = graph
        nodes = graph["nodes"]
        self.lazy = len(nodes) > lazy_nodes()
        self._scope_ids = {"": 0}
        self._paths, self._parent, self._first, self._depth = [""], [-1], [0], [0]
        parents = [name.rpartition("/")[0] for name in nodes]
        self._make_scopes(parents)
        ids = self._scope_ids
        node_scope = np.fromiter(map(ids.__getitem__, parents), np.int64, len(nodes))
        for i in itertools.compress(range(len(nodes)), map(ids.__contains__, nodes)):
            node_scope[i] = ids[nodes[i]]  # an op named like a scope lives inside it
        self._node_scope = node_scope
        n_scopes = len(self._paths)
        self._by_scope = np.argsort(self._node_scope, kind="stable")  # node indexes, grouped by scope
        self._starts = np.searchsorted(self._node_scope[self._by_scope], np.arange(n_scopes + 1))
        self._edges = np.asarray(graph["edges"], np.int64).reshape(-1, 2)
        aux = self._aux = _aux_nodes(graph, variables, self._edges)
        self._direct_model = np.bincount(self._node_scope, weights=~aux, minlength=n_scopes).astype(np.int64)
        linked, side = _aux_counts(graph, variables, aux, self._edges, self._node_scope, n_scopes)
        direct = np.bincount(self._node_scope, minlength=n_scopes)
        # The parents as an array too, for the by-level passes; walks up one scope at a time keep
        # the list, whose items Python reads faster than numpy's.
        self._parent_array = np.asarray(self._parent, np.int64)
        self._child_counts = np.bincount(self._parent_array[1:], minlength=n_scopes)  # sub-scopes per scope
        self._levels = _levels(self._depth)
        total, linked, side, deepest = _sum_up(
            self._parent_array, self._levels, self._depth, direct, linked, side
        )
        self._total, self._deepest = total, deepest.tolist()
        # A scope set aside whole: it holds set-aside ops and no linked model op (aux.ts auxScopes).
        self._aux_scope = (side > 0) & (linked == 0)
        self._aux_scope[0] = False
        shapes = graph["edge_shapes"]  # a list, or a fresh analysis' drawing.EdgeShapes, read as cut
        self._edge_shapes = np.asarray(shapes, np.int64) if isinstance(shapes, list) else shapes
        self._reads = np.asarray(graph["reads"], np.int64).reshape(-1, 3)
        self._read_sets = {}  # scope -> {variable: (read as a reuse below, first read)}, made when asked
        self._keys = {}  # scope -> structure key, made when asked
        self._default_open = None  # default_open(), once asked

    def _make_scopes(self, parents):
        """Every scope that holds a node, and its ancestors, parents first, in order of the first
        node under each: one walk per distinct parent scope, not one call per node. With the
        set-aside pieces and subtree sums below, a Frontier and its first cut took 0.19 s -> 0.16 s
        of CPU on the 150,047-op graph of benchmarks/side_by_side.py (least of 6 alternated runs,
        2026-12-02).

        Most new scopes sit right under a known one: those take one look-up and no walk, and no
        scope keeps a list of its children (`_child_counts` and `_children_of` tell them from the
        parents): the walk over that graph's 34,008 distinct parents went from 95 ms to 52 ms.
        """
        ids, paths, parent_of, first = self._scope_ids, self._paths, self._parent, self._first
        depth = self._depth
        get = ids.get
        # Each distinct parent with the index of its first node: reversed, later (smaller) wins.
        firsts = dict(zip(reversed(parents), range(len(parents) - 1, -1, -1), strict=True))
        for path, i in sorted(firsts.items(), key=operator.itemgetter(1)):
            up = get(path.rpartition("/")[0])
            if up is not None and path not in ids:  # one new scope under a known one
                ids[path] = len(paths)
                paths.append(path)
                parent_of.append(up)
                first.append(i)
                depth.append(depth[up] + 1)
                continue
            missing = []
            while path not in ids:
                missing.append(path)
                path = path.rpartition("/")[0]
            up = ids[path]
            for p in reversed(missing):
                s = ids[p] = len(paths)
                paths.append(p)
                parent_of.append(up)
                first.append(i)
                depth.append(depth[up] + 1)
                up = s

    def _children_of(self, s):
        """The sub-scopes of scope `s`, in the order they were made."""
        return np.flatnonzero(self._parent_array == s)

    # --- which scopes are open ---------------------------------------------------------

    def default_open(self):
        """The root and the chain of children the tab opens on its first view (view.ts
        autoExpandPaths): the same for every cut, so found once, by arrays (a root of 2,002
        scopes took 5 ms a cut by a loop over them, under cProfile)."""
        if self._default_open is None:
            out, s = [0], 0
            while True:
                kids = self._children_of(s)
                subs = kids[~self._aux_scope[kids]]
                sizes = self._total[subs]
                box = int(sizes.sum()) + int(self._direct_model[s])
                dominant = np.flatnonzero(sizes >= DOMINANT * box)
                big = int(subs[dominant[0]]) if len(dominant) else None
                # A box of one op stays closed; one of a lone scope is opened on the way through.
                if big is None or (int(self._child_counts[big]) == 0 and len(self._direct(big)) < 2):
                    break
                out.append(big)
                s = big
            self._default_open = out
        return list(self._default_open)

    def _direct(self, s):
        """Node indexes of the ops directly in scope `s`."""
        return self._by_scope[self._starts[s] : self._starts[s + 1]]

    def _open_mask(self, paths):
        is_open = np.zeros(len(self._paths), bool)
        for s in self.default_open():
            is_open[s] = True
        for path in paths:
            s = self._nearest(path)
            while s > 0 and not is_open[s]:
                is_open[s] = True
                s = self._parent[s]
        return is_open

    def _nearest(self, path):
        while path not in self._scope_ids:
            path = scope_of(path)
        return self._scope_ids[path]

    # --- the cut -----------------------------------------------------------------------

    def cut(self, paths=()):
        """The drawing data with the default scopes and `paths` (and their ancestors) open."""
        closed = ~self._open_mask(paths)
        stub_of = np.full(len(self._paths), -1, np.int64)  # scope -> the stub that holds it
        for level in self._levels:  # parents' stubs are known before their children's
            above = stub_of[self._parent_array[level]]
            stub_of[level] = np.where(above >= 0, above, np.where(closed[level], level, -1))
        node_stub = stub_of[self._node_scope]
        present = np.flatnonzero(node_stub < 0)
        stubs = np.unique(node_stub[node_stub >= 0])
        # The tab makes scopes in order of first appearance: keep the full graph's order.
        first = np.asarray(self._first, np.int64)
        order = np.argsort(np.concatenate([present, first[stubs]]), kind="stable")
        items = np.concatenate([present, -1 - stubs])[order]  # node index, or -1 - stub scope
        local = np.empty(len(items), np.int64)
        local[order] = np.arange(len(items))
        node_local = np.full(len(self._node_scope), -1, np.int64)
        node_local[present] = local[: len(present)]
        stub_local = np.full(len(self._paths), -1, np.int64)
        stub_local[stubs] = local[len(present) :]
        ends = np.where(node_stub < 0, node_local, stub_local[np.maximum(node_stub, 0)])
        edges, shapes, counts = self._lifted_edges(ends, len(items))
        return self._drawing(items, node_local, stub_local, stubs, edges, shapes, counts)

    def _lifted_edges(self, ends, n_items):
        a, b = ends[self._edges[:, 0]], ends[self._edges[:, 1]]
        keep = a != b  # an edge inside one stub is not drawn, as inside any closed box
        pairs = a[keep] * n_items + b[keep]
        unique, inverse, counts = np.unique(pairs, return_inverse=True, return_counts=True)
        shapes = self._shapes(np.flatnonzero(keep))
        low = np.full(len(unique), np.iinfo(np.int64).max)
        high = np.full(len(unique), -1)
        np.minimum.at(low, inverse, shapes)
        np.maximum.at(high, inverse, shapes)
        # A lifted edge carries a shape only when every edge it stands for carries that one.
        one_shape = np.where(low == high, low, 0)
        flat = np.stack([unique // n_items, unique % n_items], axis=1).reshape(-1)
        return flat, one_shape, counts

    def _shapes(self, edges):
        """The shape indexes of the edges at positions `edges`."""
        known = self._edge_shapes
        if not isinstance(known, np.ndarray):
            return np.asarray(known.of(edges.tolist()), np.int64)
        return known[edges] if len(known) == len(self._edges) else np.zeros(len(edges), np.int64)

    def _drawing(self, items, node_local, stub_local, stubs, edges, shapes, counts):
        g = self.graph
        op_types = list(g["op_types"])
        if "" not in op_types:
            op_types.append("")
        stub_type = op_types.index("")
        roles = g["role_names"]
        stub_roles = (roles.index("compute"), roles.index("machinery"))
        names, ops, node_roles, ids, aside = [], [], [], [], []
        for x in items.tolist():
            if x >= 0:
                names.append(g["nodes"][x])
                ops.append(g["ops"][x])
                node_roles.append(g["roles"][x])
                ids.append(x)
                aside.append(int(self._aux[x]))
            else:
                names.append(self._paths[-1 - x])
                ops.append(stub_type)
                node_roles.append(stub_roles[bool(self._aux_scope[-1 - x])])
                ids.append(-1)
                aside.append(int(self._aux_scope[-1 - x]))
        # Reads in the whole graph's order (a stub's at its first read below it), so that the
        # tab lists a box's reused variables in the order it would for the whole graph.
        kept = np.flatnonzero(node_local[self._reads[:, 0]] >= 0)
        ordered = [
            (int(k), int(node_local[n]), v, r)
            for k, (n, v, r) in zip(kept, self._reads[kept].tolist(), strict=True)
        ]
        key_index, stub_list, levels = {}, [], []
        for s in stubs.tolist():
            for v, (reused, first) in self._read_set(s).items():
                ordered.append((first, int(stub_local[s]), v, int(reused)))
            key = key_index.setdefault(self._key(s), len(key_index))
            stub_list += [int(stub_local[s]), int(self._total[s]), key]
            levels.append(self._deepest[s] - self._depth[s])  # depths by the tree, as `_deepest`
        ordered.sort()
        flat_reads = [x for _, node, v, r in ordered for x in (node, v, r)]
        return Cut(
            names, ops, op_types, node_roles, edges.tolist(), shapes.tolist(), flat_reads, ids,
            counts.tolist(), stub_list, list(key_index), levels, aside,
        )  # fmt: skip

    def _read_set(self, s):
        """Variables read in scope `s` or below -> (any such read is a reuse, index of the first)."""
        found = self._read_sets.get(s)
        if found is None:
            if not self._read_sets:  # one pass over every read, up each reader's scope chain
                for k, (node, v, reused) in enumerate(self._reads.tolist()):
                    x = int(self._node_scope[node])
                    while x > 0:
                        seen = self._read_sets.setdefault(x, {})
                        was = seen.get(v)
                        seen[v] = (bool(reused), k) if was is None else (was[0] or bool(reused), was[1])
                        x = self._parent[x]
                self._read_sets[0] = {}
            found = self._read_sets.get(s, {})
        return found

    def _key(self, s):
        """The tab's structure key (model.ts): ops below, drawn sub-scopes, sorted kinds of direct ops."""
        key = self._keys.get(s)
        if key is None:
            g = self.graph
            types = kinds_key(g["op_types"][g["ops"][i]] for i in self._direct(s).tolist())
            key = self._keys[s] = f"{int(self._total[s])}|{int(self._child_counts[s])}|{types}"
        return key


def _aux_nodes(graph, variables, edges):
    """Per node: set at the side, by the tab's rule (frontend/src/aux.ts auxNodes).

    Machinery and gradient roles, and the connected pieces of the rest that touch them but
    neither hold nor read a model weight (an optimizer's learning-rate constants). `edges`:
    the graph's edges as an array of src, dst pairs.

    The pieces are a union-find over the model-to-model edges only, picked out by numpy, with
    every node's root then found for all at once by pointer jumping: 0.12 s -> 0.03 s under
    cProfile on the 150,047-op graph of benchmarks/side_by_side.py (2026-12-02).
    """
    aside_roles = [k for k, role in enumerate(graph["role_names"]) if role in _SET_ASIDE]
    aside = np.isin(np.asarray(graph["roles"], np.int64), aside_roles)
    n = len(aside)
    a, b = edges[:, 0], edges[:, 1]
    a_aside, b_aside = aside[a], aside[b]
    up = list(range(n))
    model_edges = ~a_aside & ~b_aside
    for x, y in zip(a[model_edges].tolist(), b[model_edges].tolist(), strict=True):
        while up[x] != x:  # find, halving the path
            up[x] = x = up[up[x]]
        while up[y] != y:
            up[y] = y = up[up[y]]
        if x != y:
            up[x] = y
    roots = np.asarray(up, np.int64)
    while True:
        jumped = roots[roots]
        if np.array_equal(jumped, roots):
            break
        roots = jumped
    mixed = a_aside != b_aside
    touches = set(roots[np.where(a_aside, b, a)[mixed]].tolist())
    weighty = set(roots[[v["node"] for v in variables if 0 <= v["node"] < n]].tolist())
    weighty |= set(roots[np.asarray(graph["reads"][0::3], np.int64)].tolist())
    out = aside.copy()
    cut_off = touches - weighty
    if cut_off:
        out |= np.isin(roots, list(cut_off)) & ~out
    return out


def _aux_counts(graph, variables, aux, edges, node_scope, n_scopes):
    """Per scope, its direct model ops that are linked to anything, and its direct set-aside ops
    (frontend/src/aux.ts auxScopes), as lists."""
    n = len(aux)
    linked = np.zeros(n, bool)
    linked[edges] = True  # both ends of every edge (an array of src, dst pairs)
    linked[[v["node"] for v in variables if 0 <= v["node"] < n]] = True
    linked[np.asarray(graph["reads"][0::3], np.int64)] = True
    model = np.bincount(node_scope, weights=~aux & linked, minlength=n_scopes).astype(np.int64)
    side = np.bincount(node_scope, weights=aux, minlength=n_scopes).astype(np.int64)
    return model, side


def _levels(depth):
    """The scopes at each depth from 1 down, as index arrays: a cut finds every scope's stub one
    depth at a time, in a few array operations, where a loop over the scopes took 16 ms of a
    33 ms cut of the 150,047-op graph of benchmarks/side_by_side.py (39,008 scopes, depth 5)."""
    depth = np.asarray(depth, np.int64)
    order = np.argsort(depth, kind="stable")
    bounds = np.searchsorted(depth[order], np.arange(1, int(depth.max(initial=0)) + 2))
    return [order[a:b] for a, b in itertools.pairwise(bounds.tolist())]


def _sum_up(parents, levels, depth, total, linked, side):
    """Per-scope direct counts (arrays) -> counts of the scope and everything below it, one depth
    at a time from the deepest up, and per scope the depth of the deepest scope at or below it
    that holds ops (the tab's "Expand to level" choices stop there: expand.ts maxLevel). By
    levels, as `cut` finds stubs: a loop over the 39,008 scopes of the 150,047-op graph of
    benchmarks/side_by_side.py took 17 ms."""
    total, linked, side = total.copy(), linked.copy(), side.copy()
    deepest = np.where(total > 0, np.asarray(depth, np.int64), 0)
    for level in reversed(levels):
        up = parents[level]
        for counts in (total, linked, side):
            np.add.at(counts, up, counts[level])
        np.maximum.at(deepest, up, deepest[level])
    return total, linked, side, deepest
