"""Adapters: each input format -> the one format-neutral `model.Model`.

    load(source, data) -> Model      # by where TensorBoard found the graph, and what it holds

- `tf_graphdef`: TensorFlow GraphDefs (run graphs, `tf.summary.graph`, tf_keras op graphs)
  and traces (`RunMetadata`), function bodies inlined;
- `keras_config`: the Keras TensorBoard callback's model config, one op per layer call;
- `pytorch`: GraphDefs written by `torch.utils.tensorboard` and tensorboardX `add_graph`.
"""

import json

from tensorboard.compat.proto import graph_pb2

from .. import metadata
from . import keras_config, pytorch, tf_graphdef


class Unreadable(Exception):
    """The bytes are not a graph we can read; the message says why, in a sentence."""


def load(source, data):
    if source == metadata.SOURCE_KERAS_MODEL:
        try:
            config = json.loads(data)
        except (ValueError, UnicodeDecodeError) as err:
            raise Unreadable(f"the Keras model config is not valid JSON ({err})") from None
        try:
            return keras_config.load(config)
        except ValueError as err:
            raise Unreadable(str(err)) from None
    try:
        if source == metadata.SOURCE_TRACE:
            return tf_graphdef.load_run_metadata(data)
        graph = graph_pb2.GraphDef()
        graph.ParseFromString(data)
        if pytorch.looks_like_pytorch(graph):  # add_graph writes a GraphDef of TorchScript nodes
            return pytorch.load_graph_def(graph)
        return tf_graphdef.load_graph(graph)
    except ValueError as err:
        raise Unreadable(str(err)) from None
    except Exception as err:  # protobuf's DecodeError and friends
        raise Unreadable(f"the graph could not be parsed ({type(err).__name__})") from None
