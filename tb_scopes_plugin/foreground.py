"""Requests first: work in the background steps aside while a route is answering.

Two kinds of work run outside any request: the analysis ahead of time (graphs.py's background
thread) and, for a graph sent cut, the encoding of its whole body once the cut is sent. Both
hold the interpreter between short pauses, and a request answered meanwhile got it only in
turns of `sys.getswitchinterval()` (5 ms): opening a scope right after a cold load waited for
the body's encoding, then shared the interpreter with it, and took 0.12-0.42 s instead of
0.09 s (150,047-op graph, benchmarks/side_by_side.py's member expand, 2026-12-07).

    with foreground.serving():        # around a route's answer (plugin.py)
        ...
        with foreground.waiting():    # around its wait for work in the background (a flight)
            flight.wait()
    foreground.step_aside()           # in background work, between two steps

A request's own thread never steps aside, and a wait is bounded, so background work is only
ever delayed, never stopped.
"""

import contextlib
import threading

MAX_PAUSE_SECONDS = 2.0  # the longest one step_aside waits: work in the background never starves

_turn = threading.Condition()
_answering = 0  # requests being answered, not counting those waiting for work in the background
_local = threading.local()  # .serving: how deep in `serving` this thread is


@contextlib.contextmanager
def serving():
    """Around a request's answer: background work steps aside until it is out."""
    _local.serving = getattr(_local, "serving", 0) + 1
    _count(+1)
    try:
        yield
    finally:
        _count(-1)
        _local.serving -= 1


@contextlib.contextmanager
def waiting():
    """Around a request's wait for work in the background, which must not step aside for it."""
    if not getattr(_local, "serving", 0):
        yield
        return
    _count(-1)
    try:
        yield
    finally:
        _count(+1)


def step_aside(limit=MAX_PAUSE_SECONDS):
    """Wait while a request is being answered, at most `limit` seconds; at once in a request's thread."""
    if getattr(_local, "serving", 0):
        return
    with _turn:
        _turn.wait_for(lambda: _answering == 0, timeout=limit)


def answering():
    """How many requests are being answered now (tests)."""
    return _answering


def _count(delta):
    global _answering
    with _turn:
        _answering += delta
        if _answering == 0:
            _turn.notify_all()
