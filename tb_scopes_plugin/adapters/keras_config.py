"""The Keras TensorBoard callback's model config (JSON) -> `model.Model`: one op per layer call.

Each call of a layer becomes a compute op at the layer's scope that reads the layer's
weights, so a layer called twice has two calls, and created / reused come out of the
same analysis as for op graphs. Nested models (a Functional or Sequential used as a
layer) are expanded once per call of the outer model. Reads the Keras 3 format
(`inbound_nodes: [{"args": [...keras_history...]}]`) and the Keras 2 one
(`inbound_nodes: [[[layer, node, tensor, kwargs], ...], ...]`); Sequential models have no
inbound nodes, their layers form a chain.
"""

from .. import model as m
from . import keras_weights
from .attr_text import dims_text

_MODEL_CLASSES = {"Functional", "Sequential", "Model"}


def load(config):
    if not isinstance(config, dict):
        raise ValueError("the Keras model config is not a JSON object")
    # tf_keras writes `keras_version: 2.x`; Keras 3 writes none. Weight names differ between them.
    keras2 = str(config.get("keras_version", "")).startswith("2.")
    builder = _Builder(keras2)
    body = config.get("config", config)
    if not isinstance(body, dict) or not isinstance(body.get("layers"), list):
        raise ValueError("the Keras model config has no list of layers")
    builder.expand(config, path=(), call=0, feeds=None)
    builder.name_weights()
    unknown = sorted(builder.unknown)
    if unknown:
        builder.warnings.append(
            m.Warning(
                "unknown_layers",
                f"weights of {len(unknown)} layer classes are not known ({', '.join(unknown[:5])}"
                f"{', …' if len(unknown) > 5 else ''}): their parameters are not counted",
            )
        )
    return m.Model(
        kind="keras_model",
        framework="keras",
        ops=builder.ops,
        index={op.name: i for i, op in enumerate(builder.ops)},
        variables=builder.variables,
        warnings=builder.warnings,
        shapes=_shapes(builder.ops, {var.node for var in builder.variables}),
    )


def _shapes(ops, weight_ops):
    """A layer call's output shape: an input layer's batch shape, or what its consumers were built for."""
    out = {}
    for i, op in enumerate(ops):
        if not isinstance(op.attrs, dict):
            continue
        own = output_shapes(op.attrs)
        if own:
            out.setdefault(i, own)
        data = [p for p, _ in op.inputs if p not in weight_ops]
        for p, dims in zip(data, input_shapes(op.attrs, len(data)), strict=False):
            out.setdefault(p, [dims_text(dims)])
    return out


def _is_dims(value):
    return isinstance(value, list) and all(d is None or isinstance(d, int) for d in value)


def input_shapes(config, count):
    """build_config.input_shape: one shape for a one-input layer, a list of shapes for a merge."""
    build = config.get("build_config")
    shape = build.get("input_shape") if isinstance(build, dict) else None
    if _is_dims(shape) and count == 1:
        return [shape]
    if isinstance(shape, list) and len(shape) == count and all(_is_dims(s) for s in shape):
        return shape
    return []


def output_shapes(config):
    """An input layer's batch shape is its output's (Keras 3 `batch_shape`, Keras 2 `batch_input_shape`)."""
    for key in ("batch_shape", "batch_input_shape"):
        if _is_dims(config.get(key)):
            return [dims_text(config[key])]
    return []


class _Builder:
    def __init__(self, keras2):
        self.keras2 = keras2
        self.ops = []
        self.variables = []
        self.weights_of = {}  # layer path -> [variable op indexes]
        self.calls_of = {}  # layer path -> number of calls so far
        self.unknown = set()
        self.warnings = []

    def expand(self, cfg, path, call, feeds):
        """Add the ops of one call of a model; `feeds` are the op indexes its inputs come from."""
        layers = _layers(cfg)
        outputs = {}  # (layer name, node index) -> op index of that call
        inputs = [layer for layer in layers if layer["class_name"] == "InputLayer"]
        for n, layer in enumerate(inputs):
            if feeds is not None and n < len(feeds):
                outputs[(layer["name"], 0)] = feeds[n]
        for layer in layers:
            if layer["class_name"] == "InputLayer" and (layer["name"], 0) in outputs:
                continue
            nested = layer["class_name"] in _MODEL_CLASSES and isinstance(layer["config"].get("layers"), list)
            # tf_keras numbers a nested model's calls from 1 where the model has an Input: its node 0
            # links that Input to its output and is left out of the config (tf_keras functional.py,
            # `_should_skip_first_node`); Keras 3 numbers them from 0.
            first = 1 if self.keras2 and nested and _starts_with_input(layer["config"]) else 0
            for node_index, sources in enumerate(_calls(layer), start=first):
                src = [outputs[s] for s in sources if s in outputs]
                if nested:
                    inner = {"config": layer["config"], "class_name": layer["class_name"]}
                    outputs[(layer["name"], node_index)] = self.expand(
                        inner, path + (layer["name"],), call, src
                    )
                else:
                    outputs[(layer["name"], node_index)] = self.add_call(layer, path, src)
        if not outputs:
            return feeds[0] if feeds else None
        return _output_of(cfg, layers, outputs)

    def add_call(self, layer, path, sources):
        layer_path = "/".join(path + (layer["name"],))
        k = self.calls_of.get(layer_path, 0)
        self.calls_of[layer_path] = k + 1
        if layer_path not in self.weights_of:
            self.weights_of[layer_path] = self.add_weights(layer, layer_path)
        # One box per call in the drawing: `dense`, then `dense (call 2)`, not a scope of calls.
        name = layer_path if k == 0 else f"{layer_path} (call {k + 1})"
        inputs = [(s, 0) for s in sources] + [(w, 0) for w in self.weights_of[layer_path]]
        # Its config is what an op's details show (its build_config holds the input shape it was built for).
        attrs = {**layer["config"], "build_config": layer["build"]} if layer["build"] else layer["config"]
        op = m.Op(name=name, type=layer["class_name"], scope=layer_path, inputs=inputs, call=k, raw=attrs)
        self.ops.append(op)
        return len(self.ops) - 1

    def add_weights(self, layer, layer_path):
        specs = keras_weights.weights_of(
            layer["class_name"], layer["config"], layer["build"], self.keras2, layer.get("module", "")
        )
        if specs is None:
            self.unknown.add(layer["class_name"])
            return []
        out = []
        for spec in specs:
            self.ops.append(
                m.Op(name=f"{layer_path}/{spec.name}", type="weight", scope=layer_path, role=m.VARIABLE)
            )
            var = m.Variable(
                name=f"{layer['name']}/{spec.name}",  # Keras 3's weight.path: the layer name, not the nesting
                node=len(self.ops) - 1,
                owner_scope=layer_path,
                shape=spec.shape,
                dtype=_dtype(layer["config"]),
                trainable=spec.trainable,
                identity=f"{layer_path}/{spec.name}",
            )
            var.helpers.add(var.node)  # drawn as part of its layer's box, not as a box of its own
            self.variables.append(var)
            out.append(var.node)
        return out

    def name_weights(self):
        """Two nested layers of one name would give one weight name twice: use their paths then."""
        counts = {}
        for var in self.variables:
            counts[var.name] = counts.get(var.name, 0) + 1
        for var in self.variables:
            if counts[var.name] > 1:
                var.aliases, var.name = [var.name], var.identity


def _layers(cfg):
    body = cfg.get("config", cfg)
    out = []
    for n, layer in enumerate(body.get("layers") or []):
        if not isinstance(layer, dict):
            continue
        lcfg = layer.get("config") if isinstance(layer.get("config"), dict) else {}
        out.append(
            {"name": str(layer.get("name") or lcfg.get("name") or f"layer_{n}"),
             "class_name": str(layer.get("class_name", "Layer")), "config": lcfg,
             "inbound": layer.get("inbound_nodes"), "build": layer.get("build_config") or {},
             "module": str(layer.get("module") or "")}
        )  # fmt: skip
    if out and all(not layer["inbound"] for layer in out):  # Sequential: a chain
        for n, layer in enumerate(out):
            layer["inbound"] = [[[out[n - 1]["name"], 0, 0, {}]]] if n else [[]]
        if out[0]["class_name"] != "InputLayer":
            out[0]["inbound"] = [[["__input__", 0, 0, {}]]]
            out.insert(
                0, {"name": "__input__", "class_name": "InputLayer", "config": {}, "inbound": [], "build": {}}
            )
    return out


def _starts_with_input(cfg):
    layers = cfg.get("layers")
    return bool(layers) and isinstance(layers[0], dict) and layers[0].get("class_name") == "InputLayer"


def _calls(layer):
    """Each call of a layer, as the (layer name, node index) pairs that feed it."""
    if layer["class_name"] == "InputLayer":
        return [[]]
    return [
        [(str(h[0]), h[1] if isinstance(h[1], int) else 0) for h in _histories(node)]
        for node in layer["inbound"] or []
    ]


def _histories(node):
    """Keras 2: a list of [layer, node, tensor, kwargs]; Keras 3: {"args": [...keras tensors...]}."""
    found, stack = [], [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            cfg = item.get("config")
            history = cfg.get("keras_history") if isinstance(cfg, dict) else None
            if isinstance(history, list) and history:
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


def _output_of(cfg, layers, outputs):
    body = cfg.get("config", cfg)
    spec = body.get("output_layers")
    if isinstance(spec, list) and spec:
        first = spec[0] if isinstance(spec[0], list) else spec
        key = (str(first[0]), first[1] if len(first) > 1 and isinstance(first[1], int) else 0)
        if key in outputs:
            return outputs[key]
    return (
        outputs[(layers[-1]["name"], 0)] if (layers[-1]["name"], 0) in outputs else list(outputs.values())[-1]
    )


def _dtype(cfg):
    dtype = cfg.get("dtype")
    if isinstance(dtype, dict):
        dtype = dtype.get("config", {}).get("name")
    return dtype if isinstance(dtype, str) else None
