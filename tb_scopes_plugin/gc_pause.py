"""Cyclic garbage collection paused while a graph is analysed: a third of the cold path's CPU time.

The analysis allocates a few Python objects per op (an `Op`, its input tuples, dict
entries) and frees almost none until it ends, so every generation-0 threshold crossing
(700 allocations) starts a collection that finds nothing, and the older generations are
traversed again and again as they fill with live ops. Paused, a 160k-op synthetic graph
(`benchmarks.analysis_speed`) took 4.7 s of CPU instead of 6.9 s (2026-12-01, min of 3
runs each, same minute). The analysis creates no reference cycles worth collecting early;
whatever it leaves is collected once the pause ends.

`freeze_host()` takes what the `tensorboard` command holds when it loads the plugin out of all
later collections (see its docstring; plugin.py calls it only in that command, never when
TensorBoard runs inside another program).
"""

import contextlib
import gc
import threading

_lock = threading.Lock()
_depth = 0  # pauses in progress (the background analysis and a request may overlap)
_was_enabled = True  # whether collection was on when the first pause began
_frozen = False  # whether freeze_host has run in this process


@contextlib.contextmanager
def paused():
    """Collection off inside the block; back on when the last overlapping pause ends."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()


def freeze_host():
    """Once per process: collect, then move every object alive into the collector's permanent
    generation (`gc.freeze`), so that no later collection walks them again.

    When TensorBoard loads the plugin it holds TensorFlow's modules and its own, 342k objects
    that live as long as the process. Every full collection walked them all: 0.2-0.28 s, with
    the interpreter held, one after each analysis and more as requests came. One landed on the
    tab's first `drawing` request after a cold load and took it from 0.03 s to 0.27 s
    (150,047-op graph, benchmarks/side_by_side.py's member expand, gc.callbacks timings,
    2026-12-07). Frozen objects are still freed when their last reference goes; only a cycle
    among them would never be, and what a process holds at startup is modules and their
    state, not such garbage.
    """
    global _frozen
    with _lock:
        if _frozen:
            return
        _frozen = True
    gc.collect()  # what is already garbage is not frozen with the rest
    gc.freeze()
