"""A keras_hub GPT-2 (tiny config, tied token embedding) whose training step is traced with trace_export."""

import keras
import keras_hub
import tensorflow as tf

from tests.realmodels import tracing, truth


def build(logdir):
    backbone = keras_hub.models.GPT2Backbone(
        vocabulary_size=100,
        num_layers=2,
        num_heads=2,
        hidden_dim=16,
        intermediate_dim=32,
        max_sequence_length=16,
    )
    lm = keras_hub.models.GPT2CausalLM(backbone=backbone, preprocessor=None)
    optimizer = keras.optimizers.Adam(1e-3)
    x = {"token_ids": tf.zeros((2, 8), tf.int32), "padding_mask": tf.ones((2, 8), tf.int32)}
    y = tf.zeros((2, 8), tf.int32)

    @tf.function
    def train_step(x, y):
        with tf.GradientTape() as tape:
            logits = lm(x, training=True)
            loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(y, logits, from_logits=True))
        grads = tape.gradient(loss, lm.trainable_variables)
        optimizer.apply_gradients(zip(grads, lm.trainable_variables, strict=True))
        return loss

    tracing.export_trace(logdir, "keras_hub_gpt2", train_step, x, y)
    # The token embedding is called twice: the lookup and the logits (ReversibleEmbedding, tied).
    return {"keras_hub_gpt2": truth.keras(lm, "keras_hub_gpt2", "trace", "keras", names="derived")}
