"""What the app remembers, and why it can never be stale: one mechanism, one rule.

Every remembered result lives in this process, in a bounded store of its own function (least
recently used first out), and is shared by every session the process serves: fifty screens on
one server cost one computation per data version, not fifty. Nothing is remembered per session;
``st.session_state`` holds widget state only.

Two kinds of key:
- ``@figure`` and ``@part`` (the figures layer): the database URL, its data version and the
  arguments. The data version (``lib.data.engine.data_version``, bumped by every landed load) is
  read once per outermost call; calls made inside it reuse that reading, so a figure and the
  cells it is cut from always come from the same version. ``@part`` marks what figures are cut
  from (the benchmark and tests forget figures but keep parts to time a filter change).
- ``@remembered`` (the view layer): pure functions of their arguments' content, such as built
  charts and formatted tables; data frames are keyed by a hash of their content.
  ``@remembered_per_object`` keys on the identity of one argument that is itself remembered
  (a built chart's Vega-Lite spec).

DataFrames handed out by ``@figure`` and ``@part`` are copies (callers may change them);
``@remembered`` results are shared and must not be changed by their callers.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

from lib.data.engine import data_version

T = TypeVar("T")
SIZE = 256  # results per function; a period's cells are a few thousand rows each
# Built charts and formatted tables are bigger (a chart carries its data; a table its text)
# and cost milliseconds to make again: fewer are kept, so a server's memory levels off soon.
VIEW_SIZE = 64


class _Flight:
    """One computation in progress, which other threads asking for the same key wait for."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None


class _Store:
    """A bounded, thread-safe map from keys to results, least recently used out first."""

    def __init__(self, name: str, kind: str) -> None:
        self.name, self.kind = name, kind
        self.size = VIEW_SIZE if kind == "view" else SIZE
        self._items: OrderedDict = OrderedDict()
        self._flights: dict[Any, _Flight] = {}
        self._lock = threading.Lock()
        self.computed = 0  # results computed here rather than found (``computed``)

    def get_or_compute(self, key: Any, compute: Callable[[], Any]) -> tuple[bool, Any]:
        """The stored result, or the one computed now: by this thread, or by the thread
        already computing it (twenty screens asking at once after a load cost one
        computation, not twenty competing for the same cores). True when this thread computed."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return False, self._items[key]
            flight = self._flights.get(key)
            leader = flight is None
            if leader:
                flight = self._flights[key] = _Flight()
        if not leader:
            flight.done.wait()
            if flight.error is not None:
                raise flight.error
            return False, flight.value
        try:
            flight.value = compute()
            self.put(key, flight.value)
            with self._lock:
                self.computed += 1
            return True, flight.value
        except BaseException as exc:
            flight.error = exc
            raise
        finally:
            with self._lock:
                self._flights.pop(key, None)
            flight.done.set()

    def get(self, key: Any) -> tuple[bool, Any]:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return True, self._items[key]
        return False, None

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_STORES: list[_Store] = []
# (database URL, data version) of the outermost figure being computed in this context.
_READING: ContextVar[tuple[str, int] | None] = ContextVar("figures_reading", default=None)


def _store(fn: Callable, kind: str) -> _Store:
    store = _Store(f"{fn.__module__}.{fn.__qualname__}", kind)
    _STORES.append(store)
    return store


def _versioned(kind: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
    def decorate(fn: Callable[..., T]) -> Callable[..., T]:
        store = _store(fn, kind)

        @functools.wraps(fn)
        def wrapper(engine: Engine, *args: Any) -> T:
            url = str(engine.url)
            reading = _READING.get()
            if reading is None or reading[0] != url:
                reading = (url, data_version(engine))
            key = (reading, args)

            def compute() -> T:
                token = _READING.set(reading)
                try:
                    return fn(engine, *args)
                finally:
                    _READING.reset(token)

            _, value = store.get_or_compute(key, compute)
            return value.copy() if isinstance(value, pd.DataFrame) else value

        return wrapper

    return decorate


figure = _versioned("figure")
figure.__doc__ = "Remember a figure per (database, data version, arguments) in this process."
part = _versioned("part")
part.__doc__ = "Like ``figure``, for the cells and lookups that figures are cut from."


def computed(kind: str = "figure") -> int:
    """How many ``@figure`` (or ``@part``) results this process has computed rather than found."""
    return sum(store.computed for store in _STORES if store.kind == kind)


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


def remembered(fn: Callable[..., T]) -> Callable[..., T]:
    """Return the result computed before for equal arguments (unhashable ones: compute anew).

    Only for pure functions whose results are not changed by their callers.
    """
    store = _store(fn, "view")

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            key = (freeze(args), freeze(kwargs))
        except (TypeError, ValueError):
            return fn(*args, **kwargs)
        hit, value = store.get(key)
        if not hit:
            value = fn(*args, **kwargs)
            store.put(key, value)
        return value

    return wrapper


def remembered_per_object(fn: Callable[[Any], T]) -> Callable[[Any], T]:
    """Like ``remembered``, for a one-argument function of an object that is never changed
    (a built chart handed out again by ``@remembered``): keyed by the object's identity."""
    store = _store(fn, "view")

    @functools.wraps(fn)
    def wrapper(obj: Any) -> T:
        hit, value = store.get(id(obj))
        if hit and value[0] is obj:
            return value[1]
        result = fn(obj)
        store.put(id(obj), (obj, result))  # the object is kept, so its id is not reused
        return result

    return wrapper


# The last good result of a question that may fail (the meeting-room display's figures while the
# database is down), kept per process under a caller's key; replaced, never computed here.
_KEPT = _Store("lib.figures.memo.kept", "kept")
_STORES.append(_KEPT)


def keep(key: Any, value: Any) -> None:
    """Keep ``value`` as the last good result under ``key`` (shared by every session)."""
    _KEPT.put(key, value)


def kept(key: Any) -> Any:
    """The last good result kept under ``key``, or None."""
    return _KEPT.get(key)[1]


def forget(kinds: tuple[str, ...] = ("figure", "part", "view")) -> None:
    """Empty the stores of these kinds (a load in this process; the benchmark's cold runs)."""
    for store in _STORES:
        if store.kind in kinds:
            store.clear()


def forget_figures(keep_parts: bool = False) -> None:
    """Forget remembered figures; ``keep_parts`` keeps the cells they are cut from."""
    forget(("figure",) if keep_parts else ("figure", "part"))


def clear_all() -> None:
    """Forget everything remembered in this process."""
    forget(("figure", "part", "view", "kept"))
