"""Variables -> unique parameter counts per scope, each variable counted once per scope."""

import functools


def ancestors(scope):
    """`a/b` -> ["", "a", "a/b"]."""
    return list(_ancestors(scope))


@functools.lru_cache(maxsize=65536)
def _ancestors(scope):
    """Memoised: many variables share an owner scope and many uses a call site."""
    parts = scope.split("/") if scope else []
    return ("",) + tuple("/".join(parts[: i + 1]) for i in range(len(parts)))


def scope_params(variables):
    """[(scope, params_owned, params_used)] for scopes with a non-zero count, sorted by scope."""
    owned, used = {}, {}
    for var in variables:
        count = var.params  # a property that multiplies the shape out: read once, not once per scope
        if not count:
            continue
        for scope in _ancestors(var.owner_scope):
            owned[scope] = owned.get(scope, 0) + count
        reached = {s for use in var.uses.values() for s in _ancestors(use.call_site)}
        for scope in reached:
            used[scope] = used.get(scope, 0) + count
    return [(s, owned.get(s, 0), used.get(s, 0)) for s in sorted(set(owned) | set(used))]
