"""Raw graph bytes of one GraphRef -> a GraphReport: the analysis, its findings and its drawing.

The processing steps, in order, for both the plugin routes and the CLI:

    model = adapters.load(source, data)     # any format -> ops with roles, variables
    naming.apply(model, names)              # real names logged with tb_scopes_plugin.summary
    result = analysis.analyse(model)        # uses by call site; created / reused; statuses
    found = findings.run(model, result)     # every rule, in order; kind x confidence
    drawn = drawing.draw(model, result)     # what the tab draws
"""

from dataclasses import dataclass

from . import adapters, analysis, drawing, findings, gc_pause, naming, params

UnreadableGraph = adapters.Unreadable


@dataclass
class GraphReport:
    ref: object  # sources.GraphRef
    kind: str  # op_graph / keras_model
    framework: str  # tensorflow / keras / pytorch
    names_derived: bool  # variable names derived from their readers (a TF2 graph without real names)
    variables: list  # analysis.VariableReport of model weights, sorted by name
    machinery: list  # model.Variable of machinery state (optimizer slots, metrics, seeds)
    findings: list  # findings.Finding
    scopes: list  # (scope, params_owned, params_used)
    drawing: drawing.Drawing
    warnings: list  # model.Warning: what could not be read, or read only in part

    @property
    def total_params(self):
        """Unique parameters of the model weights: a shared weight counts once."""
        return sum(v.params or 0 for v in self.variables)


# The stages of build_report, each with the share of the time it took on a 160k-op graph
# (`python -m benchmarks.analysis_speed`, docs/benchmarks.md, 2026-12-01): what the tab shows while a
# large graph is being analysed, so that progress is a stage and a percentage, not a spinner.
STAGES = (
    ("reading", "reading the graph", 0.0),
    ("analysing", "resolving variable reads", 0.56),
    ("findings", "checking for missed sharing", 0.68),
    ("drawing", "preparing the drawing", 0.76),
    ("encoding", "writing the answer", 0.84),  # graphs.py: JSON and gzip, after build_report
)


def build_report(ref, data, names=None, progress=None):
    """`names`: records logged with tb_scopes_plugin.summary for the run, if any.

    `progress(stage)`, when given, is called with each name of STAGES as it starts.
    """
    with gc_pause.paused():
        return _build(ref, data, names, progress)


def _build(ref, data, names, progress):
    step = progress or (lambda stage: None)
    step("reading")
    model = adapters.load(ref.source, data)
    naming.apply(model, names)
    step("analysing")
    result = analysis.analyse(model)
    step("findings")
    found = findings.run(model, result)
    step("drawing")
    drawn = drawing.draw(model, result)
    return GraphReport(
        ref,
        model.kind,
        model.framework,
        model.names_derived,
        result.variables,
        result.machinery,
        found,
        params.scope_params(result.variables),
        drawn,
        model.warnings,
    )
