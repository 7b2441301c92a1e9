"""Several distinct variables under one name: the AUTO_REUSE trap of eager TF2.

`tf.compat.v1.get_variable(..., reuse=AUTO_REUSE)` in eager code without
`tf.compat.v1.keras.utils.track_tf1_style_variables` makes a new variable on every call
(tensorflow issues 45876 and 49155), so two variables named `foo/v` both train. Only a
graph logged with the real names and identities (`tb_scopes_plugin.summary`) can show it.
"""

from .base import HIGH, LOW, SAME_NAME, Finding, normalised

FIX = (
    "decorate the layer's call with tf.compat.v1.keras.utils.track_tf1_style_variables (or keep the "
    "variables as attributes of one tf.Module) so that get_variable finds the variable made by the first call"
)


def find(model, analysis):
    by_name = {}
    for report in analysis.variables:
        identity = report.var.identity or report.var.name
        by_name.setdefault(report.name, {}).setdefault(identity, report)
    found, apart = [], {}
    for name, identities in sorted(by_name.items()):
        if len(identities) < 2:
            continue
        sites = sorted({u.call_site or "/" for r in identities.values() for u in r.uses.values()})
        if not _one_scope_entered_again(identities.values()):
            apart[name] = sites
            continue
        found.append(
            Finding(
                SAME_NAME,
                HIGH,
                [name],
                f"{len(identities)} different variables are all named {name}: each call made its own copy, "
                "so they train separately.",
                [f"called at {', '.join(sites)}", f"identities: {', '.join(sorted(identities))}"],
                FIX,
            )
        )
    if apart:
        found.append(_apart(apart))
    return found


def _one_scope_entered_again(reports):
    """Do two of the variables run where one scope ran again (`tower`, `tower_1`), as the copies
    of the trap do? Variables of one name used in scopes that differ by more than a number are
    different layers that happen to share a name: a Keras 3 path is unique only within its
    sub-model (keras_hub's CLIP text and vision encoders, traced without `weights=`)."""
    seen = set()
    for report in reports:
        sites = {normalised(u.call_site or "") for u in report.uses.values()}
        if sites & seen:
            return True
        seen |= sites
    return False


def _apart(names):
    """One note for every name that variables of different layers share: {name: call sites}."""
    listed = sorted(names)
    shown = ", ".join(listed[:3]) + (f" and {len(listed) - 3} more" if len(listed) > 3 else "")
    evidence = [f"{name}: used at {', '.join(sites)}" for name, sites in list(names.items())[:5]]
    if len(listed) > 5:
        evidence.append(f"and {len(listed) - 5} more names")
    evidence.append("the scopes differ by more than a number: different layers, not one entered again")
    evidence.append("summary.variables(..., weights=model.weights) names Keras 3 weights by their sub-model")
    message = (
        f"{len(listed)} name{'s are' if len(listed) > 1 else ' is'} each held by variables of different "
        f"layers ({shown}): probably layers of separate sub-models that share a name, listed in case one "
        "was meant to be the other."
    )
    return Finding(SAME_NAME, LOW, listed, message, evidence, "")
