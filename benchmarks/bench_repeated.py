"""Paper E's tools: RAND-36 scoring of many respondents, and the mixed model on the scenario."""

import time

import numpy as np


def _time(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def rand36_10000():
    import pandas as pd

    from spinemets import instruments as ins

    rng = np.random.default_rng(0)
    cols = {
        f"q{i}": rng.integers(1, len(c) + 1, 10_000).astype(float)
        for i, c in ins.RAND36_RECODE.items()
    }
    items = pd.DataFrame(cols)
    items.iloc[::7, 20] = np.nan  # some blanks
    return _time(lambda: ins.rand36(items))


def mixed_model_scenario():
    from spinemets import cohorts, repeated

    df = cohorts.load("separation2024")
    long = repeated.to_long(
        df,
        "patient_id",
        {"vas_pre": 0, "vas_1m": 1, "vas_3m": 3, "vas_6m": 6},
        "vas",
        keep=["group"],
    )
    return _time(lambda: repeated.mixed_model(long, "vas", "group", "time", "patient_id"))


BENCHMARKS = [
    ("instruments: RAND-36, 10,000 respondents", 1.0, rand36_10000),
    ("repeated: mixed model, scenario VAS (60 patients x 4 visits)", 3.0, mixed_model_scenario),
]
