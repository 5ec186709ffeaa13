"""Remembering pure results within the process: built charts and formatted tables.

A rerun with the same data and labels asks for the same chart or table again; building an
Altair chart or formatting a table cell by cell costs more than fetching the cached figures.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

SIZE = 256
_STORES: list[OrderedDict] = []


def freeze(value: Any) -> Any:
    """A hashable stand-in for an argument (DataFrames by content)."""
    if isinstance(value, pd.DataFrame):
        hashed = pd.util.hash_pandas_object(value, index=False).to_numpy()
        order = np.arange(1, len(hashed) + 1, dtype=np.uint64)  # row order counts too
        return ("df", tuple(map(str, value.columns)), tuple(map(str, value.dtypes)),
                len(value), int(hashed.sum()), int((hashed * order).sum()))
    if isinstance(value, Mapping):
        return tuple(sorted((k, freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple | set):
        return tuple(freeze(v) for v in value)
    hash(value)
    return value


def remembered(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Return the result computed before for equal arguments (unhashable ones: compute anew).

    Only for pure functions whose results are not changed by their callers.
    """
    store: OrderedDict = OrderedDict()
    _STORES.append(store)
    lock = threading.Lock()

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            key = (freeze(args), freeze(kwargs))
        except (TypeError, ValueError):
            return fn(*args, **kwargs)
        with lock:
            if key in store:
                store.move_to_end(key)
                return store[key]
        result = fn(*args, **kwargs)
        with lock:
            store[key] = result
            while len(store) > SIZE:
                store.popitem(last=False)
        return result

    return wrapper


def clear_all() -> None:
    """Forget every remembered result (the benchmark measures cold figures this way)."""
    for store in _STORES:
        store.clear()
