"""Deterministic JSON: sorted keys, compact arrays, float32 values as shortest decimals.

``json.dumps`` writes a float32 value converted to a Python float with up to 17 digits (the
shortest decimal of the double). Here numpy float32 scalars and float32 arrays are written
with the shortest decimal that reads back as the same float32 (e.g. ``0.1`` rather than
``0.10000000149011612``): parse them as float32 (Java ``Float.parseFloat``) to get the
exact value. Python floats keep ``repr`` (shortest round-trip double).
"""

import json
import math
from typing import Any

import numpy as np


def _float32(value) -> str:
    v = np.float32(value)
    if not np.isfinite(v):
        raise ValueError(f"cannot write non-finite value {v} as JSON")
    return np.format_float_positional(v, unique=True, trim="0") if 1e-4 <= abs(v) < 1e7 or v == 0 else (
        np.format_float_scientific(v, unique=True, trim="-")
    )


def _encode(value: Any, indent: int, level: int) -> str:
    pad = "\n" + " " * (indent * (level + 1)) if indent else ""
    end = "\n" + " " * (indent * level) if indent else ""
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [
            f"{pad}{json.dumps(str(k), ensure_ascii=False)}: {_encode(value[k], indent, level + 1)}"
            for k in sorted(value)
        ]
        return "{" + ",".join(items) + end + "}"
    if isinstance(value, np.ndarray):
        if value.dtype == np.float32:
            return _encode_flat(value)
        return _encode(value.tolist(), indent, level)
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        if all(not isinstance(v, (dict, list, tuple, np.ndarray)) for v in value):
            return "[" + ", ".join(_encode(v, indent, level + 1) for v in value) + "]"
        return "[" + ",".join(pad + _encode(v, indent, level + 1) for v in value) + end + "]"
    if isinstance(value, np.floating):
        return _float32(value) if value.dtype == np.float32 else _encode(float(value), indent, level)
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot write non-finite value {value} as JSON")
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _encode_flat(array: np.ndarray) -> str:
    if array.ndim == 0:
        return _float32(array)
    return "[" + ", ".join(_encode_flat(a) for a in array) + "]"


def dumps(value: Any, indent: int = 2) -> str:
    return _encode(value, indent, 0) + "\n"


def write(path, value: Any, indent: int = 2) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(dumps(value, indent))
