"""The analysis on small hand-written graphs: function boundaries, cycles, depth, broken and hostile input."""

import json

import pytest
from google.protobuf import text_format
from tensorboard.compat.proto import graph_pb2

from tb_scopes_plugin import contract, report, sources

RUN_GRAPH = sources.GraphRef("run", "__run_graph__", "run_graph", "graphs")
KERAS = sources.GraphRef("run", "keras", "keras_model", "graph_keras_model")


def keras_report(config):
    return report.build_report(KERAS, json.dumps(config).encode())


def analyse_text(text):
    graph = text_format.Parse(text, graph_pb2.GraphDef())
    return report.build_report(RUN_GRAPH, graph.SerializeToString())


def variables(rep):
    return {v.name: {site: u.status for site, u in v.uses.items()} for v in rep.variables}


VAR = 'node { name: "%s" op: "VarHandleOp" attr { key: "shared_name" value { s: "%s" } } }\n'


def test_reads_cross_a_partitioned_call_into_its_body():
    rep = analyse_text(
        VAR % ("enc/w", "enc/w")
        + """
        node { name: "x" op: "Placeholder" }
        node { name: "tower/call" op: "StatefulPartitionedCall" input: "x" input: "enc/w"
               attr { key: "f" value { func { name: "body" } } } }
        node { name: "enc/MatMul/ReadVariableOp" op: "ReadVariableOp" input: "enc/w" }
        node { name: "enc/MatMul" op: "MatMul" input: "x" input: "enc/MatMul/ReadVariableOp" }
        library { function {
          signature { name: "body"
                      input_arg { name: "a" type: DT_FLOAT } input_arg { name: "h" type: DT_RESOURCE }
                      output_arg { name: "out" type: DT_FLOAT } }
          node_def { name: "dense/read" op: "ReadVariableOp" input: "h" }
          node_def { name: "dense/MatMul" op: "MatMul" input: "a" input: "dense/read:value:0" }
          ret { key: "out" value: "dense/MatMul:product:0" } } }
        """
    )
    # Body ops get the calling node's scope: `tower` + `dense`.
    assert variables(rep) == {"enc/w": {"enc": "created", "tower/dense": "reused"}}
    assert "tower/call/dense/MatMul" in rep.drawing.nodes


def test_a_function_that_calls_itself_is_inlined_once():
    rep = analyse_text(
        """
        node { name: "call" op: "PartitionedCall" attr { key: "f" value { func { name: "loop" } } } }
        library { function {
          signature { name: "loop" }
          node_def { name: "again" op: "PartitionedCall"
                     attr { key: "f" value { func { name: "loop" } } } } } }
        """
    )
    assert rep.drawing.nodes == ["call", "call/again"]


def test_a_very_deep_chain_of_reads_needs_no_recursion():
    depth = 20000
    lines = [VAR % ("w", "w"), 'node { name: "r0" op: "ReadVariableOp" input: "w" }']
    lines += [f'node {{ name: "r{i}" op: "Identity" input: "r{i - 1}" }}' for i in range(1, depth)]
    lines.append(f'node {{ name: "use/MatMul" op: "MatMul" input: "r{depth - 1}" input: "r0" }}')
    rep = analyse_text("\n".join(lines))
    assert variables(rep) == {"w": {"use": "created"}}


def test_a_ref_while_loop_cycle_terminates():
    rep = analyse_text(
        """
        node { name: "w" op: "VariableV2" attr { key: "shape" value { shape { dim { size: 3 } } } } }
        node { name: "loop/Enter" op: "Enter" input: "w" }
        node { name: "loop/Merge" op: "Merge" input: "loop/Enter" input: "loop/NextIteration" }
        node { name: "loop/Switch" op: "Switch" input: "loop/Merge" }
        node { name: "loop/Identity" op: "Identity" input: "loop/Switch:1" }
        node { name: "loop/NextIteration" op: "NextIteration" input: "loop/Identity" }
        node { name: "loop/body/Mul" op: "Mul" input: "loop/Identity" input: "loop/Identity" }
        """
    )
    assert variables(rep) == {"w": {"loop/body": "created"}}
    assert rep.variables[0].shape == [3]


def test_hostile_names_and_dangling_inputs_are_kept_as_text():
    rep = analyse_text(
        """
        node { name: "<img src=x onerror=alert(1)>" op: "Placeholder" }
        node { name: "<b>bold</b>/x" op: "Neg" input: "<img src=x onerror=alert(1)>" input: "missing:3" }
        node { name: "<b>bold</b>/x" op: "Neg" }
        """
    )
    assert rep.drawing.nodes == ["<img src=x onerror=alert(1)>", "<b>bold</b>/x", "<b>bold</b>/x_dup"]
    assert [(w.kind, w.message) for w in rep.warnings] == [
        ("missing_input", "1 input names an op that is not in the graph (<b>bold</b>/x reads missing)")
    ]


@pytest.mark.parametrize(
    "data",
    [b"\xff\xfe not a protobuf", b"\x0a\x05\x0a\x03abc\x12"],
    ids=["garbage", "truncated"],
)
def test_unreadable_bytes_raise_a_readable_error(data):
    with pytest.raises(report.UnreadableGraph, match="cannot|could not|parsed"):
        report.build_report(RUN_GRAPH, data)


def test_an_empty_graph_has_no_variables():
    rep = report.build_report(RUN_GRAPH, b"")
    assert rep.variables == [] and rep.findings == [] and rep.drawing.nodes == []


def test_keras_2_inbound_nodes_and_shared_layer():
    config = {
        "class_name": "Functional",
        "config": {
            "layers": [
                {"class_name": "InputLayer", "name": "a", "config": {"name": "a"}, "inbound_nodes": []},
                {"class_name": "InputLayer", "name": "b", "config": {"name": "b"}, "inbound_nodes": []},
                {
                    "class_name": "Dense",
                    "name": "enc",
                    "config": {"name": "enc", "units": 3},
                    "inbound_nodes": [[["a", 0, 0, {}]], [["b", 0, 0, {}]]],
                },
            ]
        },
    }
    rep = keras_report(config)
    kernel = {v.name: v for v in rep.variables}["enc/kernel"]
    assert kernel.status == "shared"
    assert kernel.shape == [-1, 3] and kernel.params is None  # Keras 2 configs may not record input shapes
    assert [(key, u.status, u.ops) for key, u in kernel.uses.items()] == [
        ("enc", "created", ["enc"]),
        ("enc (call 2)", "reused", ["enc (call 2)"]),
    ]
    assert rep.findings == []
    assert rep.drawing.nodes == ["a", "b", "enc", "enc (call 2)"]  # weights fold into their layer's box


def test_sequential_stack_of_alike_layers_is_low_confidence():
    dense = {"class_name": "Dense", "config": {"units": 4}, "build_config": {"input_shape": [None, 4]}}
    config = {"class_name": "Sequential", "config": {"layers": [dict(dense, name=f"d{i}") for i in range(3)]}}
    rep = keras_report(config)
    assert [(f.confidence, f.variables) for f in rep.findings] == [
        ("low", ["d0/bias", "d0/kernel", "d1/bias", "d1/kernel", "d2/bias", "d2/kernel"]),
    ]
    assert rep.findings[0].message.startswith("3 alike layers in a stack")
    assert rep.findings[0].evidence[:2] == [
        "d0/bias, d1/bias and d2/bias: same shape [4], read by the same kinds of ops (Dense)",
        "d0/kernel, d1/kernel and d2/kernel: same shape [4, 4], read by the same kinds of ops (Dense)",
    ]
    assert rep.findings[0].severity == "note" and rep.findings[0].label == "Alike layers, probably intended"
    assert rep.total_params == 3 * (4 * 4 + 4)


def test_a_stack_of_one_likeness_names_its_weights():
    """The CLI prints a note's evidence, not its variables: one likeness names them too."""
    dense = {
        "class_name": "Dense",
        "config": {"units": 4, "use_bias": False},
        "build_config": {"input_shape": [None, 4]},
    }
    config = {"class_name": "Sequential", "config": {"layers": [dict(dense, name=f"d{i}") for i in range(3)]}}
    (note,) = keras_report(config).findings
    assert (
        note.evidence[0]
        == "d0/kernel, d1/kernel and d2/kernel: same shape [4, 4], read by the same kinds of ops (Dense)"
    )


def test_a_keras_config_without_layers_is_unreadable():
    ref = sources.GraphRef("run", "keras", "keras_model", "graph_keras_model")
    with pytest.raises(report.UnreadableGraph):
        report.build_report(ref, b'{"config": {}}')
    with pytest.raises(report.UnreadableGraph):
        report.build_report(ref, b"not json")


def test_the_backward_pass_of_a_while_loop_is_drawn_as_gradient_whole():
    """`gradients/while_grad/...` holds an inlined gradient function: its call and args are pass ops for
    the analysis (reads are followed through them), yet drawn as gradient, so that the tab sets the
    whole backward pass aside (demo rnn_while_loop, where 25 such nodes kept `gradients` in the model)."""
    from tests import logdirs

    data = logdirs.build_graph("rnn_while_loop").as_graph_def().SerializeToString()
    ref = sources.GraphRef("rnn_while_loop", "__run_graph__", "run_graph", "graphs")
    body = contract.graph_json(report.build_report(ref, data))
    graph = body["graph"]
    drawn = {
        graph["role_names"][r]
        for n, r in zip(graph["nodes"], graph["roles"], strict=True)
        if n.startswith("gradients/")
    }
    assert drawn == {"gradient"}


def test_an_edge_from_a_resource_variable_is_labelled_with_its_shape():
    """TensorFlow records a resource handle as a scalar (`[]`); the edge carries the variable."""
    tf = pytest.importorskip("tensorflow")
    v1 = tf.compat.v1
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, [None, 4], name="x")
        with v1.variable_scope("dense"):
            y = tf.matmul(x, v1.get_variable("weights", [4, 3])) + v1.get_variable("bias", [3])
        v1.train.AdamOptimizer().minimize(tf.reduce_mean(y**2))
    data = graph.as_graph_def(add_shapes=True).SerializeToString()  # as FileWriter writes it
    g = contract.graph_json(report.build_report(RUN_GRAPH, data))["graph"]
    labels = {}
    for k in range(0, len(g["edges"]), 2):
        a, b = g["edges"][k], g["edges"][k + 1]
        labels[(g["nodes"][a], g["op_types"][g["ops"][b]])] = g["shape_names"][g["edge_shapes"][k // 2]]
    assert g["op_types"][g["ops"][g["nodes"].index("dense/weights")]] == "VarHandleOp"
    assert labels[("dense/weights", "ResourceApplyAdam")] == "[4, 3]"
    assert labels[("dense/bias", "ResourceApplyAdam")] == "[3]"
    assert labels[("beta1_power", "AssignVariableOp")] == "[]"  # a scalar variable is one
    assert labels[("Adam/beta1", "ResourceApplyAdam")] == "[]"  # and so is a constant
