"""Variables -> unique parameter counts per scope, each variable counted once per scope."""


def ancestors(scope):
    """`a/b` -> ["", "a", "a/b"]."""
    parts = scope.split("/") if scope else []
    return [""] + ["/".join(parts[: i + 1]) for i in range(len(parts))]


def scope_params(variables):
    """[(scope, params_owned, params_used)] for scopes with a non-zero count, sorted by scope."""
    owned, used = {}, {}
    for var in variables:
        if not var.params:
            continue
        for scope in ancestors(var.owner_scope):
            owned[scope] = owned.get(scope, 0) + var.params
        reached = {s for use in var.uses.values() for s in ancestors(use.call_site)}
        for scope in reached:
            used[scope] = used.get(scope, 0) + var.params
    return [(s, owned.get(s, 0), used.get(s, 0)) for s in sorted(set(owned) | set(used))]
