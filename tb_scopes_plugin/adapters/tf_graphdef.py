"""TensorFlow graphs (run graphs, `tf.summary.graph`, traces, tf_keras op graphs) -> `model.Model`.

    parsed = parse(data)              # ops, inputs resolved, function bodies inlined
    assign_roles(parsed)              # pass / variable / machinery / gradient, by TF's op types and scopes
    find_variables(parsed)            # names, shapes, dtypes; slots, metrics, seeds are machinery

TF2 function graphs (traces and the tf_keras callback's op graph) can run every call of a
layer in one name scope (`model/shared/MatMul`, `model/shared/MatMul_1`), so the model
says so and the analysis tells the calls apart.
"""

from .. import model as m
from . import attr_text, tf_parse, tf_roles, tf_variables


def load_graph_def(data):
    return _load(tf_parse.parse_graph_def(data))


def load_graph(graph):
    """An already parsed GraphDef (the adapters' dispatcher parses once to tell formats apart)."""
    return _load(tf_parse.build_graph(graph))


def load_run_metadata(data):
    return _load(tf_parse.parse_run_metadata(data))


def _load(parsed):
    tf_roles.assign_roles(parsed)
    variables, _, touched = tf_variables.find_variables(parsed)
    captured = any(parsed.ops[v.node].type != "VariableV2" and v.aliases for v in variables)
    model = m.Model(
        kind="op_graph",
        framework="tensorflow",
        ops=parsed.ops,
        index=parsed.index,
        variables=variables,
        warnings=parsed.warnings,
        calls_share_scopes=captured,
        names_derived=captured,
        touches=touched,
        shapes=attr_text.RecordedShapes(parsed.ops, variables),
        consumers=parsed.consumers,
        control_scopes=parsed.control_scopes,
        constant_types=frozenset({"Const"}),
    )
    if captured:
        model.warnings.append(
            m.Warning(
                "derived_names",
                "this TF2 graph does not carry variable names: they are derived from the ops that read "
                "them (log the real names with tb_scopes_plugin.summary)",
            )
        )
    return model
