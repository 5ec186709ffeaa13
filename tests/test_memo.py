"""Remembered results: equal arguments give the stored result, different data recomputes."""

import pandas as pd

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
