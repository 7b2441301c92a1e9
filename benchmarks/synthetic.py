"""Synthetic GraphDefs of any size, shaped like real training graphs, built without TensorFlow.

`layered_graph(blocks, layers, reuse_every)`: `blocks` name scopes of `layers` dense layers
each (VariableV2 with Assign, /read and initializer helpers, MatMul, BiasAdd, Relu), with a
backward op per forward op; every `reuse_every`-th block reads the previous block's
variables (a reuse), so the analysis has sharing to find. About 14 ops per layer.
"""

from tensorboard.compat.proto import graph_pb2


def _node(graph, name, op, *inputs):
    node = graph.node.add()
    node.name, node.op = name, op
    node.input.extend(inputs)
    return node


def _variable(graph, name, dims):
    var = _node(graph, name, "VariableV2")
    var.attr["dtype"].type = 1  # DT_FLOAT
    for d in dims:
        var.attr["shape"].shape.dim.add().size = d
    _node(graph, f"{name}/Initializer/random_normal", "RandomStandardNormal")
    _node(graph, f"{name}/Assign", "Assign", name, f"{name}/Initializer/random_normal")
    _node(graph, f"{name}/read", "Identity", name)


def layered_graph(blocks=100, layers=10, reuse_every=4, width=16):
    graph = graph_pb2.GraphDef()
    _node(graph, "x", "Placeholder")
    for b in range(blocks):
        owner = f"block_{b - 1}" if reuse_every and b % reuse_every == reuse_every - 1 else f"block_{b}"
        h = "x"
        for n in range(layers):
            scope = f"block_{b}/layer_{n}"
            var_scope = f"{owner}/layer_{n}"
            if owner == f"block_{b}":
                _variable(graph, f"{var_scope}/weights", [width, width])
                _variable(graph, f"{var_scope}/bias", [width])
            _node(graph, f"{scope}/MatMul", "MatMul", h, f"{var_scope}/weights/read")
            _node(graph, f"{scope}/BiasAdd", "BiasAdd", f"{scope}/MatMul", f"{var_scope}/bias/read")
            _node(graph, f"{scope}/Relu", "Relu", f"{scope}/BiasAdd")
            grad = f"gradients/{scope}/MatMul_grad/MatMul"
            _node(graph, grad, "MatMul", f"{scope}/Relu", f"{var_scope}/weights/read")
            h = f"{scope}/Relu"
    _node(graph, "loss/Sum", "Sum", *[f"block_{b}/layer_{layers - 1}/Relu" for b in range(blocks)])
    return graph
