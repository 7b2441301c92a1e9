"""The pattern corpus: for each graph, what the analysis must say. Grow it by one entry per bug.

`variables`: name -> (status, {call site: use status}); `findings`: (confidence, [variables]).
Variables not listed are not checked; findings are checked exactly.
"""

CORPUS = {
    "article_name_scopes": {
        # name_scope does not prefix get_variable: `w`, not `layer1/w`; its only call site creates it.
        "variables": {"w": ("unshared", {"layer1": "created"})},
        "findings": [],
    },
    "article_reuse": {
        "variables": {
            "dense/weights": ("shared", {"dense": "created", "dense_1": "reused"}),
            "dense/bias": ("shared", {"dense": "created", "dense_1": "reused"}),
        },
        "findings": [],
    },
    # The same graph logged with TF2's tf.summary.graph instead of FileWriter.
    "article_reuse_summary_graph": {
        "variables": {
            "dense/weights": ("shared", {"dense": "created", "dense_1": "reused"}),
            "dense/bias": ("shared", {"dense": "created", "dense_1": "reused"}),
        },
        "exact_variables": True,
        "findings": [],
    },
    "article_nested": {
        "variables": {
            "main_scope/sub_1/weights": ("unshared", {"main_scope/sub_1": "created"}),
            "main_scope/sub_2/weights": ("unshared", {"main_scope/sub_2": "created"}),
            "main_scope/sub_3/inner/weights": (
                "shared",
                {"main_scope/sub_3/inner": "created", "main_scope/sub_3_1/inner": "reused"},
            ),
        },
        "findings": [],
    },
    "make_template": {
        "variables": {
            "scale/weights": ("shared", {"scale": "created", "scale_1": "reused", "scale_2": "reused"}),
        },
        "findings": [],
    },
    "gan": {
        # Ref variables, Adam slots and beta powers folded away; generator trained once stays unshared.
        "variables": {
            "discriminator/hidden/weights": (
                "shared",
                {"discriminator/hidden": "created", "discriminator_1/hidden": "reused"},
            ),
            "discriminator/hidden/bias": (
                "shared",
                {"discriminator/hidden": "created", "discriminator_1/hidden": "reused"},
            ),
            "discriminator/out/weights": (
                "shared",
                {"discriminator/out": "created", "discriminator_1/out": "reused"},
            ),
            "discriminator/out/bias": (
                "shared",
                {"discriminator/out": "created", "discriminator_1/out": "reused"},
            ),
            "generator/hidden/weights": ("unshared", {"generator/hidden": "created"}),
            "generator/hidden/bias": ("unshared", {"generator/hidden": "created"}),
            "generator/out/weights": ("unshared", {"generator/out": "created"}),
            "generator/out/bias": ("unshared", {"generator/out": "created"}),
        },
        "exact_variables": True,
        "findings": [],
    },
    "rnn_unrolled": {
        "variables": {
            "cell/weights": (
                "shared",
                {"cell": "created", "cell_1": "reused", "cell_2": "reused", "cell_3": "reused"},
            ),
        },
        "findings": [],
    },
    "rnn_while_loop": {
        # The While body reads the weights through the loop's function args; its ops live under the
        # While node's own name, as TF1 control flow named them (issue: "Right on real models").
        "variables": {
            "cell/weights": ("unshared", {"while/body": "created"}),
            "cell/bias": ("unshared", {"while/body": "created"}),
        },
        "exact_variables": True,
        "findings": [],
    },
    "tied_embeddings": {
        "variables": {
            "embedding/weights": ("shared", {"encoder": "created", "decoder": "reused"}),
            "hidden/weights": ("unshared", {"encoder/hidden": "created"}),
        },
        "findings": [],
    },
    "siamese_bug": {
        "variables": {
            "tower/hidden/weights": ("unshared", {"tower/hidden": "created"}),
            "tower_1/hidden/weights": ("unshared", {"tower_1/hidden": "created"}),
        },
        # One bug, one finding: every look-alike pair parts at `tower` / `tower_1`.
        "findings": [
            (
                "high",
                [
                    "tower/embed/bias",
                    "tower/embed/weights",
                    "tower/hidden/bias",
                    "tower/hidden/weights",
                    "tower_1/embed/bias",
                    "tower_1/embed/weights",
                    "tower_1/hidden/bias",
                    "tower_1/hidden/weights",
                ],
            ),
        ],
    },
    "siamese_fixed": {
        "variables": {
            "tower/hidden/weights": ("shared", {"tower/hidden": "created", "tower_1/hidden": "reused"}),
            "tower/hidden/bias": ("shared", {"tower/hidden": "created", "tower_1/hidden": "reused"}),
            "tower/embed/weights": ("shared", {"tower/embed": "created", "tower_1/embed": "reused"}),
            "tower/embed/bias": ("shared", {"tower/embed": "created", "tower_1/embed": "reused"}),
        },
        "exact_variables": True,
        "findings": [],
    },
    "deep_mlp": {
        "variables": {"layer_2/weights": ("unshared", {"layer_2": "created"})},
        # A stack of alike layers is at most a low-confidence finding.
        # One note for the stack, its biases and its weights together. The first layer takes the
        # input's width: its bias is alike, its weights are not, so it is not one of them.
        "findings": [
            (
                "low",
                ["layer_1/bias", "layer_1/weights", "layer_2/bias", "layer_2/weights"]
                + ["layer_3/bias", "layer_3/weights", "layer_4/bias", "layer_4/weights"],
            ),
        ],
    },
    "keras/train": {
        # The callback's model graph: one op per layer call reading the layer's weights, so a layer
        # called on two inputs is shared, one use per call; two alike layers on the two inputs are a bug.
        "variables": {
            "shared_dense/kernel": ("shared", {"shared_dense": "created", "shared_dense (call 2)": "reused"}),
            "shared_dense/bias": ("shared", {"shared_dense": "created", "shared_dense (call 2)": "reused"}),
            "twin_a/kernel": ("unshared", {"twin_a": "created"}),
        },
        "findings": [("high", ["twin_a/bias", "twin_a/kernel", "twin_b/bias", "twin_b/kernel"])],
    },
}
