"""Variables -> unique parameter counts per scope, each variable counted once per scope."""


def ancestors(scope):
    """`a/b` -> ["", "a", "a/b"]."""
    parts = scope.split("/") if scope else []
    return [""] + ["/".join(parts[: i + 1]) for i in range(len(parts))]


def scope_params(variables):
    """[(scope, params_owned, params_used)] for scopes with a non-zero count, sorted by scope.

    Counts are summed per owner scope, and per set of call sites, before they are spread
    over those scopes' ancestors: variables share both (every layer's kernel and bias, every
    call of a block), so each scope path is walked once per distinct owner or set of sites,
    not once per variable (0.13 s -> 0.05 s of CPU for 24,000 variables, benchmarks/analysis_speed.py).
    """
    by_owner, by_sites = {}, {}
    for var in variables:
        count = var.params
        if not count:
            continue
        owner = var.owner_scope
        by_owner[owner] = by_owner.get(owner, 0) + count
        sites = frozenset([use.call_site for use in var.uses.values()])
        by_sites[sites] = by_sites.get(sites, 0) + count
    owned, used, memo = {}, {}, {}

    def up(scope):
        found = memo.get(scope)
        if found is None:
            found = memo[scope] = ancestors(scope)
        return found

    for owner, count in by_owner.items():
        for scope in up(owner):
            owned[scope] = owned.get(scope, 0) + count
    for sites, count in by_sites.items():
        for scope in {s for site in sites for s in up(site)}:
            used[scope] = used.get(scope, 0) + count
    return [(s, owned.get(s, 0), used.get(s, 0)) for s in sorted(set(owned) | set(used))]
