"""TensorBoard data provider -> the graphs of a logdir: (run, tag, source) refs and their raw bytes.

Reads only through `context.data_provider` (the Rust data server and the Python
multiplexer alike), never event files directly, so every logdir TensorBoard can read works.
"""

import dataclasses
import json
from dataclasses import dataclass

from tensorboard.data import provider

from . import metadata

# (plugin name, our source name, tags accepted or None for any), in listing order
# (tensorboard/plugins/graph/graphs_plugin.py info_impl lists the same plugins).
_PLUGINS = (
    (metadata.GRAPHS_PLUGIN, metadata.SOURCE_RUN_GRAPH, {metadata.RUN_GRAPH_TAG}),
    (metadata.RUN_METADATA_WITH_GRAPH_PLUGIN, metadata.SOURCE_TRACE, None),
    (metadata.RUN_METADATA_PLUGIN, metadata.SOURCE_TRACE, None),
    (metadata.KERAS_MODEL_PLUGIN, metadata.SOURCE_KERAS_MODEL, None),
)


@dataclass(frozen=True)
class GraphRef:
    run: str
    tag: str
    source: str  # run_graph / trace / keras_model
    plugin: str  # the TensorBoard plugin whose blobs hold it
    # Step and wall time of the blob the data provider serves for it (datum_version); changes when
    # the graph is written again. Only filled for the `runs` route (list_graphs(versions=True));
    # not part of the ref's identity: the caches key on the datum itself (graphs.Graphs.body).
    version: str = dataclasses.field(default="", compare=False)


class NotFound(Exception):
    """The run, tag or source is not in the logdir (any more)."""


def list_graphs(data_provider, ctx, experiment_id, versions=False):
    """Every graph of the experiment, sorted by run, then in _PLUGINS order; with `versions`, each
    with the version of the blob it would be read from (one more provider call per plugin)."""
    refs, seen = [], set()
    for plugin, source, tags in _PLUGINS:
        mapping = data_provider.list_blob_sequences(ctx, experiment_id=experiment_id, plugin_name=plugin)
        newest = _newest_data(data_provider, ctx, experiment_id, plugin) if versions and mapping else {}
        for run, by_tag in (mapping or {}).items():
            for tag, series in by_tag.items():
                if tags is not None and tag not in tags:
                    continue
                if (
                    plugin != metadata.GRAPHS_PLUGIN
                    and series.plugin_content != metadata.GRAPH_CONTENT_MARKER
                ):
                    continue  # the graph plugin skips these too: not a graph blob
                if (run, tag, source) in seen:
                    continue  # a trace logged with and without profiling
                seen.add((run, tag, source))
                datum = newest.get((run, tag))
                refs.append(GraphRef(run, tag, source, plugin, datum_version(datum) if datum else ""))
    return sorted(refs, key=lambda r: r.run)


def _newest_data(data_provider, ctx, experiment_id, plugin):
    """(run, tag) -> the datum a graph is read from (the last one), for every series of a plugin."""
    sequences = data_provider.read_blob_sequences(
        ctx, experiment_id=experiment_id, plugin_name=plugin, downsample=1
    )
    return {(run, tag): data[-1] for run, by_tag in sequences.items() for tag, data in by_tag.items() if data}


def datum_version(datum):
    """What tells two writes of one graph apart. Not the blob key: that names a position (run, tag,
    step), and the Rust data server keeps it when a run's graph is written again at the same step.
    The step and wall time of the blob actually served follow the data provider: the Python loader
    (--load_fast=false) keeps serving a step's first graph, and then the version stays too."""
    return f"{datum.step}@{datum.wall_time!r}"


def find_graph(data_provider, ctx, experiment_id, run, tag, source=None):
    for ref in list_graphs(data_provider, ctx, experiment_id):
        if ref.run == run and ref.tag == tag and (source is None or ref.source == source):
            return ref
    raise NotFound(f"no graph with run {run!r} and tag {tag!r}" + (f" from {source}" if source else ""))


def graph_blob_key(data_provider, ctx, experiment_id, ref):
    """The blob key of a graph's newest blob, without reading the blob (a cache hit needs no bytes)."""
    return newest_graph(data_provider, ctx, experiment_id, ref)[0]


def newest_graph(data_provider, ctx, experiment_id, ref):
    """(blob key, datum_version) of a graph's newest blob, without reading the blob."""
    sequences = data_provider.read_blob_sequences(
        ctx,
        experiment_id=experiment_id,
        plugin_name=ref.plugin,
        downsample=1,
        run_tag_filter=provider.RunTagFilter(runs=[ref.run], tags=[ref.tag]),
    )
    data = sequences.get(ref.run, {}).get(ref.tag, ())
    if not data or not data[-1].values:
        raise NotFound(f"the graph of run {ref.run!r}, tag {ref.tag!r} has no data")
    return data[-1].values[0].blob_key, datum_version(data[-1])


def read_graph(data_provider, ctx, experiment_id, ref):
    """(blob key, bytes) of the newest blob of a graph; the key names it for the memory cache."""
    key = graph_blob_key(data_provider, ctx, experiment_id, ref)
    return key, data_provider.read_blob(ctx, blob_key=key)


def read_variable_names(data_provider, ctx, experiment_id, run):
    """(blob keys, records) of the names logged with `tb_scopes_plugin.summary` in a run.

    Records of every function of the run are merged: placeholder key -> variable record.
    Unreadable records are skipped; the blob keys identify the content for caching.
    """
    mapping = data_provider.list_blob_sequences(
        ctx, experiment_id=experiment_id, plugin_name=metadata.PLUGIN_NAME
    )
    tags = [t for t in (mapping or {}).get(run, {}) if t.startswith(metadata.VARIABLES_TAG_PREFIX)]
    if not tags:
        return (), {}
    sequences = data_provider.read_blob_sequences(
        ctx,
        experiment_id=experiment_id,
        plugin_name=metadata.PLUGIN_NAME,
        downsample=1,
        run_tag_filter=provider.RunTagFilter(runs=[run], tags=tags),
    )
    keys, records = [], {}
    for tag in sorted(tags):
        data = sequences.get(run, {}).get(tag, ())
        if not data or not data[-1].values:
            continue
        key = data[-1].values[0].blob_key
        keys.append(key)
        try:
            doc = json.loads(data_provider.read_blob(ctx, blob_key=key))
            records.update(doc.get("variables", {}))
        except (ValueError, AttributeError):
            continue  # not ours, or damaged: the graph still shows derived names
    return tuple(keys), records
