"""An op's details (the `node` route's *_impl): attributes as short text, inputs and the shapes
they carry, output shapes; on real TensorFlow, Keras and PyTorch graphs read through TensorBoard's
own data provider."""

import gzip
import json

import numpy as np
import pytest
import tensorflow as tf
from tensorboard import context
from tensorboard.backend.event_processing import data_provider, plugin_event_multiplexer
from tensorboard.plugins import base_plugin

from tb_scopes_plugin import disk_cache, graphs
from tb_scopes_plugin.plugin import RequestError, ScopesPlugin
from tests import logdirs

RUN_GRAPH = "__run_graph__"
CTX = context.RequestContext()


def big_constants():
    """A graph of values that must be summarised, not dumped: a large constant, a long string."""
    graph = tf.Graph()
    with graph.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [None, 1000], name="x")
        w = tf.constant(np.ones((1000, 10), np.float32), name="table")
        tf.matmul(x, w, name="project")
        tf.constant("a" * 500, name="long_text")
        tf.constant([3, 1, 2], name="small")
        tf.reshape(x, [-1, 10, 100], name="reshape")
    return graph.as_graph_def(add_shapes=True)  # as FileWriter writes it


@pytest.fixture(scope="module")
def plugin(tmp_path_factory):
    from tests import torch_models

    root = tmp_path_factory.mktemp("details")
    logdirs.write_tf1_run(root, "article_reuse")  # FileWriter: add_shapes=True
    logdirs.write_tf1_run(root, "siamese_bug")  # resource variables, read through ReadVariableOp
    logdirs.write_graph_def(root, "constants", big_constants())
    logdirs.write_keras_run(root, "keras")
    logdirs.write_trace_run(root, "trace")  # a function graph: its ops are inlined from a library
    torch_models.write(root, "siamese_shared", "torch", run="pytorch")
    multiplexer = plugin_event_multiplexer.EventMultiplexer()
    multiplexer.AddRunsFromDirectory(str(root))
    multiplexer.Reload()
    provider = data_provider.MultiplexerDataProvider(multiplexer, str(root))
    # No background analysis: the disk cache test decides what is in the caches.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(graphs.ENV_BACKGROUND, "0")
        return ScopesPlugin(base_plugin.TBContext(data_provider=provider, logdir=str(root)))


def node(plugin, run, name, tag=RUN_GRAPH):
    return plugin.node_impl(CTX, "", run, tag, name)


def attrs(body):
    return {a["key"]: a["value"] for a in body["attrs"]}


def drawn(plugin, run, tag=RUN_GRAPH):
    body = json.loads(gzip.decompress(plugin.graph_impl(CTX, "", run, tag)))
    g = body["graph"]
    return {name: g["op_types"][t] for name, t in zip(g["nodes"], g["ops"], strict=True)}


def test_a_matmul_shows_its_attributes_inputs_and_shapes(plugin):
    body = node(plugin, "article_reuse", "dense/MatMul")
    assert body["type"] == "MatMul"
    assert attrs(body) == {
        "T": "float32",
        "grad_a": "false",
        "grad_b": "false",
        "transpose_a": "false",
        "transpose_b": "false",
    }
    assert body["inputs"] == [
        {"name": "x", "port": 0, "shape": "[?, 10]", "variable": ""},
        {"name": "dense/weights/read", "port": 0, "shape": "[10, 5]", "variable": "dense/weights"},
    ]
    assert body["outputs"] == ["[?, 5]"]
    assert "_output_shapes" not in attrs(body)  # shown as shapes, not as an attribute


def test_a_variable_shows_its_dtype_and_shape(plugin):
    body = node(plugin, "article_reuse", "dense/weights")
    assert attrs(body)["dtype"] == "float32" and attrs(body)["shape"] == "[10, 5]"
    assert attrs(body)["_class"] == '["loc:@dense/weights"]'


def test_an_input_names_the_variable_it_reads_through_forwarding_ops(plugin):
    body = node(plugin, "siamese_bug", "tower_1/embed/MatMul")
    (read,) = [i for i in body["inputs"] if i["variable"]]
    assert read == {
        "name": "tower_1/embed/MatMul/ReadVariableOp",
        "port": 0,
        "shape": "[8, 4]",
        "variable": "tower_1/embed/weights",
    }


def test_large_values_are_summarised_never_dumped(plugin):
    table = attrs(node(plugin, "constants", "table"))
    assert table["value"] == "tensor float32 [1000, 10]"
    text = attrs(node(plugin, "constants", "long_text"))["value"]
    assert text == '"' + "a" * 23 + '…" (string)'
    assert attrs(node(plugin, "constants", "small"))["value"] == "[3, 1, 2] (int32)"
    project = node(plugin, "constants", "project")
    assert project["inputs"][1] == {"name": "table", "port": 0, "shape": "[1000, 10]", "variable": ""}
    assert project["outputs"] == ["[?, 10]"]
    assert node(plugin, "constants", "reshape")["outputs"] == ["[?, 10, 100]"]
    assert len(json.dumps(node(plugin, "constants", "table"))) < 1000


def test_a_keras_layer_call_shows_its_config_and_input_shape(plugin):
    body = node(plugin, "keras/train", "shared_dense (call 2)", tag="keras")
    assert body["type"] == "Dense"
    config = attrs(body)
    assert config["units"] == "4" and config["activation"] == '"linear"' and config["use_bias"] == "true"
    assert config["kernel_initializer"] == "GlorotUniform"
    data = [i for i in body["inputs"] if i["name"] in ("left", "right")]
    assert data == [{"name": "right", "port": 0, "shape": "[?, 8]", "variable": ""}]
    weights = {i["name"]: (i["shape"], i["variable"]) for i in body["inputs"] if i not in data}
    assert weights == {
        "shared_dense/kernel": ("[8, 4]", "shared_dense/kernel"),
        "shared_dense/bias": ("[4]", "shared_dense/bias"),
    }
    assert body["outputs"] == ["[?, 4]"]  # the input shape the merge layer after it was built for
    assert node(plugin, "keras/train", "left", tag="keras")["outputs"] == ["[?, 8]"]
    # A merge lists its inputs in the order the model was called with: Add([shared(left), ...]).
    merge = node(plugin, "keras/train", "merge", tag="keras")
    assert [i["name"] for i in merge["inputs"]] == [
        "shared_dense",
        "shared_dense (call 2)",
        "twin_a",
        "twin_b",
    ]


def test_a_pytorch_linear_shows_the_shapes_add_graph_recorded(plugin):
    names = drawn(plugin, "pytorch")
    linear = sorted(n for n, t in names.items() if t == "aten::linear" and "Linear[fc1]" in n)[0]
    body = node(plugin, "pytorch", linear)
    assert body["type"] == "aten::linear"
    assert body["outputs"] == ["[2, 8]"]
    assert body["inputs"][0]["shape"] == "[2, 10]"  # the batch of two the model was traced with
    # The adapter's own parameter ops are found too (they are not NodeDefs of the graph).
    param = next(n for n, t in names.items() if t == "parameter" and n.endswith("Linear[fc1]/weight"))
    assert node(plugin, "pytorch", param)["type"] == "parameter"


def test_an_op_of_a_traced_function_is_found_in_the_inlined_body(plugin):
    names = drawn(plugin, "trace", tag="train_step")
    matmul = sorted(n for n, t in names.items() if t == "MatMul" and "gradient" not in n)[0]
    body = node(plugin, "trace", matmul, tag="train_step")
    assert body["name"] == matmul and body["type"] == "MatMul"
    assert attrs(body)["T"] == "float32" and attrs(body)["transpose_a"] == "false"
    assert len(body["inputs"]) == 2


def test_an_unknown_op_is_a_404_not_a_crash(plugin):
    with pytest.raises(RequestError) as err:
        node(plugin, "article_reuse", "no/such/op")
    assert err.value.code == 404 and "no op named 'no/such/op'" in str(err.value)


def test_details_work_when_the_body_comes_from_the_disk_cache(plugin, tmp_path):
    """A restarted TensorBoard serves bodies from disk: details still read the graph's own bytes."""
    plugin._graphs._disk = disk_cache.DiskCache(tmp_path)
    plugin._graphs._memory.__init__()
    first = plugin.graph_impl(CTX, "", "article_reuse", RUN_GRAPH)  # analysed, stored on disk
    assert len(list(tmp_path.rglob("*.json.gz"))) == 1
    plugin._graphs._memory.__init__()  # a new process: nothing in memory
    plugin._graphs._indexes.clear()
    assert plugin.graph_impl(CTX, "", "article_reuse", RUN_GRAPH) == first  # the same bytes, from disk
    assert attrs(node(plugin, "article_reuse", "dense_1/MatMul"))["T"] == "float32"


def edge_shapes(plugin, run, tag=RUN_GRAPH):
    g = json.loads(gzip.decompress(plugin.graph_impl(CTX, "", run, tag)))["graph"]
    assert len(g["edge_shapes"]) * 2 == len(g["edges"]) and g["shape_names"][0] == ""
    pairs = zip(g["edges"][::2], g["edges"][1::2], g["edge_shapes"], strict=True)
    return {(g["nodes"][a], g["nodes"][b]): g["shape_names"][s] for a, b, s in pairs}


def test_the_graph_body_carries_the_shape_of_every_edge(plugin):
    shapes = edge_shapes(plugin, "article_reuse")
    assert shapes[("x", "dense/MatMul")] == "[?, 10]"
    assert shapes[("dense/MatMul", "dense/add")] == "[?, 5]"
    torch_shapes = edge_shapes(plugin, "pytorch")
    assert "[2, 8]" in torch_shapes.values()  # fc1's output, as add_graph traced it
    keras = edge_shapes(plugin, "keras/train", tag="keras")  # from the layers' build_config
    assert keras[("left", "shared_dense")] == "[?, 8]" and keras[("shared_dense", "merge")] == "[?, 4]"


def test_a_run_graphs_op_is_answered_without_building_the_model():
    """160k-op graphs: the protobuf parse and a name index, never the adapter's seconds-long model."""
    from benchmarks.synthetic import layered_graph
    from tb_scopes_plugin import details

    graph = layered_graph(20, 10)
    for n in graph.node:
        shape = n.attr["_output_shapes"].list.shape.add()
        shape.dim.add().size = -1
        shape.dim.add().size = 16
    index = details.OpIndex("run_graph", graph.SerializeToString())
    body = index.details("block_1/layer_2/MatMul")
    assert body.inputs == [
        ("block_1/layer_1/Relu", 0, "[?, 16]", ""),
        ("block_1/layer_2/weights/read", 0, "[?, 16]", "block_1/layer_2/weights"),
    ]
    assert index._model is None
