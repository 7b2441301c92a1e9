"""Log what a graph does not carry, for the Scopes tab: TF2 variables' real names, torch parameters' shapes.

A traced function (`tf.summary.trace_export`, the tf_keras callback's op graph) captures
each variable as a resource placeholder named after the first op that read it; the
variable's own name is not in the graph. One call next to `trace_export` records, for
every captured placeholder, the variable behind it:

    tf.summary.trace_on(graph=True)
    train_step(x, y)
    with writer.as_default():
        tf.summary.trace_export("train_step", step=0)
        tb_scopes_plugin.summary.variables(train_step, step=0)

The record is a summary under this plugin's name with `data_class` set, so both of
TensorBoard's data servers keep it (the Rust one drops summaries without it,
tensorboard/data/server/data_compat.rs). TensorFlow is imported only when called: the
plugin itself never needs it.
"""

import json
import re

from . import metadata


def variables(function, name=None, step=0, weights=None):
    """Record the variables captured by `function` (a `tf.function` or a ConcreteFunction).

    `name` defaults to the function's name, which is also the tag `trace_export` is
    usually given. `weights`, when given (`model.weights`), are the variables the model
    has: those the function never reads are recorded too, so that the report can say
    which weights its graph cannot show (a Keras `Normalization` layer reads its statistics
    as constants folded at build time, not as variables). Returns the number of captured
    variables recorded. Needs a default summary writer, like every `tf.summary` call.
    """
    import tensorflow as tf

    concretes = _concrete_functions(function)
    # A Keras 3 weight wraps the tf.Variable the function captures and shares its handle: that
    # says which captured variables are Keras 3 weights, described by the weight, named by its
    # path. The tf.Variable's own name may not be that path: every Dense of a subclassed model
    # built on its first call made a `ksiamese/kernel` (Keras 3.15).
    keras = {id(w.handle): w for w in weights or () if getattr(w, "path", None)}
    records, captured = {}, set()
    for concrete in concretes:
        handles = {id(v.handle): v for v in concrete.variables}
        for external, internal in concrete.graph.captures:
            var = handles.get(id(external))
            if var is not None:
                records[placeholder_key(internal.op.name)] = _describe(keras.get(id(var.handle), var))
                captured.add(id(var.handle))
    found = len(records)
    for var in weights or ():
        if id(var.handle) not in captured:
            described = _describe(var)
            # No placeholder key has a ":" (placeholder_key): these never rename a graph's variable.
            records[f"{UNREAD_PREFIX}{described['name']}"] = {**described, "captured": False}
    tag = f"{metadata.VARIABLES_TAG_PREFIX}{name or _name_of(function)}"
    _write(tf, tag, {"version": 1, "variables": records}, step)
    return found


def torch_parameters(module, writer, step=0, name="parameters"):
    """Record a torch module's parameters next to `writer.add_graph(module, ...)`.

    The graph names every parameter but cannot give an embedding's or a convolution's
    shape; this records, for each of `module.named_parameters()` (tied ones once, under the
    name PyTorch keeps, with the other paths as aliases), its shape, dtype, trainability
    and identity. `writer` is a torch.utils.tensorboard or tensorboardX SummaryWriter.
    It also records `module.named_buffers()` as buffers: the graph reads a buffer
    (BERT's `position_ids`) exactly as it reads a parameter, and only this tells them apart.
    Returns the number of parameters recorded.
    """
    records, first = {}, {}
    for path, param in module.named_parameters(remove_duplicate=False):
        if id(param) in first:
            records[first[id(param)]]["aliases"].append(path)
            continue
        first[id(param)] = placeholder_key(path)
        records[placeholder_key(path)] = {
            "name": path,
            "shape": list(param.shape),
            "dtype": str(param.dtype).removeprefix("torch."),
            "trainable": bool(param.requires_grad),
            "identity": str(id(param)),
            "aliases": [],
        }
    parameters = len(records)
    for path, buffer in module.named_buffers():
        records.setdefault(
            placeholder_key(path),
            {"name": path, "shape": list(buffer.shape), "dtype": str(buffer.dtype).removeprefix("torch."),
             "trainable": False, "buffer": True, "aliases": []},
        )  # fmt: skip
    from tensorboard.compat.proto import summary_pb2, tensor_pb2, tensor_shape_pb2, types_pb2

    payload = json.dumps({"version": 1, "variables": records}, sort_keys=True).encode()
    tensor = tensor_pb2.TensorProto(
        dtype=types_pb2.DT_STRING,
        string_val=[payload],
        tensor_shape=tensor_shape_pb2.TensorShapeProto(dim=[tensor_shape_pb2.TensorShapeProto.Dim(size=1)]),
    )
    value = summary_pb2.Summary.Value(
        tag=f"{metadata.VARIABLES_TAG_PREFIX}{name}", metadata=_metadata(), tensor=tensor
    )
    proto = summary_pb2.Summary(value=[value])
    if type(writer).__module__.startswith("tensorboardX"):  # it checks for its own generated classes
        from tensorboardX.proto import summary_pb2 as tbx_summary_pb2

        proto = tbx_summary_pb2.Summary.FromString(proto.SerializeToString())
    writer._get_file_writer().add_summary(proto, step)
    writer.flush()
    return parameters


UNREAD_PREFIX = "unread:"  # the record key of a weight the function does not read


def placeholder_key(name):
    """A placeholder's name as a trace serialises it: `dense/MatMul/ReadVariableOp/resource` and
    `dense_matmul_readvariableop_resource` are one key (function args are lower-cased, `/` -> `_`)."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _concrete_functions(function):
    if hasattr(function, "graph") and hasattr(function, "variables"):
        return [function]  # already a ConcreteFunction
    listed = getattr(function, "_list_all_concrete_functions", None)  # every trace of a tf.function
    if listed is not None and listed():
        return list(listed())
    return [function.get_concrete_function()]


def _describe(var):
    path = getattr(var, "path", None)  # a Keras 3 weight's name within its model
    name = path or var.name
    name = name[:-2] if name.endswith(":0") else name
    return {
        "name": name,
        # A path is unique within its sub-model only: two sub-models with a layer of one name
        # (keras_hub's CLIP text and vision encoders) give two weights one path (naming.py).
        **({"path": True} if path else {}),
        "shape": [-1 if d is None else int(d) for d in var.shape],
        "dtype": str(getattr(var.dtype, "name", var.dtype)),  # a Keras 3 variable's dtype is its name
        "trainable": bool(var.trainable),
        # tf.Variable keeps a process-unique id; two variables of one name differ here.
        "identity": str(getattr(var, "_unique_id", None) or id(var)),
    }


def _name_of(function):
    return getattr(function, "__name__", None) or getattr(function, "name", None) or "function"


def _metadata():
    from tensorboard.compat.proto import summary_pb2

    return summary_pb2.SummaryMetadata(
        plugin_data=summary_pb2.SummaryMetadata.PluginData(
            plugin_name=metadata.PLUGIN_NAME, content=metadata.VARIABLES_CONTENT
        ),
        data_class=summary_pb2.DATA_CLASS_BLOB_SEQUENCE,
    )


def _write(tf, tag, payload, step):
    blob = tf.constant([json.dumps(payload, sort_keys=True)])
    if not tf.summary.write(tag=tag, tensor=blob, step=step, metadata=_metadata()):
        raise RuntimeError("no default summary writer: call this inside `with writer.as_default():`")
