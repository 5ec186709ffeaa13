"""Remembered results: equal arguments give the stored result, different data recomputes."""

import pandas as pd
import pytest

from lib.figures.memo import freeze, remembered


def test_equal_frames_share_a_result_and_changed_frames_do_not():
    calls = []

    @remembered
    def total(df: pd.DataFrame, column: str) -> int:
        calls.append(1)
        return int(df[column].sum())

    a = pd.DataFrame({"n": [1, 2, 3]})
    assert total(a, "n") == 6 and total(a.copy(), "n") == 6
    assert len(calls) == 1
    assert total(pd.DataFrame({"n": [1, 2, 4]}), "n") == 7
    assert total(pd.DataFrame({"n": [3, 2, 1]}), "n") == 6  # same sum, other order: recomputed
    assert len(calls) == 3


def test_unhashable_arguments_are_computed_each_time():
    @remembered
    def first(items):
        return items[0]

    assert first([object()]) is not None
    assert freeze({"b": [1, 2], "a": 1}) == (("a", 1), ("b", (1, 2)))


def test_threads_asking_at_once_share_one_computation(tmp_path):
    import threading
    import time

    from lib.data.engine import dispose_engine, get_engine
    from lib.figures.memo import figure

    url = f"sqlite:///{tmp_path / 'memo.db'}"
    engine = get_engine(url)
    calls, out, errors = [], [], []
    gate = threading.Event()

    @figure
    def slow(engine, x: int) -> int:
        calls.append(x)
        gate.wait(10)
        if x < 0:
            raise ValueError("no such figure")
        return x * 2

    def ask(x: int) -> None:
        try:
            out.append(slow(engine, x))
        except ValueError as exc:
            errors.append(str(exc))

    for x in (21, -1):
        gate.clear()
        threads = [threading.Thread(target=ask, args=(x,)) for _ in range(5)]
        for th in threads:
            th.start()
        time.sleep(0.3)  # all five are asking before the first finishes
        gate.set()
        for th in threads:
            th.join(10)
    assert out == [42] * 5 and calls == [21, -1]
    assert errors == ["no such figure"] * 5  # the one failure reaches every asker ...
    gate.set()
    with pytest.raises(ValueError):
        slow(engine, -1)  # ... and is not remembered: the next ask computes again
    assert calls == [21, -1, -1]
    dispose_engine(url)
