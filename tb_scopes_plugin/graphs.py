"""Annotated graph responses: from memory, from disk, or analysed now; and analysed ahead of time.

In: the data provider and a graph's (run, tag, source). Out: the gzipped JSON body of the
`graph` route, and each graph's state for the `status` route.

    body = graphs.body(ctx, experiment, ref)     # memory -> disk -> analyse (and store both)
    op = graphs.op_details(ctx, experiment, ref, name)   # one op, from the raw bytes (details.py)
    graphs.start_background()                    # analyse graphs as TensorBoard loads them

The memory cache is keyed by the data provider's blob key and the blob's step and wall time
(no bytes need to be read for a hit); the disk cache by the content itself
(disk_cache.content_key), so it survives a restart. The background thread polls the data
provider (more often until it has found a first graph, and at once when the tab asks for the
runs), analyses one graph at a time, and only fills the caches. One analysis runs per
graph at a time: a request for a graph already being analysed (by the background thread or
another request) waits for that analysis instead of repeating it, which under the GIL would
only have made both slower.
"""

import collections
import gc
import gzip
import hashlib
import logging
import os
import threading
import time

from tensorboard import context

from . import (
    bodies,
    cache,
    contract,
    details,
    disk_cache,
    foreground,
    frontier,
    gc_pause,
    report,
    sources,
    tree,
)

logger = logging.getLogger(__name__)

ENV_BACKGROUND = "TB_SCOPES_BACKGROUND"  # "0" turns the background analysis off (benchmarks)
POLL_SECONDS = 5  # how often the background thread asks the data provider for new graphs
# Until it has seen a first graph, it asks more often: TensorBoard lists a logdir's runs a few
# seconds after it starts, and a graph found at once is one analysed before the tab asks for it.
STARTUP_POLL_SECONDS = 0.5
STARTUP_SECONDS = 120
TREES_KEPT = 8  # scope trees kept in memory (a 160k-op graph's is a few hundred MB of Python objects)
CUTS_KEPT = 4  # frontiers kept (a 108k-node drawing's: 24 MB of lists and 20 MB of index, tracemalloc)
INDEXES_KEPT = 4  # graphs indexed by op name for details (a 160k-op GraphDef's index is tens of MB)
EXPERIMENT = ""  # a TensorBoard serving one logdir names its experiment ""
START_LATER_SECONDS = 2  # a body left to encode once its cut is sent is encoded by then anyway


# A body's frontier.Frontier (None until a cut is asked for, for a graph sent whole) and, for a
# graph too big to send whole, the gzipped body the `graph` route sends instead (else None).
_Cut = collections.namedtuple("_Cut", "frontier first")


class Unreadable(Exception):
    """The graph's bytes cannot be analysed; the message says why, in a sentence."""


class Graphs:
    def __init__(self, data_provider, disk=None):
        self._provider = data_provider
        self._memory = cache.ByteBoundedCache()
        self._disk = disk if disk is not None else disk_cache.DiskCache()
        self._states = {}  # (experiment, ref) -> "analysing" / "ready" / "unreadable"
        self._stages = {}  # (experiment, ref) -> the report.STAGES name an analysis is at
        self._lock = threading.Lock()
        self._thread = None
        self._wake = threading.Event()  # set to make the background thread look for graphs now
        self._trees = collections.OrderedDict()  # body digest -> tree.ScopeTree, least recently used first
        self._cuts = collections.OrderedDict()  # body digest -> _Cut, least recently used first
        self._indexes = collections.OrderedDict()  # (experiment, ref, blob key, version) -> details.OpIndex
        self._flights = {}  # memory key -> threading.Event set when its analysis ends
        self._firsts = {}  # memory key -> the _Cut sent while the whole body is encoded

    def body(self, ctx, experiment, ref):
        """The gzipped JSON body of one graph (raises sources.NotFound, Unreadable)."""
        return self._get(ctx, experiment, ref, sent=False)

    def served(self, ctx, experiment, ref, later=None):
        """What the `graph` route sends: the body, or for a graph too big to send whole, the body
        with its drawing data cut at the scopes the tab opens first (frontier.py).

        A graph sent cut and analysed now is answered before its whole body is encoded: that
        work is appended to `later` for the caller to start once the answer is out (it holds
        the GIL, so a thread started at once would hold the answer back), or started at once
        without a `later`.
        """
        return self._get(ctx, experiment, ref, sent=True, later=later)

    def _key(self, ctx, experiment, ref):
        """(memory key, blob key, variable names) of the graph's newest version: the key holds
        the version as well as the blob key, which a rewrite may keep."""
        blob_key, version = sources.newest_graph(self._provider, ctx, experiment, ref)
        names_keys, names = sources.read_variable_names(self._provider, ctx, experiment, ref.run)
        return (experiment, ref, blob_key, version, names_keys), blob_key, names

    def _get(self, ctx, experiment, ref, sent, later=None, key=None):
        memory_key, blob_key, names = key or self._key(ctx, experiment, ref)
        body = self._memory.get(memory_key)
        if body is not None:
            return self._sent(body) if sent else body
        with self._lock:
            flight = self._flights.get(memory_key)
            leading = flight is None
            if leading:
                flight = self._flights[memory_key] = threading.Event()
            early = self._firsts.get(memory_key) if sent and not leading else None
        if not leading:
            if early is not None:
                return early.first  # sent while the whole body is still being encoded
            with foreground.waiting():  # for work that may be stepping aside for requests
                flight.wait()
            body = self._memory.get(memory_key)
            if body is not None:
                return self._sent(body) if sent else body
            # else the analysis failed: ours raises its error for this request
        try:
            body, early, finish = self._produce(ctx, experiment, ref, blob_key, names)
        except BaseException:
            self._land(leading, memory_key, flight)
            raise
        if finish is None:
            self._land(leading, memory_key, flight, experiment, ref, body)
            return self._sent(body) if sent else body
        land = lambda body: self._land(leading, memory_key, flight, experiment, ref, body)  # noqa: E731
        if not sent:
            return finish(land)
        # A graph sent cut, analysed now: its cut answers this request at once, and a thread
        # then encodes and stores the whole body and collects the analysis' garbage (0.05 s and
        # 0.2 s for the 150k-op graph). Requests for the body wait for that as for any analysis
        # under way; a request for the cut gets it at once.
        with self._lock:
            self._firsts[memory_key] = early
        thread = threading.Thread(target=_logged, args=(finish, land), name="tb-scopes-encode", daemon=True)
        if later is None:
            thread.start()
        else:
            start = _once(thread.start)
            later.append(start)
            # Should the server never say the answer is out, the body is not left unfinished
            # (and the requests that wait for it waiting).
            timer = threading.Timer(START_LATER_SECONDS, start)
            timer.daemon = True
            timer.start()
        return early.first

    def _land(self, leading, memory_key, flight, experiment=None, ref=None, body=None):
        """An analysis ends: its body (None when it failed) in memory, then its waiters woken."""
        try:
            if body is not None:
                self._memory.put(memory_key, body)  # before the waiting requests wake up to read it
                self._set_state(experiment, ref, "ready")
        finally:
            if leading:
                with self._lock:
                    del self._flights[memory_key]
                    self._firsts.pop(memory_key, None)
                flight.set()

    def _produce(self, ctx, experiment, ref, blob_key, names):
        """(body, None, None) from the disk cache or analysed now (and stored there); for a
        graph sent cut and analysed now, (None, its _Cut, finish): `finish(land)` encodes the
        whole body, stores it, and hands it to `land` (or None when it fails)."""
        data = self._provider.read_blob(ctx, blob_key=blob_key)
        content_key = disk_cache.content_key(ref.source, data, names)
        body = self._disk.get(content_key)
        if body is not None:
            return body, None, None
        self._set_state(experiment, ref, "analysing")

        def stage(name):
            self._set_stage(experiment, ref, name)
            foreground.step_aside()  # ahead of time, a request goes first (at once in a request)

        # One pause over the analysis and the encoding, whichever thread encodes (the JSON tree is
        # a few objects per op too): a pause that ends starts a collection over everything the
        # analysis left alive, so it ends once the body is encoded and the dict let go.
        pause = gc_pause.paused()
        pause.__enter__()
        try:
            graph_report = report.build_report(ref, data, names, progress=stage)
            stage("encoding")
            full = contract.graph_json(graph_report, shapes_later=True)
            del graph_report
            # Cut from the dict at hand: parsing the body back for it would cost more.
            big = len(full["graph"]["nodes"]) > frontier.lazy_nodes()
            cut_at, first = _first_cut(full) if big else (None, None)
        except BaseException as err:
            pause.__exit__(None, None, None)
            if isinstance(err, report.UnreadableGraph):
                self._set_state(experiment, ref, "unreadable")
                raise Unreadable(str(err)) from None
            raise

        def finish(land):
            nonlocal full
            body = None
            try:
                contract.resolve_shapes(full, foreground.step_aside)
                foreground.step_aside()
                body, full = _encode(full), None
                self._store_cut(hashlib.sha1(body).digest(), cut_at, first)
                self._disk.put(content_key, body)
            finally:
                pause.__exit__(None, None, None)
                if first is not None:
                    foreground.step_aside()
                    # A large analysis' garbage, collected now (while the browser draws the
                    # cut, or in the background thread), not at the tab's first `drawing`
                    # request. With the host's objects frozen (gc_pause.freeze_host) this full
                    # collection takes 0.02 s, not 0.2 s (150k-op graph, 2026-12-07). The graph
                    # is `ready` once that is done too.
                    gc.collect()
                land(body)
            return body

        if first is None:
            return finish(lambda body: None), None, None
        return None, _Cut(cut_at, first), finish

    def _sent(self, body):
        first = self._cut(body, with_frontier=False).first
        return body if first is None else first

    def frontier(self, ctx, experiment, ref):
        """The graph's frontier.Frontier, to cut its drawing data at the scopes a tab has open.

        While a graph's cut is out and its whole body still being encoded, the analysis' own
        frontier: the tab's first `drawing` request comes while that runs (0.8 s of CPU for the
        150,047-op graph), and need not wait for it.
        """
        key = self._key(ctx, experiment, ref)
        with self._lock:
            early = self._firsts.get(key[0])
        if early is not None:
            return early.frontier
        return self._cut(self._get(ctx, experiment, ref, sent=False, key=key), with_frontier=True).frontier

    def _cut(self, body, with_frontier):
        """A body's _Cut; its Frontier is only made for a graph sent cut, or when asked for."""
        digest = hashlib.sha1(body).digest()
        with self._lock:
            entry = self._cuts.get(digest)
            if entry is not None:
                self._cuts.move_to_end(digest)
                if entry.frontier is not None or not with_frontier:
                    return entry
        if not with_frontier:  # a restarted TensorBoard finds the first cut on disk
            first = self._disk.get(disk_cache.cut_key(digest, frontier.lazy_nodes()))
            if first is not None:
                return self._remember(digest, _Cut(None, first))
        return self._keep_cut(digest, bodies.loads(gzip.decompress(body)), with_frontier)

    def _keep_cut(self, digest, full, with_frontier):
        """Make and keep the _Cut of the body `full` (a contract dict) digests to."""
        if not with_frontier and len(full["graph"]["nodes"]) <= frontier.lazy_nodes():
            return self._store_cut(digest, None, None)
        return self._store_cut(digest, *_first_cut(full))

    def _store_cut(self, digest, cut_at, first):
        """Keep a body's frontier and first cut (None for a graph sent whole); the cut on disk too."""
        if first is not None:
            self._disk.put(disk_cache.cut_key(digest, frontier.lazy_nodes()), first)
        return self._remember(digest, _Cut(cut_at, first))

    def _remember(self, digest, entry):
        with self._lock:
            known = self._cuts.get(digest)
            if known is not None and known.frontier is not None and entry.frontier is None:
                entry = known  # a frontier made meanwhile is kept
            self._cuts[digest] = entry
            while len(self._cuts) > CUTS_KEPT:
                self._cuts.popitem(last=False)
        return entry

    def tree(self, ctx, experiment, ref):
        """The scope tree of a graph, built from its body (so from the disk cache too) and kept."""
        body = self.body(ctx, experiment, ref)
        digest = hashlib.sha1(body).digest()
        with self._lock:
            found = self._trees.get(digest)
            if found is not None:
                self._trees.move_to_end(digest)
                return found
        built = tree.ScopeTree(bodies.loads(gzip.decompress(body)))
        with self._lock:
            self._trees[digest] = built
            while len(self._trees) > TREES_KEPT:
                self._trees.popitem(last=False)
        return built

    def op_details(self, ctx, experiment, ref, name):
        """One op's details (raises sources.NotFound, Unreadable, details.UnknownOp).

        Read from the graph's raw bytes, not from the body: so it works the same whether the
        body came from memory, from the disk cache or from a fresh analysis.
        """
        blob_key, version = sources.newest_graph(self._provider, ctx, experiment, ref)
        key = (experiment, ref, blob_key, version)  # as body(): a rewrite may keep the blob key
        with self._lock:
            index = self._indexes.get(key)
            if index is not None:
                self._indexes.move_to_end(key)
        if index is None:
            try:
                index = details.OpIndex(ref.source, self._provider.read_blob(ctx, blob_key=blob_key))
            except report.UnreadableGraph as err:
                raise Unreadable(str(err)) from None
            with self._lock:
                self._indexes[key] = index
                while len(self._indexes) > INDEXES_KEPT:
                    self._indexes.popitem(last=False)
        try:
            return index.details(name)
        except report.UnreadableGraph as err:
            raise Unreadable(str(err)) from None

    def states(self, experiment, refs):
        """Each graph's state: `ready` (a request answers at once), `analysing`, `waiting`, `unreadable`."""
        with self._lock:
            return [self._states.get((experiment, ref), "waiting") for ref in refs]

    def stages(self, experiment, refs):
        """Each graph's analysis stage (a report.STAGES name) while it is `analysing`, else None."""
        with self._lock:
            return [
                self._stages.get((experiment, ref))
                if self._states.get((experiment, ref)) == "analysing"
                else None
                for ref in refs
            ]

    def _set_state(self, experiment, ref, state):
        with self._lock:
            self._states[(experiment, ref)] = state
            self._stages.pop((experiment, ref), None)

    def _set_stage(self, experiment, ref, stage):
        with self._lock:
            self._stages[(experiment, ref)] = stage

    # --- ahead of time -------------------------------------------------------------

    def wake(self):
        """Make the background thread look for new graphs now (the tab has just asked for the runs)."""
        self._wake.set()

    def start_background(self):
        if os.environ.get(ENV_BACKGROUND, "1") == "0" or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._background, name="tb-scopes-analysis", daemon=True)
        self._thread.start()

    def _background(self):
        ctx = context.RequestContext()
        started, seen = time.monotonic(), False
        while True:
            try:
                for ref in sources.list_graphs(self._provider, ctx, EXPERIMENT):
                    seen = True
                    if self.states(EXPERIMENT, [ref])[0] in ("waiting", "ready"):
                        try:
                            body = self.body(ctx, EXPERIMENT, ref)  # a hit when nothing changed
                            if self.served(ctx, EXPERIMENT, ref) is not body:
                                self.frontier(ctx, EXPERIMENT, ref)  # sent cut: ready to cut again
                        except (sources.NotFound, Unreadable):
                            continue
            except Exception:  # the data server not up yet, a run removed mid-way: try again later
                logger.debug("background analysis pass failed", exc_info=True)
            starting = not seen and time.monotonic() - started < STARTUP_SECONDS
            self._wake.wait(STARTUP_POLL_SECONDS if starting else POLL_SECONDS)
            self._wake.clear()


def _encode(body):
    """A contract dict -> the gzipped JSON that Respond serves as it is.

    Level 1: the 15 MB body of 160k synthetic ops takes 0.07 s and 1.44 MB, level 6 took 0.31 s
    for 1.07 MB (2026-12-01): a quarter of a second off the cold path for a third more bytes.
    """
    return gzip.compress(bodies.dumps(body), compresslevel=1)


def _first_cut(full):
    """A contract dict -> (its frontier.Frontier, its gzipped body cut for the first view, or
    None when the graph is sent whole)."""
    cut_at = frontier.Frontier(full["graph"], full["variables"])
    if not cut_at.lazy:
        return cut_at, None
    return cut_at, _encode({**full, "graph": contract.cut_json(full["graph"], cut_at.cut())})


def _logged(finish, land):
    """A body finished in its own thread: a failure there is logged (its waiters analyse again)."""
    try:
        finish(land)
    except Exception:
        logger.exception("scopes plugin could not encode a graph's body")


def _once(run):
    """`run` made safe to call twice: the second call does nothing."""
    lock, done = threading.Lock(), []

    def call():
        with lock:
            if done:
                return
            done.append(True)
        run()

    return call
