"""tf_keras (Keras 2) models through the tf_keras callback, which writes the model config and,
when its batch hooks run (`write_steps_per_second=True`), the train function's op graph."""

import os

import numpy as np
import tf_keras

from tests.realmodels import truth


def fit_once(model, inputs, logdir):
    model.compile("adam", "mse", metrics=["mae"])
    out = np.zeros((2, *model.output_shape[1:]), "float32")
    callback = tf_keras.callbacks.TensorBoard(logdir, write_graph=True, write_steps_per_second=True)
    model.fit(inputs, out, epochs=1, verbose=0, callbacks=[callback])


def shared_dense():
    """One Dense called on two inputs (shared, correct), with a regularizer and batch norm."""
    a, b = tf_keras.Input((4,)), tf_keras.Input((4,))
    shared = tf_keras.layers.Dense(3, name="shared", kernel_regularizer=tf_keras.regularizers.l2(0.01))
    merged = tf_keras.layers.Concatenate()(
        [tf_keras.layers.BatchNormalization(name="bn")(shared(a)), shared(b)]
    )
    return tf_keras.Model([a, b], tf_keras.layers.Dense(1, name="head")(merged))


def recurrent_attention():
    """An LSTM, then one MultiHeadAttention over its outputs: cell and projection sublayers."""
    inp = tf_keras.Input((6, 4))
    x = tf_keras.layers.LSTM(8, return_sequences=True, name="lstm")(inp)
    x = tf_keras.layers.MultiHeadAttention(2, 4, name="mha")(x, x)
    return tf_keras.Model(inp, tf_keras.layers.Dense(2, name="head")(tf_keras.layers.Flatten()(x)))


def wrappers():
    """TimeDistributed (its weights in its own scope: `frames/kernel`), a Bidirectional GRU with
    its own backward layer (`bi/back/gru_cell/kernel`), and a SimpleRNN."""
    clips = tf_keras.Input((5, 8, 8, 3))
    x = tf_keras.layers.TimeDistributed(tf_keras.layers.Conv2D(2, 3), name="frames")(clips)
    x = tf_keras.layers.TimeDistributed(tf_keras.layers.GlobalAveragePooling2D(), name="pool")(x)
    back = tf_keras.layers.GRU(2, go_backwards=True, return_sequences=True, name="back")
    x = tf_keras.layers.Bidirectional(
        tf_keras.layers.GRU(2, return_sequences=True), backward_layer=back, name="bi"
    )(x)
    x = tf_keras.layers.SimpleRNN(3, name="rnn")(x)  # its cell's own scope beside the loop
    return tf_keras.Model(clips, tf_keras.layers.Dense(2, name="head")(x))


def nested_siamese(copied):
    """Two inputs, each through an encoder sub-model with batch norm; `copied`: two encoders (the
    bug), else one called twice. tf_keras numbers a nested model's calls from 1 in its config."""

    def encoder(name):
        x = inp = tf_keras.Input((8, 8, 3))
        x = tf_keras.layers.BatchNormalization()(tf_keras.layers.Conv2D(4, 3)(x))
        x = tf_keras.layers.Dense(6)(tf_keras.layers.GlobalAveragePooling2D()(x))
        return tf_keras.Model(inp, x, name=name)

    first = encoder("encoder")
    second = encoder("encoder_copy") if copied else first
    a, b = tf_keras.Input((8, 8, 3)), tf_keras.Input((8, 8, 3))
    distance = tf_keras.layers.Subtract()([first(a), second(b)])
    return tf_keras.Model([a, b], tf_keras.layers.Dense(1, name="head")(distance))


def build(logdir):
    truths = {}
    mobilenet = tf_keras.applications.MobileNet(weights=None, input_shape=(32, 32, 3), classes=10, alpha=0.35)
    fit_once(mobilenet, np.zeros((2, 32, 32, 3), "float32"), os.path.join(logdir, "tf_keras_mobilenet"))
    model = shared_dense()
    fit_once(model, [np.zeros((2, 4), "float32")] * 2, os.path.join(logdir, "tf_keras_shared_dense"))
    rnn = recurrent_attention()
    fit_once(rnn, np.zeros((2, 6, 4), "float32"), os.path.join(logdir, "tf_keras_recurrent_attention"))
    wrapped = wrappers()
    fit_once(wrapped, np.zeros((2, 5, 8, 8, 3), "float32"), os.path.join(logdir, "tf_keras_wrappers"))
    siamese = {copied: nested_siamese(copied) for copied in (False, True)}
    for copied, m in siamese.items():
        run = f"tf_keras_nested_siamese_{'bug' if copied else 'fixed'}"
        fit_once(m, [np.zeros((2, 8, 8, 3), "float32")] * 2, os.path.join(logdir, run))
        copies = 16 if copied else None  # conv, batch norm and dense weights, in both encoders
        for kind, source, names in (("config", "keras_model", "real"), ("ops", "run_graph", "derived")):
            entry = truth.keras(m, f"{run}/train", source, "tf_keras", bug=copied, names=names, copies=copies)
            truths[f"{run}_{kind}"] = entry
    models = (
        ("tf_keras_mobilenet", mobilenet),
        ("tf_keras_shared_dense", model),
        ("tf_keras_recurrent_attention", rnn),
        ("tf_keras_wrappers", wrapped),
    )
    for name, m in models:
        truths[f"{name}_config"] = truth.keras(m, f"{name}/train", "keras_model", "tf_keras")
        # The op graph names no variable: the report derives names, so it is checked by shapes.
        truths[f"{name}_ops"] = truth.keras(m, f"{name}/train", "run_graph", "tf_keras", names="derived")
    return truths
