"""A corpus of real third-party model code, logged the way people log it, with truth from the framework.

Each family module builds models with the library's own code (small configurations, no
weights downloaded), logs them, and returns for each graph the truth the framework itself
gives: `model.weights` / `global_variables()` names and shapes, `count_params()`, and how
many times each layer is called. `python -m tests.realmodels FAMILY LOGDIR OUT.json` builds
one family in its own process (TensorFlow's tracing state is global to a process), and
`python -m tests.realmodels record` rewrites truth/*.json, which the tests compare against.

A truth entry: {"run", "source", "library", "names": "real" | "derived", "bug": bool,
"variables": {name: {"shape": [...], "calls": n}}, "count": n, "params": n}.
"""

FAMILIES = (
    "keras_apps",
    "tf_keras_models",
    "slim_nets",
    "keras_hub_models",
    "tf1_transformer",
    "tf1_rnn",
    "siamese_styles",
)
