"""The TensorBoard plugin: thin routes over plain `*_impl` functions that return contract dicts.

Routes (under data/plugin/scopes/): `runs`, `graph?run=&tag=[&source=]`, `drawing?run=&tag=
&open=...` (the drawing data cut at other open scopes, frontier.py), `status` (what is
analysed yet), `children?run=&tag=&scope=[&series=&offset=]` and `search?run=&tag=&q=` (the
scope tree one level at a time, tree.py), `node?run=&tag=&name=[&source=]` (one op's
details, details.py), `index.js` (the tab).
Every answer goes through http_util.Respond; bad requests get a 4xx JSON error, never a 500.
"""

import json
import logging
import os
import sys

from tensorboard import plugin_util, program
from tensorboard.backend import http_util
from tensorboard.plugins import base_plugin
from werkzeug import wrappers

from . import bodies, contract, details, foreground, gc_pause, graphs, metadata, sources, tree

logger = logging.getLogger(__name__)

MAX_OPEN = 10_000  # scopes one `drawing` request may ask open (a URL holds ~64 KB)
_STATIC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "static")


class RequestError(Exception):
    """A request we answer with a 4xx and a readable message."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class ScopesPlugin(base_plugin.TBPlugin):
    plugin_name = metadata.PLUGIN_NAME

    def __init__(self, context):
        self._provider = context.data_provider
        if _tensorboard_is_the_program():
            gc_pause.freeze_host()  # full collections no longer walk TensorBoard's startup objects
        self._graphs = graphs.Graphs(self._provider)
        if self._provider is not None:
            self._graphs.start_background()  # graphs are ready before the first request asks

    def get_plugin_apps(self):
        return {
            "/runs": self.runs_route,
            "/graph": self.graph_route,
            "/status": self.status_route,
            "/drawing": self.drawing_route,
            "/children": self.children_route,
            "/search": self.search_route,
            "/node": self.node_route,
            "/index.js": self.static_route,
        }

    def is_active(self):
        return False  # activity comes from data_plugin_names: TensorBoard checks for graph data itself

    def data_plugin_names(self):
        return (
            metadata.GRAPHS_PLUGIN,
            metadata.RUN_METADATA_PLUGIN,
            metadata.RUN_METADATA_WITH_GRAPH_PLUGIN,
            metadata.KERAS_MODEL_PLUGIN,
        )

    def frontend_metadata(self):
        return base_plugin.FrontendMetadata(es_module_path="/index.js", tab_name=metadata.TAB_NAME)

    # --- plain functions ---------------------------------------------------------

    def runs_impl(self, ctx, experiment):
        self._graphs.wake()  # the tab is open: a graph TensorBoard has just loaded is analysed now
        return contract.runs_json(sources.list_graphs(self._provider, ctx, experiment, versions=True))

    def graph_impl(self, ctx, experiment, run, tag, source=None, later=None):
        """Gzipped JSON of one annotated graph (see graphs.Graphs.body for the caches); what is
        left to do once it is sent goes to `later` (graphs.Graphs.served)."""

        def produce(ctx, experiment, ref):
            return self._graphs.served(ctx, experiment, ref, later)

        return self._of_graph(produce, ctx, experiment, run, tag, source)

    def drawing_impl(self, ctx, experiment, run, tag, open_paths, source=None):
        """The graph's drawing data cut with `open_paths` open (a stub is opened by asking again)."""

        def produce(ctx, experiment, ref):
            full = self._graphs.frontier(ctx, experiment, ref)
            return contract.drawing_json(ref, full.graph, full.cut(open_paths))

        return self._of_graph(produce, ctx, experiment, run, tag, source)

    def children_impl(self, ctx, experiment, run, tag, scope, series=None, offset=0, source=None):
        """One level of the scope tree: the children of `scope` (or the members of a series)."""
        try:
            return self._tree(ctx, experiment, run, tag, source).children(scope, series, offset)
        except tree.NotInGraph as err:
            raise RequestError(404, str(err)) from None

    def search_impl(self, ctx, experiment, run, tag, query, source=None):
        return self._tree(ctx, experiment, run, tag, source).search(query)

    def node_impl(self, ctx, experiment, run, tag, name, source=None):
        """One op's details: attributes, inputs and their shapes, output shapes."""

        def produce(ctx, experiment, ref):
            try:
                return contract.node_json(ref, self._graphs.op_details(ctx, experiment, ref, name))
            except details.UnknownOp as err:
                raise RequestError(404, str(err)) from None

        return self._of_graph(produce, ctx, experiment, run, tag, source)

    def _tree(self, ctx, experiment, run, tag, source):
        return self._of_graph(self._graphs.tree, ctx, experiment, run, tag, source)

    def _of_graph(self, produce, ctx, experiment, run, tag, source):
        """`produce(ctx, experiment, ref)` for the graph named; a missing or unreadable one is a 4xx."""
        try:
            ref = sources.find_graph(self._provider, ctx, experiment, run, tag, source)
            return produce(ctx, experiment, ref)
        except sources.NotFound as err:
            raise RequestError(404, str(err)) from None
        except graphs.Unreadable as err:
            raise RequestError(422, f"the graph of run {run!r}, tag {tag!r} cannot be read: {err}") from None

    def status_impl(self, ctx, experiment):
        """Every graph with its analysis state, so the tab can say what is still being analysed."""
        refs = sources.list_graphs(self._provider, ctx, experiment)
        return contract.status_json(
            refs, self._graphs.states(experiment, refs), self._graphs.stages(experiment, refs)
        )

    # --- routes --------------------------------------------------------------------

    @wrappers.Request.application
    def runs_route(self, request):
        ctx, experiment = plugin_util.context(request.environ), plugin_util.experiment_id(request.environ)
        return self._answer(request, lambda: json.dumps(self.runs_impl(ctx, experiment)))

    @wrappers.Request.application
    def status_route(self, request):
        ctx, experiment = plugin_util.context(request.environ), plugin_util.experiment_id(request.environ)
        return self._answer(request, lambda: json.dumps(self.status_impl(ctx, experiment)))

    @wrappers.Request.application
    def children_route(self, request):
        ctx, experiment = plugin_util.context(request.environ), plugin_util.experiment_id(request.environ)
        args = request.args

        def answer():
            run, tag = _needed(args)
            offset = args.get("offset", "0")
            if not offset.isdigit():
                raise RequestError(400, "`offset` must be a whole number")
            body = self.children_impl(
                ctx,
                experiment,
                run,
                tag,
                args.get("scope", ""),
                args.get("series"),
                int(offset),
                args.get("source"),
            )
            return json.dumps(body)

        return self._answer(request, answer)

    @wrappers.Request.application
    def drawing_route(self, request):
        ctx, experiment = plugin_util.context(request.environ), plugin_util.experiment_id(request.environ)
        args = request.args

        def answer():
            run, tag = _needed(args)
            open_paths = args.getlist("open")
            if len(open_paths) > MAX_OPEN:
                raise RequestError(400, f"at most {MAX_OPEN} scopes can be asked open at once")
            return bodies.dumps(self.drawing_impl(ctx, experiment, run, tag, open_paths, args.get("source")))

        return self._answer(request, answer)

    @wrappers.Request.application
    def search_route(self, request):
        return self._in_graph(request, "q", self.search_impl)

    @wrappers.Request.application
    def node_route(self, request):
        return self._in_graph(request, "name", self.node_impl)

    def _in_graph(self, request, key, impl):
        """A route that names a graph and one thing in it (`q` to search for, the `name` of an op)."""
        ctx, experiment = plugin_util.context(request.environ), plugin_util.experiment_id(request.environ)
        args = request.args

        def answer():
            run, tag = _needed(args)
            if not args.get(key):
                raise RequestError(400, f"this route needs a `{key}` query parameter")
            return json.dumps(impl(ctx, experiment, run, tag, args[key], args.get("source")))

        return self._answer(request, answer)

    @wrappers.Request.application
    def graph_route(self, request):
        ctx, experiment = plugin_util.context(request.environ), plugin_util.experiment_id(request.environ)
        run, tag, source = (request.args.get(k) for k in ("run", "tag", "source"))

        later = []  # started once the answer is out (werkzeug calls close after the last byte)

        def answer():
            if not run or not tag:
                raise RequestError(400, "the graph route needs both `run` and `tag` query parameters")
            if source is not None and source not in _SOURCES:
                raise RequestError(400, f"`source` must be one of {', '.join(sorted(_SOURCES))}")
            return self.graph_impl(ctx, experiment, run, tag, source, later)

        response = self._answer(request, answer, content_encoding="gzip")
        for start in later:
            response.call_on_close(start)
        return response

    @wrappers.Request.application
    def static_route(self, request):
        try:
            with open(os.path.join(_STATIC, "index.js"), "rb") as f:
                return http_util.Respond(request, f.read(), "application/javascript")
        except OSError:
            message = "the Scopes tab was not built: reinstall the plugin with `pip install .` (it needs npm)"
            return http_util.Respond(
                request, json.dumps(contract.error_json(message)), "application/json", 404
            )

    def _answer(self, request, produce, content_encoding=None):
        try:
            with foreground.serving():  # work in the background steps aside until this is answered
                body = produce()
            return http_util.Respond(request, body, "application/json", content_encoding=content_encoding)
        except RequestError as err:
            return http_util.Respond(
                request, json.dumps(contract.error_json(str(err))), "application/json", err.code
            )
        except Exception:  # a bug of ours: log it for us, show the user a sentence
            logger.exception("scopes plugin failed on %s", request.url)
            message = "the Scopes plugin could not answer this request; the TensorBoard log has the details"
            return http_util.Respond(
                request, json.dumps(contract.error_json(message)), "application/json", 422
            )


def _needed(args):
    run, tag = args.get("run"), args.get("tag")
    if not run or not tag:
        raise RequestError(400, "this route needs both `run` and `tag` query parameters")
    source = args.get("source")
    if source is not None and source not in _SOURCES:
        raise RequestError(400, f"`source` must be one of {', '.join(sorted(_SOURCES))}")
    return run, tag


_SOURCES = {metadata.SOURCE_RUN_GRAPH, metadata.SOURCE_TRACE, metadata.SOURCE_KERAS_MODEL}


def _tensorboard_is_the_program():
    """Whether the `tensorboard` command is loading the plugin: `program.TensorBoard.main`, which
    `tensorboard.main.run_main` calls, is on the stack. TensorBoard's `launch()` runs it inside
    another program (a notebook), whose objects are not the plugin's to freeze; TensorBoard too
    changes global state only when it is the program (`main_lib.global_init`)."""
    main = program.TensorBoard.main.__code__
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code is main:
            return True
        frame = frame.f_back
    return False
