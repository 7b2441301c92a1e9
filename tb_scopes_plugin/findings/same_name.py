"""Several distinct variables under one name: the AUTO_REUSE trap of eager TF2.

`tf.compat.v1.get_variable(..., reuse=AUTO_REUSE)` in eager code without
`tf.compat.v1.keras.utils.track_tf1_style_variables` makes a new variable on every call
(tensorflow issues 45876 and 49155), so two variables named `foo/v` both train. Only a
graph logged with the real names and identities (`tb_scopes_plugin.summary`) can show it.
"""

from .base import HIGH, SAME_NAME, Finding

FIX = (
    "decorate the layer's call with tf.compat.v1.keras.utils.track_tf1_style_variables (or keep the "
    "variables as attributes of one tf.Module) so that get_variable finds the variable made by the first call"
)


def find(model, analysis):
    by_name = {}
    for report in analysis.variables:
        identity = report.var.identity or report.var.name
        by_name.setdefault(report.name, {}).setdefault(identity, report)
    found = []
    for name, identities in sorted(by_name.items()):
        if len(identities) < 2:
            continue
        sites = sorted({u.call_site or "/" for r in identities.values() for u in r.uses.values()})
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
    return found
