"""A Keras layer's class, config and build input shape -> its weights (name, shape, trainable).

Shapes follow each layer's `build()` in keras/src/layers/ (Keras 3) and tf_keras/src/layers/
(Keras 2), so that parameter totals equal `model.count_params()`. Returns None for a class
we do not know, so the caller can say which layers were not counted; `[]` for a layer
that has no weights.
"""

from dataclasses import dataclass

# Layers that own no weights (keras/src/layers: merging, pooling, reshaping, activations,
# regularization, preprocessing that is only arithmetic).
WEIGHTLESS = {
    "InputLayer", "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot",
    "Activation", "ReLU", "Softmax", "LeakyReLU", "ELU", "ThresholdedReLU", "Dropout", "SpatialDropout1D",
    "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise", "GaussianDropout", "AlphaDropout",
    "ActivityRegularization", "Flatten", "Reshape", "Permute", "RepeatVector", "Lambda", "Identity",
    "Masking", "Cropping1D", "Cropping2D", "Cropping3D", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D",
    "UpSampling1D", "UpSampling2D", "UpSampling3D", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D",
    "AveragePooling1D", "AveragePooling2D", "AveragePooling3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D",
    "GlobalMaxPooling3D", "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
    "Rescaling", "Resizing", "CenterCrop", "TFOpLambda", "SlicingOpLambda", "RandomFlip", "RandomRotation",
    "RandomZoom", "RandomContrast", "RandomTranslation", "RandomCrop", "UnitNormalization", "Attention",
    "AdditiveAttention",
    "CustomScaleLayer",  # keras.applications' InceptionResNetV2: inputs[0] + inputs[1] * scale
}  # fmt: skip
# A Keras 3 functional model records a `keras.ops` call on its tensors (`keras.ops.tanh(x)`,
# `x[:, 0]`) as a layer of its module (keras/src/ops/numpy.py `Tanh`, `GetItem`): an Operation,
# which holds no weights (keras/src/ops/operation.py).
_OPERATIONS = "keras.src.ops."


@dataclass
class Weight:
    name: str  # as Keras names it: kernel, bias, gamma, ...
    shape: list
    trainable: bool = True


def weights_of(class_name, cfg, build, keras2=False, module=""):
    if class_name in WEIGHTLESS or module.startswith(_OPERATIONS):
        return []
    if class_name in _WRAPPERS:
        try:
            return _wrapped(class_name, cfg, build, keras2)
        except (TypeError, ValueError, IndexError, KeyError, AttributeError):
            return None
    rule = _RULES.get(class_name)
    if rule is None:
        return None
    shape = build.get("input_shape") if isinstance(build, dict) else None
    try:
        weights = [w for w in rule(cfg, shape, build) if w is not None]
    except (TypeError, ValueError, IndexError, KeyError, ZeroDivisionError):
        return None  # a config we cannot read: counted as unknown rather than wrong
    if keras2 and class_name.startswith("DepthwiseConv"):
        weights[0].name = "depthwise_kernel"  # Keras 3 calls it `kernel`
    return weights


_WRAPPERS = {"Bidirectional", "TimeDistributed"}


def _wrapped(class_name, cfg, build, keras2):
    """A wrapper's weights are its inner layers', under their names (keras/src/layers/rnn/bidirectional.py,
    keras/src/layers/core/time_distributed.py; tf_keras alike): `bidirectional/forward_lstm/...`.

    Keras 3 keeps each inner layer with its own name and build config. tf_keras keeps the
    wrapped layer as the user made it: Bidirectional names its copies `forward_` and
    `backward_` + its name, and TimeDistributed builds it on the input without its time axis,
    inside its own name scope (`time_distributed/kernel`, no inner layer's name).
    """
    shape = build.get("input_shape") if isinstance(build, dict) else None
    inner_shape = shape
    if class_name == "TimeDistributed" and isinstance(shape, list) and len(shape) > 2:
        inner_shape = [shape[0], *shape[2:]]
    layers = [(cfg["layer"], "forward_" if class_name == "Bidirectional" else "")]
    if class_name == "Bidirectional":
        layers.append((cfg.get("backward_layer") or cfg["layer"], "backward_"))
    out = []
    for layer, prefix in layers:
        name = layer["config"]["name"]
        if prefix and not name.startswith(("forward_", "backward_")):
            name = prefix + name
        inner_build = layer.get("build_config") or {"input_shape": inner_shape}
        weights = weights_of(layer["class_name"], layer["config"], inner_build, keras2)
        if weights is None:
            return None
        under = "" if keras2 and class_name == "TimeDistributed" else f"{name}/"
        out += [Weight(under + w.name, w.shape, w.trainable) for w in weights]
    return out


def _last(shape, axis=-1):
    """A dimension of the build input shape; -1 when the config does not record it (old Keras 2)."""
    if isinstance(shape, list) and shape and isinstance(shape[0], list):
        shape = shape[0]  # several inputs: the first one's
    try:
        dim = shape[axis]
    except (TypeError, IndexError):
        return -1
    return dim if isinstance(dim, int) else -1


def _ints(value, n):
    return list(value) if isinstance(value, (list, tuple)) else [value] * n


def _bias(cfg, size, name="bias"):
    return Weight(name, [size]) if cfg.get("use_bias", True) else None


def _dense(cfg, shape, _):
    units = cfg["units"]
    return [Weight("kernel", [_last(shape), units]), _bias(cfg, units)]


def _conv(rank):
    def rule(cfg, shape, _):
        axis = 1 if cfg.get("data_format") == "channels_first" else -1
        filters, groups = cfg["filters"], cfg.get("groups", 1) or 1
        kernel = _ints(cfg["kernel_size"], rank)
        channels = _last(shape, axis)
        per_group = channels // groups if channels > 0 else -1
        return [Weight("kernel", kernel + [per_group, filters]), _bias(cfg, filters)]

    return rule


def _conv_transpose(rank):
    def rule(cfg, shape, _):
        axis = 1 if cfg.get("data_format") == "channels_first" else -1
        kernel = _ints(cfg["kernel_size"], rank)
        return [Weight("kernel", kernel + [cfg["filters"], _last(shape, axis)]), _bias(cfg, cfg["filters"])]

    return rule


def _depthwise(rank):
    def rule(cfg, shape, _):
        axis = 1 if cfg.get("data_format") == "channels_first" else -1
        channels, mult = _last(shape, axis), cfg.get("depth_multiplier", 1)
        kernel = _ints(cfg["kernel_size"], rank)
        return [Weight("kernel", kernel + [channels, mult]), _bias(cfg, channels * mult)]

    return rule


def _separable(rank):
    def rule(cfg, shape, _):
        axis = 1 if cfg.get("data_format") == "channels_first" else -1
        channels, mult, filters = _last(shape, axis), cfg.get("depth_multiplier", 1), cfg["filters"]
        kernel = _ints(cfg["kernel_size"], rank)
        return [
            Weight("depthwise_kernel", kernel + [channels, mult]),
            Weight("pointwise_kernel", [1] * rank + [channels * mult, filters]),
            _bias(cfg, filters),
        ]

    return rule


def _batch_norm(cfg, shape, _):
    axis = cfg.get("axis", -1)
    axis = axis[0] if isinstance(axis, list) else axis
    c = _last(shape, axis)
    return [
        Weight("gamma", [c]) if cfg.get("scale", True) else None,
        Weight("beta", [c]) if cfg.get("center", True) else None,
        Weight("moving_mean", [c], trainable=False),
        Weight("moving_variance", [c], trainable=False),
    ]


def _layer_norm(cfg, shape, _):
    c = _last(shape, -1)
    return [
        Weight("gamma", [c]) if cfg.get("scale", True) else None,
        Weight("beta", [c]) if cfg.get("center", True) and not cfg.get("rms_scaling") else None,
    ]


def _group_norm(cfg, shape, _):
    c = _last(shape, cfg.get("axis", -1))
    return [
        Weight("gamma", [c]) if cfg.get("scale", True) else None,
        Weight("beta", [c]) if cfg.get("center", True) else None,
    ]


def _embedding(cfg, _shape, _):
    return [Weight("embeddings", [cfg["input_dim"], cfg["output_dim"]])]


def _prelu(cfg, shape, _):
    dims = shape[0] if shape and isinstance(shape[0], list) else shape
    param = list(dims[1:])
    for axis in cfg.get("shared_axes") or []:
        param[axis - 1] = 1
    return [Weight("alpha", param)]


def _recurrent(gates, cell):
    """SimpleRNN, GRU, LSTM: the weights are their cell sublayer's, `lstm/lstm_cell/kernel` in
    both Kerases (keras/src/layers/rnn/lstm.py and tf_keras/src/layers/rnn/lstm.py make the
    cell with `name="lstm_cell"`)."""

    def rule(cfg, shape, _):
        units = cfg["units"]
        bias = None
        if cfg.get("use_bias", True):
            bias = Weight(
                "bias", [2, gates * units] if gates == 3 and cfg.get("reset_after", True) else [gates * units]
            )
        weights = [
            Weight("kernel", [_last(shape), gates * units]),
            Weight("recurrent_kernel", [units, gates * units]),
            bias,
        ]
        for w in weights:
            if w is not None:
                w.name = f"{cell}/{w.name}"
        return weights

    return rule


def _mha(cfg, _shape, build):
    """MultiHeadAttention: query, key, the optional gate, value and output projections, in the
    order its `build()` makes them (keras/src/layers/attention/multi_head_attention.py).

    The input shapes are in the build config's `shapes_dict` (Keras 3), or in the layer config
    itself (tf_keras, whose build config holds only the query's).
    """
    heads, key_dim = cfg["num_heads"], cfg["key_dim"]
    value_dim = cfg.get("value_dim") or key_dim
    build = build if isinstance(build, dict) else {}
    shapes = build.get("shapes_dict") or build  # Keras 3
    if "query_shape" not in shapes:
        shapes = cfg  # tf_keras
    q, v = _last(shapes["query_shape"]), _last(shapes["value_shape"])
    k = _last(shapes.get("key_shape") or shapes["value_shape"])
    out = cfg.get("output_shape") or q
    out = out[-1] if isinstance(out, list) else out
    use_bias = cfg.get("use_bias", True)
    parts = [("query", q, key_dim), ("key", k, key_dim)]
    if cfg.get("use_gate"):
        parts.append(("gate", q, value_dim))
    parts.append(("value", v, value_dim))
    weights = []
    for part, dim, width in parts:
        weights.append(Weight(f"{part}/kernel", [dim, heads, width]))
        weights.append(Weight(f"{part}/bias", [heads, width]) if use_bias else None)
    weights.append(Weight("attention_output/kernel", [heads, value_dim, out]))
    weights.append(Weight("attention_output/bias", [out]) if use_bias else None)
    return weights


def _normalization(cfg, shape, _):
    """Normalization keeps mean, variance and a count, none trainable (keras/src/layers/preprocessing);
    given a mean and variance in its config, it keeps them as constants instead."""
    if cfg.get("mean") is not None:
        return []
    axis = cfg.get("axis", -1)
    axes = axis if isinstance(axis, list) else [axis]
    dims = [_last(shape, a) for a in axes if a is not None]
    return [Weight("mean", dims, False), Weight("variance", dims, False), Weight("count", [], False)]


def _layer_scale(cfg, _shape, _):
    """ConvNeXt's LayerScale: one gamma per channel (keras/src/applications/convnext.py)."""
    return [Weight("gamma", [cfg["projection_dim"]])]


_RULES = {
    "LayerScale": _layer_scale,
    "Dense": _dense, "Conv1D": _conv(1), "Conv2D": _conv(2), "Conv3D": _conv(3),
    "Conv1DTranspose": _conv_transpose(1), "Conv2DTranspose": _conv_transpose(2),
    "Conv3DTranspose": _conv_transpose(3), "DepthwiseConv1D": _depthwise(1), "DepthwiseConv2D": _depthwise(2),
    "SeparableConv1D": _separable(1), "SeparableConv2D": _separable(2), "BatchNormalization": _batch_norm,
    "LayerNormalization": _layer_norm, "GroupNormalization": _group_norm, "Embedding": _embedding,
    "PReLU": _prelu, "SimpleRNN": _recurrent(1, "simple_rnn_cell"), "GRU": _recurrent(3, "gru_cell"),
    "LSTM": _recurrent(4, "lstm_cell"),
    "MultiHeadAttention": _mha, "Normalization": _normalization,
}  # fmt: skip
