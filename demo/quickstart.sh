#!/usr/bin/env bash
# One-line demo: train the demo models into runs/demo (only when missing), then open TensorBoard.
#   pip install ".[demo]" && bash demo/quickstart.sh
# Env: LOGDIR (default runs/demo), PORT (default 6006), PYTHON (default python3 / python).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LOGDIR="${LOGDIR:-runs/demo}"
PORT="${PORT:-6006}"
PYTHON="${PYTHON:-$(command -v python3 || command -v python)}"

# --if-missing makes a second run of this script start TensorBoard at once instead of retraining.
"$PYTHON" "$HERE/train.py" --logdir "$LOGDIR" --if-missing

echo
echo "Starting TensorBoard on http://localhost:$PORT/#scopes (Ctrl+C to stop)"
# exec so that Ctrl+C reaches TensorBoard directly; call it through the same Python that trained.
exec "$PYTHON" -m tensorboard.main --logdir "$LOGDIR" --port "$PORT"
