"""Requests first: background work steps aside while a route answers, never for long, never for itself."""

import threading
import time

from tb_scopes_plugin import contract, drawing, foreground, report, sources
from tests import logdirs


def _held_request(release, waits=False):
    """A thread answering a request until `release` is set (waiting for background work if `waits`)."""
    started = threading.Event()

    def answer():
        with foreground.serving():
            started.set()
            if waits:
                with foreground.waiting():
                    release.wait(30)
            else:
                release.wait(30)

    thread = threading.Thread(target=answer)
    thread.start()
    started.wait(10)
    return thread


def _step_aside_in_background(limit=foreground.MAX_PAUSE_SECONDS):
    """step_aside in a thread of its own; the Event is set once it returns."""
    done = threading.Event()
    thread = threading.Thread(target=lambda: (foreground.step_aside(limit), done.set()))
    thread.start()
    return done


def test_background_work_waits_while_a_request_is_answered_then_goes_on():
    release = threading.Event()
    request = _held_request(release)
    done = _step_aside_in_background()
    assert not done.wait(0.3)  # the request is still being answered
    release.set()
    request.join(10)
    assert done.wait(5)
    assert foreground.answering() == 0


def test_with_no_request_it_goes_on_at_once():
    start = time.monotonic()
    foreground.step_aside()
    assert time.monotonic() - start < 0.1


def test_a_request_never_waits_for_itself():
    with foreground.serving():
        start = time.monotonic()
        foreground.step_aside()  # an analysis a request runs in its own thread calls this too
        assert time.monotonic() - start < 0.1


def test_a_request_waiting_for_background_work_does_not_hold_it_back():
    release = threading.Event()
    request = _held_request(release, waits=True)
    try:
        assert _step_aside_in_background().wait(1)
    finally:
        release.set()
        request.join(10)


def test_the_wait_is_bounded():
    release = threading.Event()
    request = _held_request(release)
    try:
        start = time.monotonic()
        assert _step_aside_in_background(limit=0.3).wait(5)
        assert 0.25 <= time.monotonic() - start < 3
    finally:
        release.set()
        request.join(10)


def test_the_encoding_reads_edge_shapes_a_chunk_at_a_time(monkeypatch):
    """`between` runs between chunks, and the edges read in chunks are those read at once."""
    data = logdirs.build_four_towers().as_graph_def(add_shapes=True).SerializeToString()
    ref = sources.GraphRef("run", "__run_graph__", "run_graph", "graphs")
    at_once = contract.graph_json(report.build_report(ref, data))["graph"]
    monkeypatch.setattr(drawing, "CHUNK", 16)
    later = contract.graph_json(report.build_report(ref, data), shapes_later=True)
    calls = []
    contract.resolve_shapes(later, lambda: calls.append(1))
    edges = len(at_once["edge_shapes"])
    assert edges > 64 and any(at_once["edge_shapes"]) and len(calls) == (edges - 1) // 16
    graph = later["graph"]
    assert [graph["shape_names"][s] for s in graph["edge_shapes"]] == [
        at_once["shape_names"][s] for s in at_once["edge_shapes"]
    ]
