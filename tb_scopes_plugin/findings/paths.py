"""The forward pass as a graph, and where a layer's inputs come from and its outputs go.

In: the model and the analysis. Out: for a weight, its `MemberPaths`: the tensors that
enter its layer, how far each op upstream and downstream is (bounded breadth-first
searches), and the tests the missed-sharing rule asks: does one feed the other, and are
two copies placed symmetrically.
"""

import collections

from .. import model as m

SEARCH_BUDGET = 20_000  # ops visited per search, so that a 160k-op graph stays fast
_INSIDE_STEPS = 500  # ops walked back inside one layer call to find what enters it
_TRANSPARENT_STEPS = 50  # weightless single-input ops walked back through (an activation, a reshape)
_TRAINING = (m.MACHINERY, m.GRADIENT)  # roles of the training machinery and the backward pass
_NOT_FORWARD = (m.VARIABLE, *_TRAINING)  # roles left out of the forward flow


class FlowGraph:
    """The forward data flow: machinery, gradients, variables and their pure reads left out."""

    def __init__(self, model, analysis):
        self.ops = model.ops
        # Whether an op is in the forward flow, one flag per op: not machinery, a gradient, a
        # variable or folded into one (its helpers, its pure reads). An op's inputs and consumers
        # in the flow are picked out when a search first reaches it: the searches are bounded,
        # and listing them for every op cost 1.4 s of CPU at 1M synthetic ops (2026-12-01).
        # A constant (model.constant_types) is out of the flow too: one the tracer shares between
        # calls would make every call it reaches take one input, as parallel branches do (the
        # LayerNorms of two deep-copied ViT towers all read one `eps`, torch 2.10, transformers 5,
        # and their copies went unreported); and a transpose's permutation is no second input.
        constant = model.constant_types
        kept = [op.role not in _NOT_FORWARD and op.type not in constant for op in self.ops]
        for c in analysis.folded:
            kept[c] = False
        self.folded = analysis.folded
        self.preds = _InFlow(kept, lambda c: tuple([ref for ref in self.ops[c].inputs if kept[ref[0]]]))
        consumers = self.consumers = model.consumers_of()
        self.succs = _InFlow(kept, lambda p: [c for c in consumers[p] if kept[c]])
        self.index = model.index
        # op -> the shapes of the weights it reads: what makes two layers alike on a path
        weights = collections.defaultdict(list)
        for c, v, _ in analysis.reads:
            shape = analysis.variables[v].shape
            weights[c].append(tuple(shape) if shape is not None else ())
        self.weights = {c: tuple(sorted(w)) for c, w in weights.items()}
        self.reading = set(self.weights)  # ops that read a weight
        self._transparent_ops = {}

    def starts(self, report):
        """The forward ops that read the weight (gradient ops left out)."""
        out = set()
        for use in report.uses.values():
            for name in use.ops:
                i = self.index.get(name)
                if i is not None and i not in self.folded and self.ops[i].role not in _TRAINING:
                    out.add(i)
        return sorted(out)

    def paths(self, report, starts):
        site = next(iter(report.uses.values())).call_site
        inputs = frozenset(self._through_transparent(t) for t in self._entering(starts, site))
        up, up_complete, parent = self._bfs([p for p, _ in inputs], self.preds)
        return MemberPaths(self, starts, inputs, up, up_complete, self._downstream(starts), parent)

    def _entering(self, starts, site):
        """Tensors that enter the layer call: walk back inside the call site's scope to its border."""
        entering, seen, stack, steps = set(), set(starts), list(starts), 0
        while stack and steps < _INSIDE_STEPS:
            steps += 1
            for p, port in self.preds[stack.pop()]:
                if m.within(self.ops[p].scope, site) and site != "" and p not in seen:
                    seen.add(p)
                    stack.append(p)
                elif not m.within(self.ops[p].scope, site) or site == "":
                    entering.add((p, port))
        return frozenset(entering)

    def _through_transparent(self, tensor):
        """The tensor a layer really takes: back through ops with one input and no weights.

        Two branches on one tensor that each apply their own activation first (NASNet's
        cells: relu, then a separable conv, on the same input) take the same input. An op that
        makes several tensors is not gone through: two towers on the two halves of one batch
        (`a, b = iterator.get_next()`, one input each) take different inputs.
        """
        for _ in range(_TRANSPARENT_STEPS):
            if not self.transparent(tensor[0]):
                break
            tensor = self.preds[tensor[0]][0]
        return tensor

    def transparent(self, op):
        """Whether an op only reshapes or maps the one tensor it takes: one input in the flow, no
        weights, one output taken (an activation, a transpose, a reshape). Memoised: both
        searches ask it of the ops they meet."""
        known = self._transparent_ops.get(op)
        if known is None:
            known = self._transparent_ops[op] = (
                len(self.preds[op]) == 1
                and op not in self.reading
                and self.ops[op].role == m.COMPUTE
                and self._outputs(op) == 1
            )
        return known

    def _outputs(self, op):
        """How many of the op's outputs its consumers take (1 for most ops)."""
        return len({port for c in self.consumers[op] for p, port in self.ops[c].inputs if p == op} or {0})

    def _bfs(self, sources, edges):
        """Distances upstream from `sources` (1 for each, bounded), whether the search finished,
        and each op's parent."""
        dist, parent = {}, {}
        queue = collections.deque()
        for s in sources:
            if s not in dist:
                dist[s] = 1
                queue.append(s)
        while queue and len(dist) < SEARCH_BUDGET:
            i = queue.popleft()
            for j, _ in edges[i]:
                if j not in dist:
                    dist[j] = dist[i] + 1
                    parent[j] = i
                    queue.append(j)
        return dist, not queue, parent

    def _downstream(self, starts):
        """Distances downstream from the reading ops (0 for each, bounded), counting the ops that
        combine tensors or read weights, not the transparent ones between them.

        Two towers scored by in-batch similarity, `left(a) @ right(b).T`, meet at the matmul one
        op further from the transposed side: counted op by op, the two sat at different
        distances from where they meet, and copies of a tower went unreported (PyTorch, Keras 3
        and TF1 alike, 2026-12-08). A 0-1 breadth-first search: a transparent op costs nothing.
        """
        dist = dict.fromkeys(starts, 0)
        queue = collections.deque(dist)
        while queue and len(dist) < SEARCH_BUDGET:
            i = queue.popleft()
            for j in self.succs[i]:
                if self.transparent(j):
                    d = dist[i]
                    if d < dist.get(j, d + 1):
                        dist[j] = d
                        queue.appendleft(j)
                elif j not in dist or dist[i] + 1 < dist[j]:
                    dist[j] = dist[i] + 1
                    queue.append(j)
        return dist


class _InFlow:
    """Per op, its neighbours in the forward flow, made when first asked for: `()` for an op
    outside the flow, else `pick(op)`."""

    def __init__(self, kept, pick):
        self._kept, self._pick, self._made = kept, pick, {}

    def __getitem__(self, i):
        found = self._made.get(i)
        if found is None:
            found = self._made[i] = self._pick(i) if self._kept[i] else ()
        return found


class MemberPaths:
    def __init__(self, flow, starts, inputs, up, up_complete, down, parent):
        self.flow = flow
        self.starts = starts
        self.inputs = inputs  # (op, port) tensors entering the layer
        self.up = up  # op -> distance upstream of the layer (1 = produces an entering tensor)
        self.up_complete = up_complete
        self.down = down  # op -> distance downstream (0 = a reading op)
        self.parent = parent  # op upstream -> the op one step nearer the layer, on a shortest path

    def feeds(self, other):
        return any(s in self.down for s in other.starts)

    def _meeting(self, other):
        """The op where the two meet again as far downstream of each, if they take different
        inputs; else None."""
        if self.inputs == other.inputs or not self.inputs or not other.inputs:
            return None
        meet = _nearest_common(self.down, other.down)
        # A transparent op past the meeting costs nothing, so it ties with the op where the two
        # meet (PyTorch's output node, listed first, won the tie over the matmul it follows).
        for _ in range(_TRANSPARENT_STEPS):
            if meet is None or not self.flow.transparent(meet):
                break
            before = self.flow.preds[meet][0][0]
            if before not in self.down or before not in other.down:
                break
            meet = before
        return meet if meet is not None and self.down[meet] == other.down[meet] else None

    def symmetric_copy_of(self, other):
        """The op where both meet again, if the two sit symmetrically on different inputs; else None."""
        meet = self._meeting(other)
        if meet is None:
            return None
        ancestor = _nearest_common(self.up, other.up)
        if ancestor is not None:
            if self.up[ancestor] != other.up[ancestor] or self.leaving(ancestor) & other.leaving(ancestor):
                return None  # different depths, or one tensor fanned out: parallel branches by design
            return meet if self.layers_from(ancestor) == other.layers_from(ancestor) else None
        if not (self.up_complete and other.up_complete):
            return None  # too far to tell: stay quiet rather than cry wolf
        if max(self.up.values()) != max(other.up.values()):
            return None
        return meet if self.layers_from(self.deepest()) == other.layers_from(other.deepest()) else None

    def twin_of(self, other, root, other_root):
        """The op where both meet again, for the same layer in two copies of one scope (`root`,
        `other_root`) called on inputs that have nothing upstream in common; else None.

        The discriminator of a GAN built twice without reuse takes the real batch in one copy
        and the generator's output in the other: as deep in its own copy, not as far from the
        graph's inputs (symmetric_copy_of's test). Used only where the names say the copies are
        one scope entered twice (missed_sharing.py).
        """
        meet = self._meeting(other)
        if meet is None or _nearest_common(self.up, other.up) is not None:
            return None  # with a common ancestor, symmetric_copy_of has decided
        a, b = self.border(root), other.border(other_root)
        if a is None or b is None or self.up[a] != other.up[b]:
            return None
        return meet if self._layers_below(a) == other._layers_below(b) else None

    def _layers_below(self, op):
        """layers_from(op) without op's own weights (the generator's last layer feeds the copy)."""
        layers = self.layers_from(op)
        return layers[1:] if op in self.flow.weights else layers

    def border(self, root):
        """The nearest op upstream outside scope `root`: where this copy's input comes from."""
        ops = self.flow.ops
        outside = [op for op in self.up if not m.within(ops[op].name, root)]
        return min(outside, key=lambda op: (self.up[op], op), default=None)

    def leaving(self, ancestor):
        """The tensors of `ancestor` that this layer's path takes (split halves are different tensors)."""
        child = self.parent.get(ancestor)
        tensors = self.inputs if child is None else self.flow.preds[child]
        return frozenset(t for t in tensors if t[0] == ancestor)

    def deepest(self):
        return max(self.up, key=lambda op: (self.up[op], -op))

    def layers_from(self, op):
        """The weights read along the path from `op` down to this layer: copies match layer by layer."""
        path = []
        while op in self.parent or op in self.up:
            if op in self.flow.weights:
                path.append(self.flow.weights[op])
            if op not in self.parent:
                break
            op = self.parent[op]
        return path

    def input_label(self):
        names = sorted(self.flow.ops[p].name + (f":{port}" if port else "") for p, port in self.inputs)
        return names[0] + (f" and {len(names) - 1} more" if len(names) > 1 else "")

    def depth_label(self, other, roots=None):
        if roots is not None:
            return f"both {_ops(self.up[self.border(roots[0])])} below where {roots[0]} and {roots[1]} begin"
        ancestor = _nearest_common(self.up, other.up)
        if ancestor is not None:
            return f"both {_ops(self.up[ancestor])} below {self.flow.ops[ancestor].name}"
        return f"both {_ops(max(self.up.values()))} below the graph's inputs"


def _ops(n):
    return f"{n} op" if n == 1 else f"{n} ops"


def _nearest_common(a, b):
    """The op reached by both searches with the smallest summed distance (ties: graph order)."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    best, best_key = None, None
    for op, d in small.items():
        if op in large:
            key = (d + large[op], op)
            if best_key is None or key < best_key:
                best, best_key = op, key
    return best
