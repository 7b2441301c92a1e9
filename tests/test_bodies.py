"""Large bodies to bytes and back (bodies.py): the same JSON the standard library writes, and
nothing lost on numbers orjson refuses or on names outside ASCII."""

import json

from google.protobuf import text_format
from tensorboard.compat.proto import graph_pb2

from tb_scopes_plugin import bodies, contract, report, sources
from tests import logdirs

RUN_GRAPH = sources.GraphRef("run", "__run_graph__", "run_graph", "graphs")


def body_of(graph_def_bytes):
    return contract.graph_json(report.build_report(RUN_GRAPH, graph_def_bytes))


def test_a_real_graph_is_written_as_the_standard_library_writes_it():
    body = body_of(logdirs.build_four_towers().as_graph_def().SerializeToString())
    assert len(body["graph"]["nodes"]) > 100 and body["findings"]
    written = bodies.dumps(body)
    assert written == json.dumps(body, separators=(",", ":")).encode("utf-8")
    assert bodies.loads(written) == body


def test_a_parameter_count_past_64_bits_is_written_exactly():
    # A hostile or absurd shape: 2**40 x 2**40 floats, 2**80 parameters.
    graph = text_format.Parse(
        """
        node { name: "x" op: "Placeholder" }
        node { name: "w" op: "VariableV2"
               attr { key: "shape" value { shape { dim { size: 1099511627776 }
                                                   dim { size: 1099511627776 } } } }
               attr { key: "dtype" value { type: DT_FLOAT } } }
        node { name: "m" op: "MatMul" input: "x" input: "w" }
        """,
        graph_pb2.GraphDef(),
    )
    body = body_of(graph.SerializeToString())
    assert body["total_params"] == 2**80
    written = bodies.dumps(body)
    assert json.loads(written)["total_params"] == 2**80
    assert bodies.loads(written)["total_params"] == float(2**80)  # as the browser reads it


def test_names_outside_ascii_and_markup_round_trip_as_text():
    graph = text_format.Parse(
        """
        node { name: "entrée/x" op: "Placeholder" }
        node { name: "<img src=x onerror=alert(1)>/层" op: "Neg" input: "entrée/x" }
        """,
        graph_pb2.GraphDef(),
    )
    body = body_of(graph.SerializeToString())
    back = bodies.loads(bodies.dumps(body))
    assert back["graph"]["nodes"] == ["entrée/x", "<img src=x onerror=alert(1)>/层"]
    assert back == json.loads(json.dumps(body))
