"""How long the plugin's pipeline takes on large graphs, stage by stage, and how big the answer is.

    python -m benchmarks.analysis_speed [--ops 10000 50000 160000] [--events FILE]

Prints one row per graph size: parse, analyse, draw, JSON encode (seconds) and the
JSON body's size, i.e. what the `graph` route does on a cache miss, with garbage collection
paused as the route pauses it. `cpu` is the process's CPU time for the whole row: on a shared
machine it varies far less than the wall-clock columns. Of it, `sys` is the kernel's, nearly all
of it first touches of new memory (`faults`, minor page faults, in thousands): on a virtual
machine each can cost 10 µs or more. `--events` adds a row for the run graph of a real event
file (the one `benchmarks.side_by_side --logdir` writes, for instance).
"""

import argparse
import itertools
import resource
import time

from benchmarks.synthetic import layered_graph
from tb_scopes_plugin import analysis, bodies, contract, drawing, findings, gc_pause, params, report, sources
from tb_scopes_plugin.adapters import tf_graphdef


def measure(target_ops):
    layers = 10
    blocks = max(1, target_ops // (layers * 10))  # 11 ops per owning layer, 4 per reusing one: ~10
    data = layered_graph(blocks=blocks, layers=layers).SerializeToString()
    with gc_pause.paused():
        return _stages(data)


def measure_events(path):
    """The same row for the first run graph (a GraphDef) in an event file."""
    from tensorboard.backend.event_processing import event_file_loader

    for event in event_file_loader.LegacyEventFileLoader(path).Load():
        if event.HasField("graph_def"):
            with gc_pause.paused():
                return _stages(event.graph_def)
    raise SystemExit(f"{path} holds no run graph")


def _stages(data):
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    c0 = time.process_time()
    t0 = time.perf_counter()
    model = tf_graphdef.load_graph_def(data)
    t1 = time.perf_counter()
    result = analysis.analyse(model)
    found = findings.run(model, result)
    t2 = time.perf_counter()
    draw = drawing.draw(model, result)
    t3 = time.perf_counter()
    ref = sources.GraphRef("bench", "__run_graph__", "run_graph", "graphs")
    rep = report.GraphReport(
        ref, model.kind, model.framework, model.names_derived, result.variables, result.machinery,
        found, params.scope_params(result.variables), draw, model.warnings,
    )  # fmt: skip
    body = bodies.dumps(contract.graph_json(rep))  # as graphs.py encodes it
    t4 = time.perf_counter()
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "ops": len(model.ops),
        "variables": len(result.variables),
        "parse_s": t1 - t0,
        "analyse_s": t2 - t1,
        "draw_s": t3 - t2,
        "json_s": t4 - t3,
        "total_s": t4 - t0,
        "cpu_s": time.process_time() - c0,
        "sys_s": r1.ru_stime - r0.ru_stime,
        "faults": r1.ru_minflt - r0.ru_minflt,
        "json_mb": len(body) / 1e6,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, nargs="+", help="synthetic sizes (default 10000 50000 160000)")
    parser.add_argument("--events", nargs="*", default=[], help="event files whose run graph to time too")
    args = parser.parse_args()
    print(
        f"{'ops':>8} {'vars':>6} {'parse':>7} {'analyse':>8} {'draw':>6} {'json':>6} "
        f"{'total':>7} {'cpu':>6} {'sys':>5} {'faults':>7} {'MB':>6}"
    )
    sizes = args.ops if args.ops is not None else [] if args.events else [10_000, 50_000, 160_000]
    for m in itertools.chain(map(measure, sizes), map(measure_events, args.events)):
        print(
            f"{m['ops']:>8} {m['variables']:>6} {m['parse_s']:>7.2f} {m['analyse_s']:>8.2f} "
            f"{m['draw_s']:>6.2f} {m['json_s']:>6.2f} {m['total_s']:>7.2f} {m['cpu_s']:>6.2f} "
            f"{m['sys_s']:>5.2f} {m['faults'] / 1000:>6.0f}k {m['json_mb']:>6.1f}"
        )


if __name__ == "__main__":
    main()
