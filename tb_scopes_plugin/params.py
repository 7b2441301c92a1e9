"""Variables -> unique parameter counts per scope, each variable counted once per scope."""


def ancestors(scope):
    """`a/b` -> ["", "a", "a/b"]."""
    parts = scope.split("/") if scope else []
    return [""] + ["/".join(parts[: i + 1]) for i in range(len(parts))]


def scope_params(variables):
    """[(scope, params_owned, params_used)] for scopes with a non-zero count, sorted by scope.

    Ancestors are memoised for the call (many variables share an owner scope, many uses a
    call site), and each variable's params, a property that multiplies the shape out, is
    read once: 0.31 s -> 0.14 s of CPU for 24,000 variables (benchmarks/analysis_speed.py).
    """
    owned, used, memo = {}, {}, {}

    def up(scope):
        found = memo.get(scope)
        if found is None:
            found = memo[scope] = ancestors(scope)
        return found

    for var in variables:
        count = var.params
        if not count:
            continue
        for scope in up(var.owner_scope):
            owned[scope] = owned.get(scope, 0) + count
        reached = {s for use in var.uses.values() for s in up(use.call_site)}
        for scope in reached:
            used[scope] = used.get(scope, 0) + count
    return [(s, owned.get(s, 0), used.get(s, 0)) for s in sorted(set(owned) | set(used))]
