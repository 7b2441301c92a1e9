"""Adapters: each input format -> the one format-neutral `model.Model`.

    load(source, data) -> Model      # by where TensorBoard found the graph, and what it holds

- `tf_graphdef`: TensorFlow GraphDefs (run graphs, `tf.summary.graph`, tf_keras op graphs)
  and traces (`RunMetadata`), function bodies inlined;
- `keras_config`: the Keras TensorBoard callback's model config, one op per layer call;
- `pytorch`: GraphDefs written by `torch.utils.tensorboard` and tensorboardX `add_graph`.
"""

import json

from .. import metadata
from . import keras_config, tf_graphdef


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
    load_bytes = (
        tf_graphdef.load_run_metadata if source == metadata.SOURCE_TRACE else tf_graphdef.load_graph_def
    )
    try:
        return load_bytes(data)
    except ValueError as err:
        raise Unreadable(str(err)) from None
    except Exception as err:  # protobuf's DecodeError and friends
        raise Unreadable(f"the graph could not be parsed ({type(err).__name__})") from None
