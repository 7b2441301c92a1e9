"""Train every demo model for a few steps on synthetic data and log one TensorBoard run per model.

    python demo/train.py --logdir runs/demo [--steps N] [--only NAME[,NAME]] [--if-missing]

Run names are the PATTERNS keys of demo/tf1_models.py, the TF2 runs of demo/tf2_models.py
and the PyTorch runs of demo/torch_models.py.
Everything is synthetic and local: the demo never needs the network.
"""

import argparse
import os
import sys
import time

# Must be set before TensorFlow is imported, or its C++ start-up chatter floods the terminal.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# The oneDNN notice is printed before the log level applies; the demo's tiny models gain nothing from it.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

# Run as a script (`python demo/train.py`), the repo root is not on sys.path; the builders live in `demo`.
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

DEFAULT_STEPS = 150
TF2_RUNS = ("keras_shared_layer", "traced_function", "auto_reuse_trap")
TORCH_RUNS = ("pytorch_shared", "pytorch_deepcopy_bug")


def tf1_run_names():
    # Kept in step with demo/tf1_models.PATTERNS without importing TensorFlow (slow) for --if-missing.
    import ast

    with open(os.path.join(ROOT, "demo", "tf1_models.py"), encoding="utf-8") as f:
        tree = ast.parse(f.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "PATTERNS" for t in node.targets):
            return [k.value for k in node.value.keys]
    raise RuntimeError("demo/tf1_models.py has no PATTERNS dict")


def all_run_names():
    return [*tf1_run_names(), *TF2_RUNS, *TORCH_RUNS]


def has_events(run_dir):
    """True when run_dir (or a sub-folder, as the Keras callback writes logdir/train) holds an event file."""
    for _, _, files in os.walk(run_dir):
        if any(name.startswith("events.out.tfevents.") for name in files):
            return True
    return False


def missing_runs(logdir, names=None):
    return [n for n in (names or all_run_names()) if not has_events(os.path.join(logdir, n))]


class Progress:
    """A plain-text progress bar on stdout (no tqdm: the demo should need nothing beyond TensorFlow)."""

    def __init__(self, total, width=30):
        self.total, self.width, self.done = max(total, 1), width, 0
        self.tty = sys.stdout.isatty()

    def show(self, label, final=False):
        # In a pipe or a log file print one line per finished step only; on a terminal redraw one line.
        if not self.tty and not final:
            return
        filled = int(self.width * self.done / self.total)
        bar = "#" * filled + "-" * (self.width - filled)
        line = f"[{bar}] {self.done:>2}/{self.total} {label}"
        if self.tty:
            sys.stdout.write("\r" + line.ljust(78))
            sys.stdout.flush()
        else:
            print(line, flush=True)

    def step(self, label):
        self.done += 1
        self.show(label, final=True)

    def close(self):
        if self.tty:
            sys.stdout.write("\n")


def train_tf1(name, builder, run_dir, steps, seed=0):
    """Build one TF1 pattern in its own graph, train it, log its graph and its `loss` scalar."""
    import numpy as np
    import tensorflow as tf

    v1 = tf.compat.v1
    graph = tf.Graph()
    with graph.as_default():
        v1.set_random_seed(seed)
        built = builder()
        init = v1.global_variables_initializer()
        # FileWriter refuses to run eagerly: open it inside the graph it logs.
        writer = v1.summary.FileWriter(run_dir, graph)
    rng = np.random.default_rng(seed)
    loss = None
    with v1.Session(graph=graph) as sess:
        sess.run(init)
        for step in range(steps):
            loss, _ = sess.run([built.loss, built.train_op], feed_dict=built.feed(rng))
            summary = v1.Summary(value=[v1.Summary.Value(tag="loss", simple_value=float(loss))])
            writer.add_summary(summary, step)
    writer.flush()
    writer.close()
    return float(loss) if loss is not None else None


def train_tf2(name, run_dir, steps):
    from demo import tf2_models

    if name == "keras_shared_layer":
        # One epoch is 4 batches: a tenth of the TF1 step count keeps the run short but the curve visible.
        losses = tf2_models.keras_shared_layer(run_dir, epochs=max(1, steps // 10))
    elif name == "auto_reuse_trap":
        losses = tf2_models.auto_reuse_trap(run_dir, steps=max(1, steps // 5))
    else:
        losses = tf2_models.traced_function(run_dir, steps=max(1, steps // 5))
    return losses[-1] if losses else None


def train_torch(name, run_dir, steps):
    from demo import torch_models

    losses = torch_models.train(run_dir, copied=name == "pytorch_deepcopy_bug", steps=max(1, steps // 5))
    return losses[-1] if losses else None


def commands(logdir):
    return [
        f"tensorboard --logdir {logdir}",
        f"tb-scopes report {logdir}",
        f"tb-scopes lint {logdir}",
    ]


def print_next(logdir):
    run, report, lint = commands(logdir)
    print("\nNext, open the Scopes tab:")
    print(f"  {run}")
    print("or read the same findings in the terminal:")
    print(f"  {report}")
    print(f"  {lint}")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logdir", default="runs/demo", help="where to write the runs (default runs/demo)")
    parser.add_argument(
        "--steps", type=int, default=DEFAULT_STEPS, help=f"TF1 training steps ({DEFAULT_STEPS})"
    )
    parser.add_argument("--only", default="", help="comma-separated run names to train (default: all)")
    parser.add_argument(
        "--if-missing", action="store_true", help="do nothing when the logdir already holds the demo runs"
    )
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    names = all_run_names()
    if args.only:
        wanted = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = sorted(set(wanted) - set(names))
        if unknown:
            print(f"unknown run(s): {', '.join(unknown)}; known: {', '.join(names)}", file=sys.stderr)
            return 2
        names = [n for n in names if n in wanted]
    if args.if_missing and not missing_runs(args.logdir, names):
        print(f"{args.logdir} already holds the demo runs; nothing to train.")
        print_next(args.logdir)
        return 0

    started = time.time()
    print(f"Training {len(names)} demo model(s) into {args.logdir} ...", flush=True)
    progress = Progress(len(names))
    progress.show("importing TensorFlow")
    # Imported late so that --if-missing and --help answer without the multi-second TensorFlow import.
    from demo import tf1_models

    final = {}
    for name in names:
        progress.show(name)
        run_dir = os.path.join(args.logdir, name)
        if name in tf1_models.PATTERNS:
            final[name] = train_tf1(name, tf1_models.PATTERNS[name], run_dir, args.steps, args.seed)
        elif name in TORCH_RUNS:
            final[name] = train_torch(name, run_dir, args.steps)
        else:
            final[name] = train_tf2(name, run_dir, args.steps)
        progress.step(name)
    progress.close()

    print(f"Done in {time.time() - started:.0f} s. Final loss per run:")
    for name, loss in final.items():
        print(f"  {name:<22} {loss:.4f}" if loss is not None else f"  {name:<22} -")
    print_next(args.logdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
