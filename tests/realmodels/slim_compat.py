"""What tf_slim 1.1 needs on TensorFlow 2.21: `tf.compat.v1.layers` imports its Keras-2 layers lazily
from `tf_keras.legacy_tf_layers` (tensorflow/python/layers/normalization.py), which tf_keras 2.21
ships as `tf_keras.src.legacy_tf_layers`. Aliasing the package and its modules is enough."""

import importlib
import pkgutil
import sys


def install():
    import tf_keras.src.legacy_tf_layers as legacy

    sys.modules.setdefault("tf_keras.legacy_tf_layers", legacy)
    for module in pkgutil.iter_modules(legacy.__path__):
        full = f"tf_keras.src.legacy_tf_layers.{module.name}"
        sys.modules.setdefault(f"tf_keras.legacy_tf_layers.{module.name}", importlib.import_module(full))
