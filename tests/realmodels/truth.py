"""Ground truth from the frameworks themselves: weights, parameter counts, and layer call counts."""


def _calls(layer):
    nodes = getattr(layer, "_inbound_nodes", None)
    if nodes is None:
        nodes = getattr(layer, "inbound_nodes", [])
    return max(1, len(nodes))


def keras(model, run, source, library, bug=False, names="real", copies=None):
    """Keras 3 or tf_keras: `model.weights` with their layer's call count (nested models multiply)."""
    variables = {}

    def walk(layer, times):
        sublayers = getattr(layer, "layers", None)
        if sublayers is not None and layer is not model:
            times *= _calls(layer)
        if sublayers is not None:
            for sub in sublayers:
                walk(sub, times if sub is not layer else 1)
            return
        for w in layer.weights:
            # Keras 3: the layer's name and the weight's path below the layer: `w.path` whole
            # would add the name scopes the layer was created under (NASNet's cells), which the
            # model config does not record, and `w.name` alone drops a sublayer's name
            # (MultiHeadAttention's `query/kernel`). tf_keras: `w.name` is already
            # `layer/weight:0`. Where the graph carries no names (traces), names are only
            # labels: the full path keeps them unique.
            if library == "keras":
                below = w.path.rpartition(f"{layer.name}/")[2] if f"{layer.name}/" in w.path else w.name
                name = w.path if names == "derived" else f"{layer.name}/{below}"
            else:
                name = w.name
            name = name[:-2] if name.endswith(":0") else name
            variables[name] = {"shape": [int(d) for d in w.shape], "calls": times * _calls(layer)}

    walk(model, 1)
    return entry(run, source, library, variables, model.count_params(), bug, names, copies)


def tf1(variables, run, library, calls=None, bug=False, source="run_graph", copies=None):
    """TF1: the model's variables (the caller picks them: model_variables(), trainable ones...)."""
    calls = calls or {}
    table = {
        v.op.name: {"shape": [int(d) for d in v.shape], "calls": calls.get(v.op.name, 1)} for v in variables
    }
    params = sum(v.shape.num_elements() for v in variables)
    return entry(run, source, library, table, params, bug, "real", copies)


def entry(run, source, library, variables, params, bug, names, copies=None):
    """`copies`: on a bug, how many weights are copies, where not all but a Keras model's head."""
    return {
        "run": run,
        "source": source,
        "library": library,
        "names": names,
        "bug": bug,
        "variables": variables,
        "count": len(variables),
        "params": int(params),
    } | ({"copies": copies} if copies is not None else {})
