"""Analysed graph responses on disk, so that a restarted TensorBoard does not analyse them again.

In: a key made from the graph's bytes, the logged names and the engine's own code; the
gzipped JSON body. Out: the body, when a run of any process stored it before.

- Keys are content hashes, not the data provider's blob keys (those name a position in a
  run, and a rewritten run keeps them), and include a hash of this package's source, so a
  new version of the analysis never serves an old answer.
- Writes go to a temporary file renamed into place (atomic on POSIX), so concurrent
  TensorBoards and CLI runs never see half a file.
- The directory is bounded in bytes: the least recently used entries go first (reads touch
  their file's mtime).
"""

import hashlib
import os
import pathlib
import tempfile
import threading

# Plenty for dozens of 160k-op graphs (a few MB gzipped each), small next to a logdir.
DEFAULT_MAX_BYTES = 1024 * 1024 * 1024
ENV_DIR = "TB_SCOPES_CACHE_DIR"  # where to keep it; "off" turns it off


def default_directory():
    configured = os.environ.get(ENV_DIR)
    if configured:
        return None if configured == "off" else pathlib.Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return pathlib.Path(base) / "tb-scopes"


def _engine_id():
    """A hash of this package's Python source: any change to the analysis changes every key."""
    digest = hashlib.sha256()
    here = pathlib.Path(__file__).parent
    for path in sorted(here.rglob("*.py")):
        digest.update(path.relative_to(here).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


ENGINE_ID = _engine_id()


def content_key(source, data, names):
    digest = hashlib.sha256(ENGINE_ID.encode())
    digest.update(source.encode())
    digest.update(hashlib.sha256(data).digest())
    digest.update(repr(sorted((names or {}).items())).encode())
    return digest.hexdigest()


def cut_key(body_digest, lazy_nodes):
    """The key of a body's first cut (frontier.py), for a bound of `lazy_nodes` drawn nodes."""
    digest = hashlib.sha256(ENGINE_ID.encode())
    digest.update(b"cut")
    digest.update(body_digest)
    digest.update(str(lazy_nodes).encode())
    return digest.hexdigest()


class DiskCache:
    def __init__(self, directory=None, max_bytes=DEFAULT_MAX_BYTES):
        self.directory = pathlib.Path(directory) if directory else default_directory()
        self.max_bytes = max_bytes
        self._lock = threading.Lock()

    def _path(self, key):
        return self.directory / key[:2] / f"{key}.json.gz"

    def get(self, key):
        if self.directory is None:
            return None
        path = self._path(key)
        try:
            body = path.read_bytes()
            os.utime(path)  # recently used
            return body
        except OSError:
            return None

    def put(self, key, body):
        """Store a body; failures (a read-only disk, a full disk) only cost the next restart time."""
        if self.directory is None or len(body) > self.max_bytes:
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                f.write(body)
            os.replace(tmp, path)
        except OSError:
            return
        with self._lock:
            self._prune()

    def _prune(self):
        entries = []
        for path in self.directory.glob("*/*.json.gz"):
            try:
                stat = path.stat()
            except OSError:
                continue  # another process pruned it
            entries.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries):
            if total <= self.max_bytes:
                break
            try:
                path.unlink()
                total -= size
            except OSError:
                continue
