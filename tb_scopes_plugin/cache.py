"""A small LRU cache of serialized graph responses, bounded by total bytes."""

import collections
import threading

# Large enough for a few 160k-op graphs (a few MB of JSON each), small next to TensorBoard itself.
DEFAULT_MAX_BYTES = 256 * 1024 * 1024


class ByteBoundedCache:
    def __init__(self, max_bytes=DEFAULT_MAX_BYTES):
        self.max_bytes = max_bytes
        self._items = collections.OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key, value):
        """Store bytes; a value larger than the whole budget is not stored."""
        if len(value) > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= len(old)
            self._items[key] = value
            self._bytes += len(value)
            while self._bytes > self.max_bytes:
                _, evicted = self._items.popitem(last=False)
                self._bytes -= len(evicted)

    def __len__(self):
        return len(self._items)
