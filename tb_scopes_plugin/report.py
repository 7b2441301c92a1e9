"""Raw graph bytes of one GraphRef -> a GraphReport: the analysis and its drawing.

The processing steps, in order, for both the plugin routes and the CLI.
"""

import json
from dataclasses import dataclass

from . import analysis, drawing, graph_model, keras_model, metadata, params


class UnreadableGraph(Exception):
    """The bytes are not a graph we can read; the message says why, in a sentence."""


@dataclass
class GraphReport:
    ref: object  # sources.GraphRef
    kind: str  # op_graph / keras_model
    variables: list  # analysis.Variable, sorted by name
    findings: list  # findings.Finding
    scopes: list  # (scope, params_owned, params_used)
    drawing: drawing.Drawing
    warnings: list  # what could not be read


def build_report(ref, data):
    if ref.source == metadata.SOURCE_KERAS_MODEL:
        try:
            config = json.loads(data)
        except (ValueError, UnicodeDecodeError) as err:
            raise UnreadableGraph(f"the Keras model config is not valid JSON ({err})") from None
        try:
            variables, found, draw = keras_model.analyse_keras(config)
        except ValueError as err:
            raise UnreadableGraph(str(err)) from None
        return assemble(ref, "keras_model", variables, found, draw, [])
    model = _parse_op_graph(ref, data)
    result = analysis.analyse(model)
    draw = drawing.draw_op_graph(model, result)
    return assemble(ref, "op_graph", result.variables, result.findings, draw, model.warnings)


def assemble(ref, kind, variables, found, draw, warnings):
    """The last step for both kinds of graph: link findings to their variables, count parameters."""
    by_name = {var.name: var for var in variables}
    for n, finding in enumerate(found):
        for name in finding.variables:
            by_name[name].findings.append(n)
    return GraphReport(ref, kind, variables, found, params.scope_params(variables), draw, warnings)


def _parse_op_graph(ref, data):
    parse = (
        graph_model.from_run_metadata_bytes
        if ref.source == metadata.SOURCE_TRACE
        else graph_model.from_graph_def_bytes
    )
    try:
        return parse(data)
    except ValueError as err:
        raise UnreadableGraph(str(err)) from None
    except Exception as err:  # protobuf's DecodeError and friends
        raise UnreadableGraph(f"the graph could not be parsed ({type(err).__name__})") from None
