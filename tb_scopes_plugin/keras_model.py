"""Keras model config (the JSON the TensorBoard callback logs) -> shared layers, findings, drawing.

In a Keras model a layer is the unit of sharing: a layer with more than one inbound node
was called more than once and shares its weights across those calls. Reads both the
Keras 3 format (`inbound_nodes: [{"args": [...keras_history...]}]`) and the Keras 2 one
(`inbound_nodes: [[[layer, node, tensor, kwargs], ...], ...]`). Sequential models have no
inbound nodes: their layers form a chain.
"""

import json

from .analysis import Use, Variable
from .drawing import Drawing
from .findings import find_missed_sharing_layers

# Layer settings that do not make two layers different for sharing purposes.
_IGNORED_CONFIG = {"name", "trainable", "dtype"}
_NO_WEIGHTS = {"InputLayer", "Add", "Concatenate", "Multiply", "Subtract", "Average", "Maximum", "Minimum",
               "Dot", "Activation", "Dropout", "Flatten", "Reshape", "Permute", "Lambda", "ReLU",
               "Softmax", "LeakyReLU", "MaxPooling1D", "MaxPooling2D", "AveragePooling2D",
               "GlobalAveragePooling2D", "GlobalMaxPooling2D", "RepeatVector", "Identity"}  # fmt: skip


def analyse_keras(config):
    """(variables, findings, drawing) for a Keras model config."""
    if not isinstance(config, dict):
        raise ValueError("the Keras model config is not a JSON object")
    layers = _layers(config)
    names = [layer["name"] for layer in layers]
    index = {name: i for i, name in enumerate(names)}
    calls = [_calls(layer, i, layers, index) for i, layer in enumerate(layers)]
    edges, seen = [], set()
    for dst, layer_calls in enumerate(calls):
        for inputs in layer_calls:
            for src in inputs:
                if (src, dst) not in seen:
                    seen.add((src, dst))
                    edges += (src, dst)
    variables, var_nodes = [], []
    for i, layer in enumerate(layers):
        if layer["class_name"] in _NO_WEIGHTS and len(calls[i]) < 2:
            continue
        variables.append(_layer_variable(layer, calls[i], names))
        var_nodes.append(i)
    successors = [[] for _ in layers]
    for n in range(0, len(edges), 2):
        successors[edges[n]].append(edges[n + 1])
    singles = [
        (n, _config_key(layers[var_nodes[n]]), [var_nodes[n]])
        for n, var in enumerate(variables)
        if len(var.uses) == 1 and layers[var_nodes[n]]["class_name"] not in _NO_WEIGHTS
    ]
    found = find_missed_sharing_layers(singles, successors, [v.name for v in variables], names)
    types = sorted({layer["class_name"] for layer in layers})
    order = sorted(range(len(variables)), key=lambda n: variables[n].name)
    var_nodes = [var_nodes[n] for n in order]
    drawing = Drawing(
        nodes=names,
        ops=[types.index(layer["class_name"]) for layer in layers],
        op_types=types,
        edges=edges,
        reads=[x for n, node in enumerate(var_nodes) for x in (node, n, 0)],  # each layer "reads" its weights
        var_nodes=var_nodes,
        stats={"ops_in_graph": len(layers), "nodes_drawn": len(layers), "helpers_folded": 0},
    )
    return [variables[n] for n in order], found, drawing  # findings name variables: order-proof


def _layers(config):
    body = config.get("config", config)
    layers = body.get("layers") if isinstance(body, dict) else None
    if not isinstance(layers, list):
        raise ValueError("the Keras model config has no list of layers")
    out = []
    for n, layer in enumerate(layers):
        if not isinstance(layer, dict):
            continue
        cfg = layer.get("config") if isinstance(layer.get("config"), dict) else {}
        name = str(layer.get("name") or cfg.get("name") or f"layer_{n}")
        out.append(
            {"name": name, "class_name": str(layer.get("class_name", "Layer")), "config": cfg,
             "inbound": layer.get("inbound_nodes"), "build": layer.get("build_config") or {}}
        )  # fmt: skip
    if out and all(layer["inbound"] is None for layer in out):  # Sequential: a chain
        for n, layer in enumerate(out):
            layer["inbound"] = [[[out[n - 1]["name"], 0, 0, {}]]] if n else [[]]  # the first: on the input
    return out


def _calls(layer, i, layers, index):
    """Each call of a layer, as the list of layer indexes that feed it."""
    calls = []
    for node in layer["inbound"] or []:
        feeding = []
        for history in _histories(node):
            src = index.get(str(history[0])) if history else None
            if src is not None and src != i:
                feeding.append(src)
        calls.append(feeding)
    return calls


def _histories(node):
    """Keras 2: a list of [layer, node, tensor, kwargs]; Keras 3: {"args": [...keras tensors...]}."""
    found, stack = [], [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            history = (
                item.get("config", {}).get("keras_history") if isinstance(item.get("config"), dict) else None
            )
            if isinstance(history, list):
                found.append(history)
            else:
                stack.extend(
                    v for k, v in item.items() if k in ("args", "kwargs") or isinstance(v, (list, dict))
                )
        elif isinstance(item, list):
            if len(item) >= 3 and isinstance(item[0], str) and isinstance(item[1], int):
                found.append(item)
            else:
                stack.extend(reversed(item))
    return found


def _layer_variable(layer, calls, names):
    var = Variable(name=layer["name"], node=-1, owner_scope=layer["name"])
    var.shape, var.param_count = _weights(layer)
    dtype = layer["config"].get("dtype")
    var.dtype = dtype.get("config", {}).get("name") if isinstance(dtype, dict) else dtype
    for n, feeding in enumerate(calls):
        site = f"{layer['name']}/call_{n}"
        var.uses[site] = Use(
            site, ops=sorted({names[s] for s in feeding}), first=n, status="created" if n == 0 else "reused"
        )
    var.status = "shared" if len(calls) > 1 else "unshared" if calls else "unused"
    return var


def _weights(layer):
    """(kernel shape, parameter count) for the common layers; (None, None) when unknown."""
    cfg, cls = layer["config"], layer["class_name"]
    shape = layer["build"].get("input_shape") if isinstance(layer["build"], dict) else None
    last = shape[-1] if isinstance(shape, list) and shape and isinstance(shape[-1], int) else None
    bias = cfg.get("use_bias", True)
    if cls == "Dense" and last and isinstance(cfg.get("units"), int):
        return [last, cfg["units"]], last * cfg["units"] + (cfg["units"] if bias else 0)
    if (
        cls == "Embedding"
        and isinstance(cfg.get("input_dim"), int)
        and isinstance(cfg.get("output_dim"), int)
    ):
        return [cfg["input_dim"], cfg["output_dim"]], cfg["input_dim"] * cfg["output_dim"]
    return None, None


def _config_key(layer):
    cfg = {k: v for k, v in layer["config"].items() if k not in _IGNORED_CONFIG}
    return (
        layer["class_name"],
        json.dumps(cfg, sort_keys=True, default=str),
        json.dumps(layer["build"], default=str),
    )
