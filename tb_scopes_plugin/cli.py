"""`tb-scopes report` and `tb-scopes lint`: the plugin's pipeline over a logdir, in a terminal or a CI job.

Loads the logdir with TensorBoard's own loading code (the event multiplexer behind
`--load_fast=false`) and its data provider, then runs the same steps as the plugin.
Exit codes: 0 fine, 1 `lint` found a high-confidence missed sharing, 2 bad logdir.
"""

import argparse
import json
import logging
import os
import sys

# TensorBoard imports TensorFlow when it is installed; keep its C++ start-up chatter off the report.
# The oneDNN notice ignores the log level; the CLI does no TensorFlow maths, so oneDNN off costs nothing.
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
            reports.append(report.build_report(ref, data))
        except (sources.NotFound, report.UnreadableGraph) as err:
            problems.append(f"{ref.run} ({ref.tag}): {err}")
    return reports, problems


def format_text(reports, problems):
    lines = []
    for r in reports:
        counts = {s: sum(v.status == s for v in r.variables) for s in ("shared", "unshared", "unused")}
        lines.append(f"== {r.ref.run}  [{r.ref.source}, tag {r.ref.tag}]")
        lines.append(
            f"   {len(r.variables)} variables: {counts['shared']} shared, {counts['unshared']} unshared, "
            f"{counts['unused']} unused; {len(r.findings)} findings"
        )
        for v in r.variables:
            shape = "?" if v.shape is None else "x".join(str(d) for d in v.shape) or "scalar"
            lines.append(
                f"   {v.status:<8} {v.name}  ({shape} {v.dtype or '?'}, owner scope {v.owner_scope or '/'})"
            )
            for use in sorted(v.uses.values(), key=lambda u: (u.status != "created", u.first)):
                lines.append(f"            {use.status:<7} at {use.call_site or '/'}  ({len(use.ops)} ops)")
        lines += _format_findings(r)
        lines.append("")
    lines += [f"could not read {p}" for p in problems]
    return "\n".join(lines)


def _format_findings(r):
    lines = []
    for f in r.findings:
        lines.append(f"   [{f.confidence}] possible missed sharing: {f.message}")
        lines += [f"          - {e}" for e in f.evidence]
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(prog="tb-scopes", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="variables, their scopes, uses and findings for every graph")
    rep.add_argument("logdir")
    rep.add_argument("--run", help="only this run")
    rep.add_argument("--json", action="store_true", help="one JSON document (docs/contract.md)")
    lint = sub.add_parser("lint", help="exit 1 when a high-confidence missed sharing is found")
    lint.add_argument("logdir")
    lint.add_argument("--run", help="only this run")
    args = parser.parse_args(argv)
    try:
        reports, problems = load_reports(args.logdir, args.run)
    except BadLogdir as err:
        print(f"tb-scopes: {err}", file=sys.stderr)
        return 2
    if args.command == "report":
        if args.json:
            print(json.dumps(contract.report_json(args.logdir, reports), indent=1))
        else:
            print(format_text(reports, problems))
        return 0
    high = [(r, f) for r in reports for f in r.findings if f.confidence == "high"]
    for r in reports:
        for f in r.findings:
            print(f"{r.ref.run}: [{f.confidence}] {f.message}")
    for p in problems:
        print(f"could not read {p}")
    print(f"{len(high)} high-confidence finding(s) in {len(reports)} graph(s)")
    return 1 if high else 0


if __name__ == "__main__":
    sys.exit(main())
