"""Real variable names logged with `tb_scopes_plugin.summary` -> applied to a model's variables.

In: a model from an adapter, and the name maps of its run (placeholder key -> name, shape,
dtype, trainable, identity). Out: the same model, its captured variables renamed; the
model no longer says its names were derived. Format-neutral: it matches variables by the
placeholder name the adapter kept in `aliases`.
"""

from . import model as m
from .adapters import pytorch
from .summary import UNREAD_PREFIX, placeholder_key


def apply(model, records):
    """Rename the variables `records` knows; returns how many were renamed."""
    if not records:
        return 0
    renamed = weights = 0
    matched = set()  # the keys of the records applied
    paths = {}  # Keras 3 path -> [(variable, its name derived from the graph)]
    for var in model.variables:
        placeholder = var.aliases[0] if var.aliases else model.ops[var.node].name
        key = placeholder_key(placeholder)
        if key not in records:
            key = placeholder_key(var.name)
        record = records.get(key)
        if not isinstance(record, dict):
            continue  # none, or not a record we wrote (event files are untrusted input)
        matched.add(key)
        derived, graph_owner = var.name, var.owner_scope
        var.name = str(record.get("name") or var.name)
        if model.framework != "pytorch":  # PyTorch's graph already names parameters and their modules
            var.owner_scope = _owner(var.name, graph_owner)
            var.aliases = [placeholder] + ([derived] if derived not in (placeholder, var.name) else [])
        var.aliases += [a for a in record.get("aliases", []) if a not in var.aliases]
        var.shape = _shape(record.get("shape"), var.shape)
        var.dtype = record.get("dtype") or var.dtype
        var.trainable = record.get("trainable", var.trainable)
        var.identity = record.get("identity")
        if record.get("path"):
            paths.setdefault(var.name, []).append((var, derived))
        if record.get("buffer") and var.machinery is None:
            var.machinery, var.trainable = pytorch.buffer_kind(var.name.rpartition(".")[2]), False
        renamed += 1
        weights += var.machinery is None
    for group in paths.values():
        if len({var.identity for var, _ in group}) > 1:
            _qualify(group)
    _warn_unread(model, records, matched)
    if renamed:
        model.names_derived = False
        model.warnings = [w for w in model.warnings if w.kind != "derived_names"]
        total = sum(1 for v in model.variables if v.machinery is None)
        if weights < total:
            model.warnings.append(
                m.Warning("partly_named", f"the logged names cover {weights} of the graph's {total} weights")
            )
    return renamed


def _warn_unread(model, records, matched):
    """The logged weights that the graph never reads: those summary.variables was given as `weights=`
    and the function does not capture, and the parameters torch_parameters logged that no op of the
    traced forward pass reads (a BERT encoder's pooler under an encoder-decoder)."""
    known = {v.name for v in model.variables} | {a for v in model.variables for a in v.aliases}
    unread = sorted(
        str(r.get("name"))
        for key, r in records.items()
        if isinstance(r, dict)
        and r.get("name") not in known
        and not known.intersection(r.get("aliases") or [])
        and (
            key.startswith(UNREAD_PREFIX)
            or (model.framework == "pytorch" and key not in matched and not r.get("buffer"))
        )
    )
    if unread:
        shown = ", ".join(unread[:3]) + (", …" if len(unread) > 3 else "")
        model.warnings.append(
            m.Warning(
                "unread_weights",
                f"{len(unread)} of the model's weights {'are' if len(unread) > 1 else 'is'} never read by "
                f"this graph ({shown}), so {'they are' if len(unread) > 1 else 'it is'} not in the report",
            )
        )


def _qualify(group):
    """Variables of different sub-models that share one Keras 3 path get the name of their sub-model
    in front of it (`clip_text_encoder_1/encoder_block_0/attention/query/kernel`): the first scope in
    which the names the graph gives them differ. One name for two variables would be one row, one
    selection and the AUTO_REUSE trap's finding (findings/same_name.py) for two unrelated layers."""
    parts = [derived.split("/") for _, derived in group]
    depth = next((d for d in range(min(map(len, parts))) if len({p[d] for p in parts}) > 1), None)
    for (var, derived), split in zip(group, parts, strict=True):
        path = var.name
        var.name = f"{split[depth]}/{path}" if depth is not None else derived
        var.owner_scope = m.scope_of(var.name)
        var.aliases.append(path)


def _owner(name, graph_owner):
    """The layer's scope in the graph (`model/dense`) when it is the layer the name says (`dense/kernel`),
    so that Keras weights sit under their layers; else the scope the name gives."""
    layer = m.scope_of(name)
    if graph_owner and layer and (graph_owner == layer or graph_owner.endswith("/" + layer)):
        return graph_owner
    return layer


def _shape(value, default):
    if isinstance(value, list) and all(isinstance(d, int) for d in value):
        return value
    return default
