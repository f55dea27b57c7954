"""Scores and discrimination: Harrell's C on 2,000 rows beside lifelines, scoring a 1,000-row
frame, and paper C's whole analysis (spinemets.analyses.lee2015.analyse) on its cohort."""

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import best_of  # noqa: E402


def _best(fn, repeat=3):
    return best_of(fn, repeat)


def concordance_2k():
    from lifelines.utils import concordance_index

    from spinemets.discrimination import concordance

    rng = np.random.default_rng(3)
    n = 2000
    t = rng.exponential(10, n).round(1)
    e = rng.integers(0, 2, n)
    x = rng.integers(0, 12, n)
    ours = _best(lambda: concordance(t, e, x, higher="risk"))
    ref = _best(lambda: concordance_index(t, -x, e))
    return {"seconds": ours, "reference_seconds": ref, "reference": "lifelines concordance_index"}


def tokuhashi_frame_1k():
    from spinemets import scores

    rng = np.random.default_rng(4)
    n = 1000
    df = pd.DataFrame(
        {
            "kps": rng.choice([30, 50, 70, 90], n),
            "extraspinal_bone_foci": rng.integers(0, 5, n),
            "vertebral_body_mets": rng.integers(1, 5, n),
            "organ_mets": rng.choice(["none", "removable", "unremovable"], n),
            "primary": rng.choice(["liver", "lung", "breast"], n),
            "frankel": rng.choice(list("ABCDE"), n),
        }
    )
    return _best(lambda: scores.tokuhashi_revised_from_frame(df))


def lee2015_analyse():
    from spinemets import cohorts
    from spinemets.analyses import lee2015

    d = cohorts.load("lee2015")
    return _best(lambda: lee2015.analyse(d))


BENCHMARKS = [
    ("Harrell's C, 2,000 rows (IJ SE)", 1.0, concordance_2k),
    ("revised Tokuhashi of a 1,000-row frame", 1.0, tokuhashi_frame_1k),
    ("paper C analyse() on the lee2015 cohort", 2.0, lee2015_analyse),
]
