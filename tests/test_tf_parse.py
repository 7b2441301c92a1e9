"""The TensorFlow parser's two ways in: the top-level graph by columns, and the per-node loop.

`add_graph` reads a graph's own NodeDefs column by column (the large graphs' fast path) and
leaves duplicate names to `add_nodes`, which function bodies always take; both must give the
same ops, inputs and warnings.
"""

from google.protobuf import text_format
from tensorboard.compat.proto import graph_pb2

from tb_scopes_plugin.adapters import tf_parse

# Ports, control inputs, a function call whose body an input names by its inlined name, a
# missing producer, and an op read before it is defined (graphs need not be in order).
GRAPH = """
node { name: "x" op: "Placeholder" }
node { name: "late_reader" op: "Relu" input: "split:1" input: "^x" }
node { name: "split" op: "Split" input: "x" }
node { name: "tower/call" op: "PartitionedCall" input: "split:0"
       attr { key: "f" value { func { name: "body" } } } }
node { name: "after" op: "Add" input: "tower/call" input: "tower/call/inner" input: "gone:2" }
node { name: "scalar" op: "Const" }
library { function {
  signature { name: "body" input_arg { name: "a" type: DT_FLOAT } output_arg { name: "out" type: DT_FLOAT } }
  node_def { name: "inner" op: "Neg" input: "a" }
  ret { key: "out" value: "inner:y:0" }
} }
"""


def ops_of(parsed):
    return [(o.name, o.type, o.scope, o.inputs, o.role, o.port_rule, o.body_outputs) for o in parsed.ops]


def by_loop(graph):
    builder = tf_parse._Builder({f.signature.name: f for f in graph.library.function})
    builder.add_nodes(graph.node, prefix="", scope_prefix="")
    return builder.finish()


def test_columns_and_loop_give_the_same_ops_inputs_and_warnings():
    graph = text_format.Parse(GRAPH, graph_pb2.GraphDef())
    columns, loop = tf_parse.build_graph(graph), by_loop(graph)
    assert ops_of(columns) == ops_of(loop)
    assert columns.index == loop.index
    assert [(w.kind, w.message) for w in columns.warnings] == [(w.kind, w.message) for w in loop.warnings]
    after = columns.ops[columns.index["after"]]
    # `tower/call/inner` exists only once the body is inlined: resolved at the end, in order.
    assert after.inputs == [(columns.index["tower/call"], 0), (columns.index["tower/call/inner"], 0)]
    assert columns.ops[columns.index["late_reader"]].inputs == [(columns.index["split"], 1)]
    assert [w.kind for w in columns.warnings] == ["missing_input"]


def test_duplicate_names_take_the_loop_and_keep_both_ops():
    graph = text_format.Parse(
        'node { name: "a" op: "Const" } node { name: "a" op: "Const" } '
        'node { name: "b" op: "Neg" input: "a" }',
        graph_pb2.GraphDef(),
    )
    parsed = tf_parse.build_graph(graph)
    assert [op.name for op in parsed.ops] == ["a", "a_dup", "b"]
    assert parsed.ops[2].inputs == [(1, 0)]  # the last op of that name, as the loop always read it
    assert ops_of(parsed) == ops_of(by_loop(graph))


def test_control_inputs_among_bare_names_are_dropped_as_the_loop_drops_them():
    graph = text_format.Parse(
        'node { name: "a" op: "Const" } node { name: "b" op: "Const" } '
        'node { name: "c" op: "Add" input: "a" input: "^b" input: "b" input: "^a" } '
        'node { name: "d" op: "Neg" input: "^c" }',
        graph_pb2.GraphDef(),
    )
    parsed = tf_parse.build_graph(graph)
    assert [op.inputs for op in parsed.ops] == [[], [], [(0, 0), (1, 0)], []]
    assert ops_of(parsed) == ops_of(by_loop(graph))


def test_names_that_look_like_ports_or_controls_read_as_the_loop_reads_them():
    """A hostile graph may name an op `a:1` or `^a`: the texts still mean port 1 of `a`, a control input."""
    graph = text_format.Parse(
        'node { name: "a" op: "Split" } node { name: "a:1" op: "Const" } node { name: "^a" op: "Const" } '
        'node { name: "c" op: "Add" input: "a:1" input: "^a" input: "a" }',
        graph_pb2.GraphDef(),
    )
    parsed = tf_parse.build_graph(graph)
    assert parsed.ops[3].inputs == [(0, 1), (0, 0)]
    assert ops_of(parsed) == ops_of(by_loop(graph))
