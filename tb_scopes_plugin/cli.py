"""`tb-scopes report` and `tb-scopes lint`: the plugin's pipeline over a logdir, in a terminal or a CI job.

Loads the logdir with TensorBoard's own loading code (the event multiplexer behind
`--load_fast=false`) and its data provider, then runs the same steps as the plugin.
Exit codes: 0 fine, 1 `lint` found a high-confidence finding (a bug), 2 bad logdir or a graph
that could not be read (one line on stderr each): a CI job must not pass on a graph it never checked.
"""

import argparse
import json
import logging
import os
import sys
import types

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

from tensorboard import context
from tensorboard.backend.event_processing import data_provider, plugin_event_multiplexer

from . import contract, report, sources

EXPERIMENT = ""  # the multiplexer's provider serves a single experiment with an empty id


class BadLogdir(Exception):
    pass


def load_reports(logdir, run=None):
    if not os.path.isdir(logdir):
        raise BadLogdir(f"{logdir} is not a directory")
    logging.getLogger("tensorboard").setLevel(logging.ERROR)
    multiplexer = plugin_event_multiplexer.EventMultiplexer(max_reload_threads=2)
    multiplexer.AddRunsFromDirectory(logdir)
    multiplexer.Reload()
    provider = data_provider.MultiplexerDataProvider(multiplexer, logdir)
    ctx = context.RequestContext()
    refs = [r for r in sources.list_graphs(provider, ctx, EXPERIMENT) if run is None or r.run == run]
    if not refs:
        raise BadLogdir(f"no graph{' in run ' + repr(run) if run else ''} found under {logdir}")
    reports, problems = [], []
    for ref in refs:
        try:
            _, data = sources.read_graph(provider, ctx, EXPERIMENT, ref)
            _, names = sources.read_variable_names(provider, ctx, EXPERIMENT, ref.run)
            reports.append(report.build_report(ref, data, names))
        except (sources.NotFound, report.UnreadableGraph) as err:
            problems.append(f"{ref.run} ({ref.tag}): {err}")
    return reports, problems


def format_text(reports):
    lines = []
    for r in reports:
        counts = {s: sum(v.status == s for v in r.variables) for s in ("shared", "unshared", "unused")}
        lines.append(f"== {r.ref.run}  [{r.ref.source}, tag {r.ref.tag}]")
        # As the tab's variables panel says it: a total that leaves some sizes out says so.
        unknown = sum(v.params is None for v in r.variables)
        sizes = f"{r.total_params:,} parameters" + (f", {unknown:,} of unknown size" if unknown else "")
        lines.append(
            f"   {len(r.variables)} variables ({sizes}): {counts['shared']} shared, "
            f"{counts['unshared']} unshared, {counts['unused']} unused; {len(r.findings)} findings"
            + (f"; {len(r.machinery)} machinery variables not listed" if r.machinery else "")
        )
        lines += [f"   warning: {w['message']}" + _times(w) for w in contract.warnings_json(r.warnings)]
        for v in r.variables:
            dims = None if v.shape is None else [str(d) if d >= 0 else "?" for d in v.shape]  # -1: unknown
            shape = "?" if dims is None else "x".join(dims) or "scalar"
            lines.append(
                f"   {v.status:<8} {v.name}  ({shape} {v.dtype or '?'}, owner scope {v.owner_scope or '/'})"
            )
            for key, use in sorted(v.uses.items(), key=lambda kv: (kv[1].status != "created", kv[1].first)):
                lines.append(f"            {use.status:<7} at {key or '/'}  ({len(use.ops)} ops)")
        lines += [line for f in r.findings for line in _format_finding(f, "   ")]
        lines.append("")
    return "\n".join(lines)


def _say_unreadable(problems):
    for p in problems:
        print(f"tb-scopes: could not read {p}", file=sys.stderr)


def _times(warning):
    return f" ({warning['count']} times)" if warning["count"] > 1 else ""


def _format_finding(f, indent):
    lines = [f"{indent}[{f.confidence}] {f.label}: {f.message}"]
    lines += [f"{indent}       - {e}" for e in f.evidence]
    if f.fix:
        lines.append(f"{indent}       fix: {f.fix}")
    return lines


def lint(reports, problems, show_all, as_json):
    """Print the bugs (every finding with --all); exit 1 when there is a bug, else 2 when a graph
    could not be read (a late `trace_on` leaves a trace with no step in it), else 0."""
    bugs = [(r, f) for r in reports for f in r.findings if f.severity == "bug"]
    shown = [(r, f) for r in reports for f in r.findings if show_all or f.severity == "bug"]
    if as_json:
        doc = {
            "graphs": len(reports),
            "bugs": len(bugs),
            "findings": [dict(run=r.ref.run, tag=r.ref.tag, **contract.finding_json(f)) for r, f in shown],
            "unreadable": problems,
        }
        print(json.dumps(doc, indent=1))
    else:
        for r, f in shown:
            lines = _format_finding(f, "")
            print(f"{r.ref.run}: " + "\n".join(lines))
        notes = sum(f.severity != "bug" for r in reports for f in r.findings)
        hidden = f"; {_count(notes, 'note')} not shown (--all)" if notes and not show_all else ""
        print(f"{_count(len(bugs), 'high-confidence finding')} in {_count(len(reports), 'graph')}{hidden}")
    _say_unreadable(problems)
    return 1 if bugs else 2 if problems else 0


def _without_tensorflow(argv):
    """Make TensorBoard read event files with its own TensorFlow stub, for a local logdir.

    TensorBoard imports TensorFlow when it is installed, which costs seconds and prints C++
    start-up notices (CUDA, oneDNN) that ignore TF_CPP_MIN_LOG_LEVEL. A `tensorboard.compat.notf`
    module selects the stub (tensorboard/compat/__init__.py, the //tensorboard/compat:no_tensorflow
    target). Remote logdirs (gs://, s3://) keep TensorFlow's file systems. Only the console
    script does this: a Python process that imports this module keeps its TensorFlow.
    """
    if not any("://" in arg for arg in argv):
        sys.modules.setdefault("tensorboard.compat.notf", types.ModuleType("tensorboard.compat.notf"))


def main(argv=None):
    try:
        return _main(argv)
    except BrokenPipeError:
        # `tb-scopes report logs | head` closes the pipe early: no traceback for that. Python's
        # own recipe (docs.python.org, "Note on SIGPIPE"): send the rest of the output nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _main(argv):
    _without_tensorflow(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="tb-scopes", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="variables, their scopes, uses and findings for every graph")
    rep.add_argument("logdir")
    rep.add_argument("--run", help="only this run")
    rep.add_argument("--json", action="store_true", help="one JSON document (docs/contract.md)")
    lint_cmd = sub.add_parser("lint", help="exit 1 when a high-confidence finding (a bug) is found")
    lint_cmd.add_argument("logdir")
    lint_cmd.add_argument("--run", help="only this run")
    lint_cmd.add_argument("--all", action="store_true", help="also print low-confidence notes")
    lint_cmd.add_argument("--json", action="store_true", help="one JSON document of the findings")
    args = parser.parse_args(argv)
    try:
        reports, problems = load_reports(args.logdir, args.run)
    except BadLogdir as err:
        print(f"tb-scopes: {err}", file=sys.stderr)
        return 2
    if args.command == "report":
        if args.json:
            print(json.dumps(contract.report_json(args.logdir, reports, problems), indent=1))
        else:
            print(format_text(reports))
        _say_unreadable(problems)
        return 2 if problems else 0
    return lint(reports, problems, args.all, args.json)


def _count(n, word):
    """`1 graph`, `2 graphs`."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


if __name__ == "__main__":
    sys.exit(main())
