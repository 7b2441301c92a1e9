"""The large JSON bodies (a graph's analysis, a cut of its drawing) to bytes and back.

orjson writes the 150,047-op graph's 8.6 MB body in 0.016 s where the standard library took
0.099 s, byte for byte the same, and reads it in 0.044 s instead of 0.112 s; at a million
synthetic ops it is the difference between 0.4 s and 2.3 s (2026-12-01). What orjson refuses,
an integer past 64 bits (a hostile graph's shape multiplies out to one), the standard
library writes; read back, such a number is a float, as the browser reads it too.
"""

import json

import orjson


def dumps(value):
    """Compact JSON as UTF-8 bytes."""
    try:
        return orjson.dumps(value)
    except TypeError:  # orjson.JSONEncodeError is one
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def loads(data):
    return orjson.loads(data)
