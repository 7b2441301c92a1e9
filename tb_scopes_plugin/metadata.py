"""Names: the plugin's own, the TensorBoard plugins and tags we read, the contract version.

Nothing here computes anything; every constant says where it comes from.
"""

# Our plugin name: the `data/plugin/scopes/` URL prefix and the `#scopes` hash.
PLUGIN_NAME = "scopes"

# The tab title shown in TensorBoard's header.
TAB_NAME = "Scopes"

# Version of the JSON contract in docs/contract.md; bump on any incompatible change.
CONTRACT_VERSION = 2

# Source plugin names, as written by the summary ops that log graphs
# (tensorboard/plugins/graph/metadata.py).
GRAPHS_PLUGIN = "graphs"  # FileWriter(graph=...), add_graph, tf.summary.graph
RUN_METADATA_PLUGIN = "graph_run_metadata"  # trace_export(profiler_outdir=...)
RUN_METADATA_WITH_GRAPH_PLUGIN = "graph_run_metadata_graph"  # trace_export graph only
KERAS_MODEL_PLUGIN = "graph_keras_model"  # the Keras TensorBoard callback

# The single tag under which a run's own GraphDef is stored
# (tensorboard/plugins/graph/metadata.py RUN_GRAPH_NAME).
RUN_GRAPH_TAG = "__run_graph__"

# The graph plugin marks usable blobs with plugin_content b"1"
# (tensorboard/plugins/graph/graphs_plugin.py info_impl).
GRAPH_CONTENT_MARKER = b"1"

# Our names for the sources, as they appear in the `source` field of the contract.
SOURCE_RUN_GRAPH = "run_graph"
SOURCE_TRACE = "trace"
SOURCE_KERAS_MODEL = "keras_model"

# Our own summaries (tb_scopes_plugin.summary): the variables behind a traced function's
# captured placeholders, one blob of JSON per function, tagged `variables/<function name>`.
VARIABLES_TAG_PREFIX = "variables/"
VARIABLES_CONTENT = b"variables-v1"  # plugin_content of those summaries
