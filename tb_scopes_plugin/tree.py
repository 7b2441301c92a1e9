"""The scope tree on the server: what the tab asks for, one level at a time.

In: the `graph` route's body (a contract dict: drawing data, variables, findings), so a tree
can be built from the disk cache as well as from a fresh analysis. Out, for one scope:
its children with summaries (ops below, variables owned, reuses, a status), the edges
between them lifted from the ops below with counts, and runs of alike siblings
(`block0` … `block999`, `dense`, `dense_1`, …) folded into one series (series.py); and search over
every op, scope and variable, so that ops deep in collapsed scopes are still found.
"""

import collections
import itertools

from .model import scope_of
from .series import OP_SERIES_MIN, SERIES_MIN, find_series, kinds_key


class NotInGraph(Exception):
    """A scope or series the graph does not hold; the message says which, in a sentence."""


class ScopeTree:
    def __init__(self, body):
        graph = body["graph"]
        self.nodes = graph["nodes"]
        self.types = [graph["op_types"][t] for t in graph["ops"]]
        self.roles = graph.get("roles") or [0] * len(self.nodes)
        self.edges = graph["edges"]
        self.variables = body["variables"]
        bug_findings = {n for n, f in enumerate(body["findings"]) if f.get("severity") == "bug"}
        self.children_of = collections.defaultdict(list)  # scope path -> child scope paths, in order
        self.ops_of = collections.defaultdict(list)  # scope path -> direct node indexes
        self.total = collections.Counter()  # scope path -> ops in its subtree
        for n, name in enumerate(self.nodes):
            scope = scope_of(name)
            self.ops_of[scope].append(n)
            self._add_scope(scope)
            for ancestor in _ancestors(scope):
                self.total[ancestor] += 1
        self.owned = collections.Counter()
        self.bugs, self.shared = set(), set()
        for v in self.variables:
            for ancestor in _ancestors(v["owner_scope"]):
                self.owned[ancestor] += 1
                if set(v["findings"]) & bug_findings:
                    self.bugs.add(ancestor)
                if v["status"] == "shared":
                    self.shared.add(ancestor)
        self.reuses = collections.defaultdict(set)  # scope -> variables it reads from elsewhere
        # Never in a series of ops (model.ts): a variable's node, an op that reads one, a Keras layer.
        self.unfolded = {v["node"] for v in self.variables} | set(graph["reads"][0::3])
        self.fold_ops = body.get("kind") != "keras_model"
        reads = graph["reads"]
        for k in range(0, len(reads) - 2, 3):
            if reads[k + 2]:
                for ancestor in _ancestors(scope_of(self.nodes[reads[k]])):
                    self.reuses[ancestor].add(reads[k + 1])
        self._series = {}  # scope path -> its series of sub-scopes (_scope_series_of), made when asked
        self._op_series = {}  # scope path -> its series of direct ops (_op_series_at), made when asked

    def _add_scope(self, scope):
        while scope and scope not in self.total:
            parent = scope_of(scope)
            self.children_of[parent].append(scope)
            self.total[scope] += 0
            scope = parent

    # --- one level -------------------------------------------------------------------

    def children(self, path, series=None, offset=0, limit=500):
        """The items under `path` (scopes, series, ops) and the edges between them, paged.

        Raises NotInGraph for a scope or series the graph does not hold (a stale link, a typo):
        an empty level would read as an empty scope."""
        if path and path not in self.total:
            raise NotInGraph(f"this graph has no scope {path!r}")
        scopes = self.children_of.get(path, [])
        groups = self._series_of(path)
        ops = self._direct_ops(path)
        if series is None:
            folded = {}
            items = _fold(
                scopes, groups, self._scope_item, lambda n, m: self._series_item(path, n, m), folded
            )
            # An op's key is apart from every scope path (a hostile scope may be named `node:3`).
            op_folded = {}
            items += _fold(
                ops,
                self._op_series_at(path),
                self._op_item,
                lambda n, m: self._op_series_item(path, n, m),
                op_folded,
            )
            folded.update({("node", n): item for n, item in op_folded.items()})
        else:  # the members of one series of `path`
            members = next((m for m, name in groups if name == series), None)
            if members is not None:
                items, folded = [self._scope_item(s) for s in members], {}
            else:
                nodes = next((m for m, name in self._op_series_at(path) if name == series), None)
                if nodes is None:
                    raise NotInGraph(f"scope {path!r} has no series {series!r}")
                items, folded = [self._op_item(n) for n in nodes], {}
        page = items[offset : offset + limit]
        return {
            "scope": path,
            "series": series,
            "total": len(items),
            "offset": offset,
            "items": page,
            "edges": self._lifted_edges(path, page, folded),
        }

    def _series_of(self, path):
        """`_scope_series_of` `path`, made once per tree."""
        found = self._series.get(path)
        if found is None:
            found = self._series[path] = self._scope_series_of(path)
        return found

    def _scope_series_of(self, path):
        """[(member scope paths, series name)] among the drawn sub-scopes of `path` (series.py)."""
        drawn = [c for c in self.children_of.get(path, []) if self.total[c] > 0]
        if len(drawn) < SERIES_MIN:
            return []
        names = [c.rsplit("/", 1)[-1] for c in drawn]
        return [
            ([drawn[i] for i in members], name)
            for members, name in find_series(names, [self._signature(c) for c in drawn])
        ]

    def _direct_ops(self, path):
        """Node indexes of the ops drawn directly in `path` (an op named like a scope is inside it)."""
        return [n for n in self.ops_of.get(path, ()) if self.nodes[n] not in self.total]

    def _op_series_at(self, path):
        """`_op_series_of` the ops drawn directly in `path`, made once per tree."""
        found = self._op_series.get(path)
        if found is None:
            found = self._op_series[path] = self._op_series_of(self._direct_ops(path))
        return found

    def _op_series_of(self, ops):
        """[(member node indexes, series name)] among direct ops: alike leaf ops of one type and
        role, from OP_SERIES_MIN (the tab's rule: series.ts opEntries, model.ts). Never folded: a
        variable's node, an op that reads one, an op named by a number alone (PyTorch's tracer
        numbers its nodes: their series would be named `[61-81]`), and a Keras model's layers."""
        if not self.fold_ops:
            return []
        leaves = [(n, self.nodes[n].rpartition("/")[2]) for n in ops if n not in self.unfolded]
        foldable = [(n, leaf) for n, leaf in leaves if not (leaf.isascii() and leaf.isdigit())]
        if len(foldable) < OP_SERIES_MIN:
            return []
        names = [leaf for _, leaf in foldable]
        keys = [f"{self.types[n]}|{self.roles[n]}" for n, _ in foldable]
        return [
            ([foldable[i][0] for i in members], name)
            for members, name in find_series(names, keys, OP_SERIES_MIN)
        ]

    def _op_series_item(self, parent, name, members):
        return {
            "id": f"series:{parent}/{name}" if parent else f"series:{name}",
            "kind": "series",
            "path": parent,
            "name": name,
            "series": name,
            "members": len(members),
            "ops": len(members),
            "creating": 0,  # none of them is a variable or reads one (_op_series_of)
            "reusing": 0,
            "type": self.types[members[0]],
            "status": "none",
        }

    def _signature(self, scope):
        """The tab's structure key (series.ts): ops below, drawn sub-scopes, sorted kinds of direct ops."""
        drawn = sum(1 for c in self.children_of.get(scope, []) if self.total[c] > 0)
        types = kinds_key(self.types[n] for n in self.ops_of.get(scope, ()))
        return f"{self.total[scope]}|{drawn}|{types}"

    def _scope_item(self, path):
        return {
            "id": f"scope:{path}",
            "kind": "scope",
            "path": path,
            "name": path.rsplit("/", 1)[-1],
            "ops": self.total[path],
            "owned": self.owned[path],
            "reuses": sorted(self.reuses.get(path, ())),
            "status": self._status(path),
            "has_children": bool(self.children_of.get(path) or self.ops_of.get(path)),
        }

    def _series_item(self, parent, name, members):
        return {
            "id": f"series:{parent}/{name}" if parent else f"series:{name}",
            "kind": "series",
            "path": members[0],
            "name": name,
            "series": name,
            "members": len(members),
            "ops": sum(self.total[m] for m in members),
            "creating": sum(1 for m in members if self.owned[m]),  # members whose call creates variables
            "reusing": sum(1 for m in members if self.reuses.get(m)),  # members that reuse another's
            "type": None,  # a series of scopes; a series of ops names its members' op type
            "status": "missed"
            if any(m in self.bugs for m in members)
            else "shared"
            if any(self.reuses.get(m) for m in members)
            else "none",  # fmt: skip
        }

    def _op_item(self, n):
        name = self.nodes[n].rsplit("/", 1)[-1]
        return {"id": f"node:{n}", "kind": "op", "node": n, "name": name, "type": self.types[n]}

    def _status(self, path):
        if path in self.bugs:
            return "missed"
        if self.reuses.get(path):
            return "reused"
        if path in self.shared:
            return "shared"
        return "created" if self.owned[path] else "none"

    def _lifted_edges(self, path, items, folded):
        """Edges between the shown items: each op's edge moved up to the items holding its ends."""
        shown = {it["id"] for it in items}
        prefix = f"{path}/" if path else ""
        counts = collections.Counter()
        for k in range(0, len(self.edges) - 1, 2):
            a = self._item_of(self.edges[k], prefix, folded)
            b = self._item_of(self.edges[k + 1], prefix, folded)
            if a is not None and b is not None and a != b and a in shown and b in shown:
                counts[(a, b)] += 1
        return [[a, b, n] for (a, b), n in sorted(counts.items())]

    def _item_of(self, node, prefix, folded):
        name = self.nodes[node]
        if not name.startswith(prefix):
            return None
        rest = name[len(prefix) :]
        cut = rest.find("/")
        if cut < 0:
            if name in self.total:
                return f"scope:{name}"
            return folded.get(("node", node), f"node:{node}")  # an op of a series: the series
        scope = prefix + rest[:cut]
        return folded.get(scope, f"scope:{scope}")

    # --- search -------------------------------------------------------------------------

    def search(self, query, limit=50):
        """Ops, scopes and variables whose name holds `query` (case-insensitive), hidden or not."""
        q = query.lower()
        found = [
            {"kind": "variable", "name": v["name"], "path": v["owner_scope"]}
            for v in self.variables
            # An alias too: a trace's placeholder is drawn under its variable's name (drawing.py).
            if q in v["name"].lower() or any(q in a.lower() for a in v.get("aliases") or ())
        ]
        found += [{"kind": "scope", "name": s, "path": s} for s in self.total if s and q in s.lower()]
        found += [
            {"kind": "op", "name": name, "path": scope_of(name), "node": n}
            for n, name in enumerate(self.nodes)
            if q in name.lower()
        ]
        results = found[:limit]
        for r in results:
            r["series"] = self._series_chain(r["path"], r.get("node"))
        return {"query": query, "total": len(found), "results": results}

    def _series_chain(self, path, node=None):
        """The series that hide `path` or the op `node` in it, outermost first, as [scope, series]
        pairs: what to expand, with the `children` route's `series`, on the way down to it. A
        level's series are made once per tree: the first search of the 150,047-op graph of
        benchmarks/side_by_side.py took 0.05 s (0.02 s without the chains), the next ones 0.02 s."""
        chain = []
        ancestors = _ancestors(path)
        for parent, child in itertools.pairwise(ancestors):
            name = next((name for members, name in self._series_of(parent) if child in members), None)
            if name is not None:
                chain.append([parent, name])
        if node is not None:
            name = next((name for members, name in self._op_series_at(path) if node in members), None)
            if name is not None:
                chain.append([path, name])
        return chain


def _fold(things, groups, item, series_item, folded):
    """The items of `things` in order, each group of `groups` ([(members, name)]) one series item
    where its first member was; `folded` learns each member's series item id."""
    group_of = {m: (members, name) for members, name in groups for m in members}
    items, done = [], set()
    for t in things:
        if t not in group_of:
            items.append(item(t))
        elif group_of[t][1] not in done:
            members, name = group_of[t]
            done.add(name)
            items.append(series_item(name, members))
            folded.update({m: items[-1]["id"] for m in members})
    return items


def _ancestors(scope):
    """`a/b` -> ["", "a", "a/b"]."""
    out = [""]
    if scope:
        parts = scope.split("/")
        out += ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return out
