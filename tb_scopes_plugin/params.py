"""Variables -> unique parameter counts per scope, each variable counted once per scope."""

from .model import scope_of


def scope_params(variables):
    """[(scope, params_owned, params_used)] for scopes with a non-zero count, sorted by scope.

    A scope owns what its variable scopes create at or below it, and uses the distinct variables
    read at or below it. A variable read at one call site only (most are) is counted at that
    site, and the sums are carried up the scope tree once, leaves first; only a variable read
    at several sites is counted at each distinct scope above them, so that a common ancestor
    counts it once. Scopes are cut at their last "/" (model.scope_of), so a hostile name such
    as `/x` has one root above it, not two.
    """
    owned, used, shared_used = {}, {}, {}
    for var in variables:
        count = var.params  # a property that multiplies the shape out: read once
        if not count:
            continue
        owner = var.owner_scope or ""
        owned[owner] = owned.get(owner, 0) + count
        uses = var.uses
        if len(uses) == 1:  # most variables: no set to make
            (use,) = uses.values()
            used[use.call_site] = used.get(use.call_site, 0) + count
            continue
        sites = {use.call_site for use in uses.values()}
        if len(sites) == 1:
            site = sites.pop()
            used[site] = used.get(site, 0) + count
        elif sites:
            for scope in {s for site in sites for s in _up(site)}:
                shared_used[scope] = shared_used.get(scope, 0) + count
    owned, used = _carried_up(owned), _carried_up(used)
    for scope, count in shared_used.items():
        used[scope] = used.get(scope, 0) + count
    return [(s, owned.get(s, 0), used.get(s, 0)) for s in sorted(set(owned) | set(used))]


def _up(scope):
    """`a/b` -> ["a/b", "a", ""]."""
    chain = [scope]
    while scope:
        scope = scope_of(scope)
        chain.append(scope)
    return chain


def _carried_up(direct):
    """Counts at scopes -> counts at and below each scope: every count added to its ancestors."""
    total = dict(direct)
    for scope in list(direct):  # every ancestor present, so each one is summed in below
        while scope:
            scope = scope_of(scope)
            if scope in total:
                break
            total[scope] = 0
    for scope in sorted(total, key=len, reverse=True):  # a parent is shorter than its children
        if scope:
            parent = scope_of(scope)
            total[parent] += total[scope]
    return {s: c for s, c in total.items() if c}
