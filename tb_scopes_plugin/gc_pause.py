"""Cyclic garbage collection paused while a graph is analysed: a third of the cold path's CPU time.

The analysis allocates a few Python objects per op (an `Op`, its input tuples, dict
entries) and frees almost none until it ends, so every generation-0 threshold crossing
(700 allocations) starts a collection that finds nothing, and the older generations are
traversed again and again as they fill with live ops. Paused, a 160k-op synthetic graph
(`benchmarks.analysis_speed`) took 4.7 s of CPU instead of 6.9 s (2026-12-01, min of 3
runs each, same minute). The analysis creates no reference cycles worth collecting early;
whatever it leaves is collected once the pause ends.
"""

import contextlib
import gc
import threading

_lock = threading.Lock()
_depth = 0  # pauses in progress (the background analysis and a request may overlap)
_was_enabled = True  # whether collection was on when the first pause began


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
