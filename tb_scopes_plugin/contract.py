"""The only place that knows the JSON key names of docs/contract.md.

In: `report.GraphReport`s and `sources.GraphRef`s. Out: plain dicts ready for json.dumps.
frontend/src/contract.ts mirrors these keys; tests/test_contract_mirror.py checks both agree.
"""

from .metadata import CONTRACT_VERSION
from .model import ROLES
from .report import STAGES


def runs_json(refs):
    """GraphRefs -> the `runs` route's body: runs sorted by name, each with its graphs."""
    runs = {}
    for ref in refs:
        runs.setdefault(ref.run, []).append(
            {
                "tag": ref.tag,  # tag to pass to the graph route
                "source": ref.source,  # run_graph / trace / keras_model
                "version": ref.version,  # opaque; changes when the graph the graph route serves changes
            }
        )
    return {
        "contract_version": CONTRACT_VERSION,
        "runs": [{"run": run, "graphs": graphs} for run, graphs in sorted(runs.items())],
    }


def status_json(refs, states, stages=None):
    """The `status` route's body: every graph and how far its analysis is."""
    stages = stages or [None] * len(refs)
    return {
        "contract_version": CONTRACT_VERSION,
        "graphs": [
            {
                "run": ref.run,
                "tag": ref.tag,
                "source": ref.source,
                "state": state,  # waiting / analysing / ready / unreadable
                **_stage_json(stage),
            }
            for ref, state, stage in zip(refs, states, stages, strict=True)
        ],
    }


_STAGES = {name: (label, done) for name, label, done in STAGES}


def _stage_json(stage):
    label, done = _STAGES.get(stage, (None, None))
    return {
        "stage": stage,  # while analysing: reading / analysing / findings / drawing / encoding; else null
        "stage_label": label,  # that stage in words ("resolving variable reads"); else null
        "progress": done,  # share of the work done when the stage started, 0..1; else null
    }


def graph_json(report, with_drawing=True, shapes_later=False):
    """A GraphReport -> the `graph` route's body (without drawing data for the CLI report).

    `shapes_later`: the edges' shapes are left to read when asked for (drawing.EdgeShapes, as
    `edge_shapes` with its growing `shape_names`); `resolve_shapes` reads them all before the
    body is encoded.
    """
    body = {
        "contract_version": CONTRACT_VERSION,
        "run": report.ref.run,
        "tag": report.ref.tag,
        "source": report.ref.source,
        "kind": report.kind,  # op_graph / keras_model
        "framework": report.framework,  # tensorflow / keras / pytorch
        "names": "derived" if report.names_derived else "real",  # derived: named after the ops that read them
        "variables": [variable_json(v, report.drawing.var_nodes[n]) for n, v in enumerate(report.variables)],
        "machinery": [machinery_json(v) for v in report.machinery],
        "findings": [finding_json(f) for f in report.findings],
        "warnings": warnings_json(report.warnings),
        "total_params": report.total_params,  # unique parameters of the model weights, each once
        "scopes": [
            {
                "name": scope,  # scope path, "" for the whole graph
                "params_owned": owned,  # params of variables created in this scope, each once
                "params_used": used,  # params of distinct variables read in this scope
            }
            for scope, owned, used in report.scopes
        ],
    }
    if with_drawing:
        d = report.drawing
        body["graph"] = {
            "nodes": d.nodes,  # drawn node names, "/"-separated scopes
            "ops": d.ops,  # per node, index into op_types
            "op_types": d.op_types,  # distinct op types (Keras: layer classes)
            "roles": d.roles,  # per node, index into role_names (pass ops of a backward pass: gradient)
            "role_names": list(ROLES),  # compute, pass, variable, machinery, gradient
            "edges": d.edges,  # flat src, dst pairs
            "edge_shapes": d.shapes if shapes_later else d.shapes.all(),  # per edge pair: into shape_names
            "shape_names": d.shapes.names,  # distinct shape texts, `[?, 4]`; the first is "" (unknown)
            "reads": d.reads,  # flat node, variable, reused triples
        }
        body["stats"] = {
            "ops_in_graph": d.stats["ops_in_graph"],  # ops in the logged graph, bodies inlined
            "nodes_drawn": d.stats["nodes_drawn"],  # len(graph.nodes)
            "helpers_folded": d.stats["helpers_folded"],  # ops folded into variables
        }
    return body


def resolve_shapes(body, between=None):
    """A body made with `shapes_later` -> every edge's shape read, as graph_json makes it at once
    (`between`: drawing.EdgeShapes.all's)."""
    graph = body.get("graph")
    if graph is not None and not isinstance(graph["edge_shapes"], list):
        graph["edge_shapes"] = graph["edge_shapes"].all(between)
        graph["shape_names"] = list(graph["shape_names"])


def cut_json(graph, cut):
    """A full body's `graph` cut at the open scopes (frontier.Cut) -> the `graph` of a cut body."""
    return {
        "nodes": cut.nodes,  # the open scopes' ops, then a stub per closed scope below them (its path)
        "ops": cut.ops,  # per node, index into op_types; a stub's is ""
        "op_types": cut.op_types,
        "roles": cut.roles,  # a stub's: machinery when the tab would set its scope aside, else compute
        "role_names": graph["role_names"],
        "edges": cut.edges,  # flat src, dst pairs, lifted to the stubs that hold their ends
        "edge_shapes": cut.edge_shapes,  # 0 (unknown) when a lifted edge's edges carry different shapes
        "shape_names": list(graph["shape_names"]),  # as read so far: every index the cut holds
        "reads": cut.reads,  # a stub reads every variable read below it, `reused` when any read is
        "ids": cut.ids,  # per node, its index in the whole graph (variables[].node); -1 for a stub
        "edge_counts": cut.edge_counts,  # per edge pair, how many edges of the whole graph it stands for
        "stubs": cut.stubs,  # flat node, ops below, stub_keys index triples: the closed scopes
        "stub_keys": cut.stub_keys,  # distinct structure keys of the stubs (series.py)
        "stub_levels": cut.stub_levels,  # per stub, how many levels of scopes below it hold ops
        "aside": cut.aside,  # per node, 1 when the tab sets it at the side, decided on the whole graph
    }


def drawing_json(ref, graph, cut):
    """The `drawing` route's body: one graph's drawing data cut at the scopes asked open."""
    return {
        "contract_version": CONTRACT_VERSION,
        "run": ref.run,
        "tag": ref.tag,
        "source": ref.source,
        "graph": cut_json(graph, cut),
    }


def variable_json(var, node):
    return {
        "name": var.name,  # dense/weights
        "aliases": var.var.aliases,  # other names: a traced graph's placeholder, a tied parameter's path
        "owner_scope": var.owner_scope,  # variable scope that created it
        "status": var.status,  # shared / unshared / unused
        "trainable": var.var.trainable,  # true / false; null when the graph does not say
        "shape": var.shape,  # ints, -1 unknown; null unknown
        "dtype": var.dtype,  # float32...; null unknown
        "params": var.params,  # element count; null unknown
        "node": node,  # index into graph.nodes, -1 when not drawn
        "findings": var.findings,  # indexes into findings
        "uses": [
            {
                "call_site": use.call_site,  # name scope of the reading ops
                "call": use.call,  # which call at that scope: 0, or 1, 2... when calls share one scope
                "status": use.status,  # created / reused
                "updated_only": use.updated_only,  # no op reads it here; machinery updates it
                "ops": use.ops,  # reading op names, sorted
            }
            for use in sorted(var.uses.values(), key=lambda u: (u.status != "created", u.call, u.first))
        ],
    }


def machinery_json(var):
    return {
        "name": var.name,  # optimizer slot, metric total, seed state...
        "kind": var.machinery,  # optimizer / metric / rng / summary
        "shape": var.shape,
        "dtype": var.dtype,
    }


def finding_json(finding):
    return {
        "kind": finding.kind,  # possible_missed_sharing / same_name_distinct_variables
        "confidence": finding.confidence,  # high / low
        "severity": finding.severity,  # bug / note, from findings.LABELS
        "label": finding.label,  # short title, from findings.LABELS
        "variables": finding.variables,  # names, sorted
        "message": finding.message,  # one sentence
        "evidence": finding.evidence,  # readable reasons
        "fix": finding.fix,  # what to change, in words; "" for notes
    }


def warnings_json(warnings):
    """Warnings of one kind are counted and summarised by their first message."""
    by_kind = {}
    for w in warnings:
        entry = by_kind.setdefault(w.kind, {"kind": w.kind, "count": 0, "message": w.message})
        entry["count"] += 1  # how many times this kind occurred
    return list(by_kind.values())


def report_json(logdir, reports, unreadable=()):
    """The `tb-scopes report --json` document."""
    return {
        "contract_version": CONTRACT_VERSION,
        "logdir": logdir,
        "graphs": [graph_json(r, with_drawing=False) for r in reports],
        "unreadable": list(unreadable),  # `run (tag): why`, one per graph that could not be read
    }


def node_json(ref, op):
    """The `node` route's body: one op's details (details.OpDetails)."""
    return {
        "contract_version": CONTRACT_VERSION,
        "run": ref.run,
        "tag": ref.tag,
        "source": ref.source,
        "name": op.name,  # the op's full name, as in graph.nodes
        "type": op.type,  # its op type (Keras: the layer class)
        "attrs": [
            {
                "key": key,  # attribute name (`T`, `transpose_a`; a Keras config key)
                "value": text,  # short text: `float32`, `false`, `[8, 4]`, `tensor float32 [1000, 10]`
            }
            for key, text in op.attrs
        ],
        "inputs": [
            {
                "name": name,  # the producing op's name (a helper such as `dense/weights/read` too)
                "port": port,  # which output of the producer
                "shape": shape,  # the shape it carries, `[?, 10]`; "" when the graph does not say
                "variable": var,  # the variable op it reads through pass-through ops (`/read`); "" if none
            }
            for name, port, shape, var in op.inputs
        ],
        "control_inputs": op.control_inputs,  # names of ops that must run first (TensorFlow's `^name`)
        "outputs": op.outputs,  # shape text of each output, by port; [] when the graph does not say
    }


def error_json(message):
    return {"error": message}  # one readable sentence, never a traceback
