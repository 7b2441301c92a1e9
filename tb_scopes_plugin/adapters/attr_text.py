"""Raw op attributes -> short readable text, for an op's details and the shapes on edges.

In: a NodeDef's attr map (TensorFlow and PyTorch's `add_graph` both write TensorFlow's
`AttrValue` protos) or a Keras layer's config dict. Out: one short string per attribute
(`float32`, `[8, 4]`, `false`, `"SAME"`), and shape text such as `[?, 4]`.

Large values are summarised, never dumped: a constant of a million floats is
`tensor float32 [1000, 1000]`, a long list shows its first items and how many more.
"""

import functools
import json
import struct

from tensorboard.compat.proto import attr_value_pb2

from .tf_shapes import dtype_name

MAX_TEXT = 80  # characters of a string value shown
MAX_ITEMS = 8  # items of a list shown
MAX_VALUES = 4  # a tensor with at most this many elements shows its values
OUTPUT_SHAPES = "_output_shapes"  # set by TF's as_graph_def(add_shapes=True) and torch's add_graph

# TensorProto's packed `tensor_content` by dtype: struct format of one element
# (tensorflow/core/framework/tensor.proto: the bytes are the tensor's memory, little endian).
_PACKED = {"float32": "f", "float64": "d", "int32": "i", "int64": "q", "int16": "h", "int8": "b",
           "uint8": "B", "uint16": "H", "bool": "?"}  # fmt: skip
# The typed repeated field that holds a TensorProto's values when it is not packed.
_VALUE_FIELDS = ("float_val", "double_val", "int_val", "int64_val", "bool_val", "string_val", "half_val")


def truncate(text, limit=MAX_TEXT):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def dims_text(dims):
    """[-1, 4] -> `[?, 4]`; None (unknown rank) -> `?`."""
    if dims is None:
        return "?"
    return "[" + ", ".join("?" if d is None or d < 0 else str(d) for d in dims) + "]"


def shape_proto_text(shape):
    if shape.unknown_rank:
        return "?"
    return dims_text([d.size for d in shape.dim])


def output_shapes(attrs):
    """Shape text of every output an op's attributes record; [] when the graph does not say
    (a Keras layer's config, a graph written without shapes)."""
    if attrs is None or isinstance(attrs, dict):
        return []
    value = attrs.get(OUTPUT_SHAPES)  # one map look-up: this runs once per producer of a 160k-op graph
    return [] if value is None else list(_shape_texts(value.SerializeToString()))


@functools.lru_cache(maxsize=4096)
def _shape_texts(serialized):
    """An `_output_shapes` value's bytes -> its shape texts, memoised: a graph holds few distinct
    ones (11 in the 150,047-op TF1 graph of benchmarks/side_by_side.py), and serialising one is
    cheaper than reading its dims through protobuf (the drawing 0.75 s -> 0.42 s of CPU there)."""
    value = attr_value_pb2.AttrValue.FromString(serialized)
    return tuple(shape_proto_text(s) for s in value.list.shape)


class RecordedShapes:
    """Op index -> the shape texts of its outputs that its NodeDef records (`_output_shapes`, as
    FileWriter with shapes and PyTorch's add_graph write them), the adapters' `model.shapes` for
    GraphDefs. Read on demand: the drawing asks once per producer, and nothing else needs them.

    A resource variable's op (`VarHandleOp`, a captured placeholder) outputs a handle, which
    TensorFlow records as a scalar (`[]`): the edge from it is labelled with the variable's own
    shape instead, as a TF1 variable's ref edge is, when `variables` (model.Variable) knows it.
    The shapes are read at the first ask, so names and shapes logged apart (naming.py) count.
    """

    def __init__(self, ops, variables=()):
        self._ops = ops
        self._variables = variables
        self._handles = None  # variable op index -> its variable's shape text

    def get(self, i, default=None):
        attrs = self._ops[i].attrs
        value = None if attrs is None or isinstance(attrs, dict) else attrs.get(OUTPUT_SHAPES)
        texts = value is not None and _shape_texts(value.SerializeToString())
        if texts and texts[0] == "[]":
            if self._handles is None:
                self._handles = {v.node: dims_text(v.shape) for v in self._variables if v.shape}
            handle = self._handles.get(i)
            if handle is not None:
                texts = (handle, *texts[1:])
        return texts or default


def output_shape(attrs, port):
    """Shape text of one output, "" when unknown."""
    shapes = output_shapes(attrs)
    return shapes[port] if 0 <= port < len(shapes) else ""


def attrs_text(attrs):
    """Sorted (key, text) pairs of an op's attributes; the recorded output shapes are shown apart."""
    if attrs is None:
        return []
    if isinstance(attrs, dict):  # a Keras layer's config
        return [(str(k), value_text(v)) for k, v in sorted(attrs.items()) if k != "name"]
    return [(k, attr_value_text(attrs[k])) for k in sorted(attrs) if k != OUTPUT_SHAPES]


def attr_value_text(value):
    """One TensorFlow AttrValue (tensorflow/core/framework/attr_value.proto) as text."""
    kind = value.WhichOneof("value")
    if kind == "list":
        return _list_text(value.list)
    if kind is None:
        return "[]"  # an empty list is an AttrValue with nothing set
    return _scalar_text(kind, getattr(value, kind))


def _scalar_text(kind, v):
    if kind == "s":
        return json.dumps(truncate(v.decode("utf-8", "replace")), ensure_ascii=False)
    if kind == "b":
        return "true" if v else "false"
    if kind == "f":
        return _float(v)
    if kind == "type":
        return dtype_name(v) or "unknown"
    if kind == "shape":
        return shape_proto_text(v)
    if kind == "tensor":
        return tensor_text(v)
    if kind == "func":
        return truncate(v.name)
    if kind == "placeholder":
        return f"${v}"
    return truncate(str(v))


def _list_text(lst):
    for kind in ("s", "i", "f", "b", "type", "shape", "tensor", "func"):
        items = getattr(lst, kind)
        if len(items):
            return _items_text([_scalar_text(kind, v) for v in items[:MAX_ITEMS]], len(items))
    return "[]"


def _items_text(shown, total):
    more = f", … {total - len(shown)} more" if total > len(shown) else ""
    return "[" + ", ".join(shown) + more + "]"


def _float(v):
    return f"{v:.6g}"


def tensor_text(t):
    """A constant: its values when tiny (`0.5`, `[1, 2]`), else `tensor float32 [1000, 10]`."""
    dtype = dtype_name(t.dtype) or "unknown"
    dims = [d.size for d in t.tensor_shape.dim]
    count = 1
    for d in dims:
        count *= max(d, 0)
    values = _tensor_values(t, dtype, count) if count <= MAX_VALUES else None
    if values is None:
        return f"tensor {dtype} {dims_text(dims)}"
    shown = values[0] if not dims else "[" + ", ".join(values) + "]"
    return f"{shown} ({dtype})"


def _tensor_values(t, dtype, count):
    if t.tensor_content:
        fmt = _PACKED.get(dtype)
        if fmt is None or len(t.tensor_content) != count * struct.calcsize(fmt):
            return None
        raw = struct.unpack(f"<{count}{fmt}", t.tensor_content)
    else:
        raw = next((list(getattr(t, f)) for f in _VALUE_FIELDS if len(getattr(t, f))), None)
        if raw is None:
            return None
        raw = raw + [raw[-1]] * (max(count, 1) - len(raw))  # a repeated last value fills the rest
    return [_element(v) for v in raw[: max(count, 1)]]


def _element(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return _float(v)
    if isinstance(v, bytes):
        return json.dumps(truncate(v.decode("utf-8", "replace"), 24), ensure_ascii=False)
    return str(v)


def value_text(v):
    """A Keras config value: dtype policies and initializers by their name, the rest as short JSON."""
    if isinstance(v, dict) and "class_name" in v:
        inner = v.get("config") if isinstance(v.get("config"), dict) else {}
        if str(v["class_name"]).endswith("Policy") and "name" in inner:  # DTypePolicy: `float32`
            return str(inner["name"])
        return truncate(str(v["class_name"]))
    if isinstance(v, list) and len(v) > MAX_ITEMS:
        return _items_text([value_text(x) for x in v[:MAX_ITEMS]], len(v))
    if isinstance(v, str):
        return json.dumps(truncate(v), ensure_ascii=False)
    try:
        return truncate(json.dumps(v, ensure_ascii=False, separators=(", ", ": ")))
    except (TypeError, ValueError):
        return truncate(str(v))
