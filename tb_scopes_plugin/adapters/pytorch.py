"""GraphDefs written by PyTorch's `add_graph` (torch.utils.tensorboard, tensorboardX) -> `model.Model`.

The tracer names every node by module scope (`Siamese/Tower[tower]/Linear[fc1]/69`,
torch/utils/tensorboard/_pytorch_graph.py) and reads each parameter through a
`prim::GetAttr` node whose attribute names it (`{ name :  weight }`), a fresh one on every
call of the module. So:
- a parameter is the module path of its GetAttr plus the attribute: `tower.fc1.weight`,
  as `named_parameters()` names it; its owner scope is the module's scope in the graph;
- a tied weight is read through the module that registered it (`lm_head` reads
  `Embedding[wte]/weight`), so it is one variable, reused from `wte`;
- the k-th GetAttr of a parameter inside one scope belongs to the k-th call of the module.
Buffers (`running_mean`, `running_var`, `num_batches_tracked`) are model state but not
parameters (`model.parameters()` leaves them out), so they are listed as machinery; so is any
attribute whose value reaches an op's indices (BERT's `position_ids` and `token_type_ids`,
sliced into `aten::embedding`): it holds integers, which no parameter can (autograd needs a
floating dtype).
Shapes come from what the graph carries: the consumers' `_output_shapes` fix a Linear's, a
Conv1D's (GPT-2's `addmm`) or a norm's weights and a convolution's bias, and give an
embedding's width and a convolution's output channels; the rest (`[?, 16]`) needs
`tb_scopes_plugin.summary.torch_parameters`.
"""

import re

from .. import model as m
from . import attr_text

_ATTR_NAME = re.compile(r"name\s*:\s*(\w+)")
_MODULE = re.compile(r"^[^\[\]]*\[(.+)\]$")  # `Linear[fc1]` -> `fc1`
_BUFFERS = {"running_mean", "running_var", "num_batches_tracked"}
_CONSTANT = re.compile(r"value\s*:\s*([^\s}]+)")
_CONV = "aten::_convolution"
_ADDMM = "aten::addmm"


def looks_like_pytorch(graph):
    """TorchScript op names (`prim::`, `aten::`) never occur in a TensorFlow graph."""
    return any(node.op.startswith(("prim::", "aten::", "onnx::")) for node in graph.node[:200])


def load_graph_def(graph):
    ops, index, variables = [], {}, []
    var_op, var_index = {}, {}  # (owner scope, attribute) -> the parameter's op, its variable
    getattr_of = {}  # GetAttr op index -> variable index
    for node in graph.node:
        index[node.name] = len(ops)
        ops.append(m.Op(name=node.name, type=node.op, scope=m.scope_of(node.name), raw=node))
    entered = _entered_scopes(ops)
    taken = set()  # names of the variable ops made here
    for i, node in enumerate(graph.node):
        if node.op != "prim::GetAttr":
            continue
        attr = _ATTR_NAME.search(_text(node.attr.get("attr")))
        if attr is None:
            continue
        path = m.scope_of(m.scope_of(node.name))  # `.../Linear[fc1]/weight/weight.1` -> `.../Linear[fc1]`
        key = (path, attr.group(1))
        if key not in var_op:  # one variable op per parameter, in the scope its module runs in
            owner = _called_path(path, entered)
            if m.join(owner, attr.group(1)) in taken:  # two lists' `Block[0]`: keep them apart
                owner = path
            name = m.join(owner, attr.group(1))
            taken.add(name)
            var_op[key], var_index[key] = len(ops), len(variables)
            ops.append(m.Op(name=name, type="parameter", scope=owner, role=m.VARIABLE))
            variables.append(_variable(path, attr.group(1), var_op[key], owner))
        getattr_of[i] = var_index[key]
        ops[i].role, ops[i].port_rule = m.PASS, m.FIRST
        ops[i].inputs = [(var_op[key], 0)]
    warnings = _link_inputs(graph, ops, index)
    for op in ops:
        if op.type in _LISTS:
            # A list hands its elements on: the op that takes it reads them. `nn.LSTM` and `nn.GRU`
            # give their weights to `aten::lstm` in one list, so that op is the layer's call; taken
            # for the reader itself, the list had no input but the weights, and two copied LSTMs
            # looked like layers on no input at all (never a missed sharing).
            op.role, op.port_rule = m.PASS, m.ALL
    _number_calls(ops, getattr_of)
    _shapes_from_consumers(ops, variables, getattr_of)
    _integer_buffers(ops, variables, getattr_of)
    return m.Model(
        kind="op_graph",
        framework="pytorch",
        ops=ops,
        index={op.name: i for i, op in enumerate(ops)},
        variables=variables,
        warnings=warnings,
        shapes=attr_text.RecordedShapes(ops),
        constant_types=frozenset({"prim::Constant"}),
    )


def _variable(path, attr, node, owner):
    modules = [_module_name(part) for part in path.split("/")[1:]]  # the first part is the model's class
    name = ".".join([*modules, attr])
    var = m.Variable(name=name, node=node, owner_scope=owner, dtype=None)
    if attr in _BUFFERS:
        var.machinery, var.trainable = buffer_kind(attr), False
    return var


def _entered_scopes(ops):
    """Every module scope some op runs in, with its ancestors: the modules whose forward ran."""
    out = {""}
    for op in ops:
        if op.type == "prim::GetAttr":  # named by the attribute path, not by a call
            continue
        s = op.scope
        while s not in out:
            out.add(s)
            s = m.scope_of(s)
    return out


def _called_path(path, entered):
    """A parameter's attribute path as the scopes its module runs in: without the containers whose
    forward never runs. The tracer names a GetAttr by the attributes it went through
    (`Net/ModuleList[blocks]/Block[0]/Linear[fc1]`) and an op by the modules whose forward ran
    (`Net/Block[0]/Linear[fc1]`): an `nn.ModuleList` or `nn.ModuleDict` holds modules but is never
    called. A part is dropped only when a later part, put in its place, is a scope ops run in."""
    parts = path.split("/")
    out, k = parts[0], 1
    while k < len(parts):
        here = m.join(out, parts[k])
        if here not in entered:
            later = next((j for j in range(k + 1, len(parts)) if m.join(out, parts[j]) in entered), None)
            if later is not None:
                k = later
                here = m.join(out, parts[k])
        out, k = here, k + 1
    return out


def buffer_kind(attr):
    """A buffer's machinery kind by its attribute: a norm's running statistics are moving averages
    and its step count a counter; any other buffer (`position_ids`) is a buffer."""
    if attr == "num_batches_tracked":
        return m.COUNTER
    return m.MOVING_AVERAGE if attr in _BUFFERS else m.BUFFER


def _module_name(part):
    match = _MODULE.match(part)
    return match.group(1) if match else part


def _link_inputs(graph, ops, index):
    missing = []
    for i, node in enumerate(graph.node):
        if ops[i].role == m.PASS:
            continue  # GetAttr: its input is the parameter, set above
        for name in node.input:
            j = index.get(name.split(":")[0])
            if j is None:
                missing.append(f"{node.name} reads {name}")
            else:
                ops[i].inputs.append((j, 0))
    if not missing:
        return []
    shown = "; ".join(missing[:3]) + ("; …" if len(missing) > 3 else "")
    return [
        m.Warning("missing_input", f"{len(missing)} inputs name nodes that are not in the graph ({shown})")
    ]


def _number_calls(ops, getattr_of):
    """The k-th GetAttr of a parameter read in one scope is the k-th call of the module there."""
    rank = {}  # (variable, reading scope) -> {GetAttr op: call number}
    for op in ops:
        if op.role != m.COMPUTE:
            continue
        calls = []
        for p in _through_lists(ops, op.inputs):
            if p in getattr_of:
                seen = rank.setdefault((getattr_of[p], op.scope), {})
                calls.append(seen.setdefault(p, len(seen)))
        if calls:
            op.call = max(calls)


def _through_lists(ops, inputs):
    """The producers of `inputs`, a list's (or a list of lists') elements in place of the list."""
    stack, opened = [p for p, _ in reversed(inputs)], set()
    while stack:
        p = stack.pop()
        if ops[p].type not in _LISTS:
            yield p
        elif p not in opened:  # a hostile graph's lists may hold one another
            opened.add(p)
            stack += [q for q, _ in reversed(ops[p].inputs)]


def _shapes_from_consumers(ops, variables, getattr_of):
    """A Linear's weight is [out, in], a norm's [C]: the consumer's input and output shapes say.

    A shape known only in part (an embedding's `[?, 16]`) gives way to a whole one from another
    consumer (GPT-2's tied `lm_head`, a Linear, fixes its `wte` as [vocabulary, 16]).
    """
    for op in ops:
        if op.role != m.COMPUTE or not op.inputs:
            continue
        out = _shape(op.attrs)
        # The input a parameter multiplies: a Linear's data is input 0; addmm(bias, data, weight)'s
        # is input 1 (transformers' Conv1D in GPT-2: `torch.addmm(self.bias, x, self.weight)`).
        data = _shape(ops[op.inputs[1 if op.type == _ADDMM and len(op.inputs) > 1 else 0][0]].attrs)
        # aten::_convolution(input, weight, bias, stride, padding, dilation, transposed, ...)
        transposed = _constant(ops, op.inputs[6][0]) if op.type == _CONV and len(op.inputs) > 6 else None
        for slot, (p, _) in enumerate(op.inputs):
            if p not in getattr_of:
                continue
            var = variables[getattr_of[p]]
            if _whole(var.shape):
                continue
            shape = _param_shape(op.type, slot, data, out, transposed)
            if shape is not None and (var.shape is None or _whole(shape)):
                var.shape, var.dtype = shape, var.dtype or "float32"


def _whole(shape):
    return shape is not None and all(d >= 0 for d in shape)


# Inputs that take integer indices (aten/src/ATen/native/native_functions.yaml), and ops whose
# output carries their first input's values on the way there (views, copies of part of it, a
# dtype or device move): BERT's `token_type_ids` go through expand, gather and expand into the
# embedding (transformers 5), RoBERTa's through `aten::to` first. `aten::index` takes a list of
# index tensors (Swin's `relative_position_index`, through `prim::ListConstruct`). A mask is
# boolean: GPT-Neo's causal `bias` buffer is sliced into `aten::where`'s condition (transformers
# 5). A parameter cannot be on that path: an index is an integer or a mask, and a parameter is
# floating point.
_INDEX_SLOTS = {
    ("aten::embedding", 1),
    ("aten::embedding_bag", 1),
    ("aten::index_select", 2),
    ("aten::gather", 2),
    ("aten::index", 1),
    ("aten::index_put", 1),
    ("aten::index_put_", 1),
    ("aten::where", 0),
    ("aten::masked_fill", 1),
    ("aten::masked_fill_", 1),
    ("aten::masked_select", 1),
    ("aten::masked_scatter", 1),
    ("aten::masked_scatter_", 1),
}
_CARRIES_VALUES = {
    "aten::slice", "aten::select", "aten::narrow", "aten::expand", "aten::expand_as", "aten::view",
    "aten::reshape", "aten::unsqueeze", "aten::squeeze", "aten::contiguous", "aten::clone", "aten::repeat",
    "aten::gather", "aten::index_select", "aten::index", "aten::to", "aten::type_as",
}  # fmt: skip
_LISTS = {"prim::ListConstruct", "prim::TupleConstruct"}  # any element of the list reaches its consumer


def _integer_buffers(ops, variables, getattr_of):
    """Attributes whose value reaches an index input hold integers: buffers, not parameters."""
    consumers = m.consumers(ops)
    for g, v in getattr_of.items():
        var = variables[v]
        if var.machinery is not None:
            continue
        stack, seen = [g], {g}
        while stack:
            p = stack.pop()
            for c in consumers[p]:
                op = ops[c]
                slots = [slot for slot, (q, _) in enumerate(op.inputs) if q == p]
                if any((op.type, slot) in _INDEX_SLOTS for slot in slots):
                    var.machinery, var.trainable = m.BUFFER, False
                    stack = []
                    break
                if ((op.type in _CARRIES_VALUES and 0 in slots) or op.type in _LISTS) and c not in seen:
                    seen.add(c)
                    stack.append(c)


def _param_shape(op_type, slot, data, out, transposed=None):
    if not out:
        return None
    if op_type == "aten::embedding" and slot == 0:
        return [-1, out[-1]]  # its input is the weight itself; the vocabulary is not in the graph
    if op_type == _CONV and len(out) > 1 and slot == 2:
        return [out[1]]  # the bias: one per output channel, transposed or not
    if op_type == _CONV and slot == 1 and transposed in ("0", "1") and data and len(data) == len(out):
        # The weight: [out, in / groups, *kernel], transposed [in, out / groups, *kernel]
        # (torch/nn/modules/conv.py); groups and the kernel are left unknown: the spatial sizes
        # do not fix a strided kernel.
        return [data[1] if transposed == "1" else out[1]] + [-1] * (len(out) - 1)
    if not data:
        return None
    if op_type == "aten::linear":
        return [out[-1], data[-1]] if slot == 1 else [out[-1]] if slot == 2 else None
    if op_type == _ADDMM and len(out) == 2:
        # addmm(input, mat1, mat2) = input + mat1 @ mat2, mat2 [in, out]; a parameter added is a
        # bias, one per output column (aten/src/ATen/native/native_functions.yaml)
        return [data[-1], out[-1]] if slot == 2 else [out[-1]] if slot == 0 else None
    if op_type in ("aten::batch_norm", "aten::instance_norm") and slot in (1, 2, 3, 4):
        return [data[1]] if len(data) > 1 else None
    if op_type in ("aten::layer_norm", "aten::group_norm") and slot in (2, 3):
        return [data[-1]] if op_type == "aten::layer_norm" else [data[1]]
    return None


def _constant(ops, i):
    """A `prim::Constant`'s value as the graph writes it (`{ value : 1}`), or None."""
    op = ops[i]
    if op.type != "prim::Constant" or op.attrs is None:
        return None
    found = _CONSTANT.search(_text(op.attrs.get("attr")))
    return found.group(1) if found else None


def _shape(attrs):
    if attrs is None or "_output_shapes" not in attrs or not attrs["_output_shapes"].list.shape:
        return None
    dims = [d.size for d in attrs["_output_shapes"].list.shape[0].dim]
    return dims or None


def _text(value):
    return value.s.decode("utf-8", "replace") if value is not None else ""
