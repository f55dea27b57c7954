"""Post-step for paper C (lee2015): score items that add up to the published score groups.

Paper C publishes only *group counts* of the Tokuhashi, Tomita and SINS scores (Table 2,
Results), never the items. The engine's joint table fixes, per operation, the pair of groups a
row falls in (e.g. Tomita group III under both the original and the ref. 20 bands) and its
ambulatory status, spine region and SINS group. This step then draws, per row, raw clinical items
(KPS, numbers of extraspinal bone foci and vertebral-body metastases, organ metastases, Frankel
grade, visceral and bone metastases, spinal level and the six SINS components) uniformly among
the combinations that

- are clinically consistent with each other (Tomita "solitary" bone metastasis = no extraspinal
  focus and one vertebral body; Tomita visceral none / treatable / untreatable = Tokuhashi organ
  metastases none / removable / unremovable; a patient who cannot walk has Frankel A-C and KPS
  <= 70, one who can walk Frankel D-E and KPS >= 50; the level lies in the published region);
- give totals, computed by :mod:`spinemets.scores`, inside the published groups.

The totals and groups in the output are therefore *computed from the items* by the library,
never copied. A row without any consistent combination raises ``ValueError``.
"""

from __future__ import annotations

import functools
import itertools

import numpy as np
import pandas as pd

from ... import scores
from ..margins import pinned_sample

KPS = {"possible": (60, 90), "not possible": (30, 60)}
FRANKEL = {"possible": ("D", "E"), "not possible": ("A", "B", "C")}
FOCI = (0, 1, 2, 3, 5)
VB = (1, 2, 3, 4)
VISCERAL_TO_ORGAN = {"none": "none", "treatable": "removable", "untreatable": "unremovable"}
LEVELS = {
    "cervical": [f"C{i}" for i in range(1, 8)],
    "thoracic": [f"T{i}" for i in range(1, 13)],
    "lumbar": [f"L{i}" for i in range(1, 6)],
}
SINS_ITEMS = {
    "pain": ("mechanical", "occasional", "none"),
    "lesion": ("lytic", "mixed"),  # HCC bone metastases are lytic or mixed
    "alignment": ("subluxation", "de novo deformity", "normal"),
    "collapse": (">50%", "<50%", "none, >50% involved", "none"),
    "posterolateral": ("bilateral", "unilateral", "none"),
}


def _range(label: str) -> tuple[int, int]:
    a, _, b = str(label).partition("-")
    return int(a), int(b or a)


def _tokuhashi_options(ambulation, visceral, bone, lo, hi):
    out = []
    for kps, fr, foci, vb in itertools.product(KPS[ambulation], FRANKEL[ambulation], FOCI, VB):
        if (bone == "solitary") != (foci == 0 and vb == 1):
            continue
        s = scores.tokuhashi_revised(kps, foci, vb, VISCERAL_TO_ORGAN[visceral], "liver", fr)
        if lo <= s.total <= hi:
            out.append((kps, foci, vb, fr))
    return out


@functools.cache
def _item_options(ambulation, t_lo, t_hi, k_lo, k_hi) -> tuple:
    """Tomita items (HCC primary = 4) with a total in range, then consistent Tokuhashi items, in
    a fixed order (a pure function of its arguments: computed once per process, not per row)."""
    options = []
    for visceral, bone in itertools.product(
        ("none", "treatable", "untreatable"), ("solitary", "multiple")
    ):
        if t_lo <= scores.tomita("liver", visceral, bone).total <= t_hi:
            for tk in _tokuhashi_options(ambulation, visceral, bone, k_lo, k_hi):
                options.append((visceral, bone) + tk)
    return tuple(options)


@functools.cache
def _sins_options(level, s_lo, s_hi) -> tuple:
    """SINS items with a total in range at ``level``, in a fixed order (computed once)."""
    return tuple(
        c
        for c in itertools.product(*SINS_ITEMS.values())
        if s_lo <= scores.sins(level, *c).total <= s_hi
    )


def score_items(df: pd.DataFrame, spec: dict, rng: np.random.Generator) -> pd.DataFrame:
    """Draw score items per row (see the module docstring) and compute totals and groups."""
    cfg = spec["score_items"]
    df = df.reset_index(drop=True).copy()
    drawn = [_row_items(i, r, cfg, rng) for i, r in df.iterrows()]
    for k, v in zip(_ITEM_COLUMNS, zip(*drawn)):
        df[k] = list(v)
    df = patient_level(df, cfg, rng)
    tok, tom, sn = _scored(df)
    df = _assign_sex(df, cfg, rng)
    df["tokuhashi_total"] = [s.total for s in tok]
    df["tomita_total"] = [s.total for s in tom]
    df["sins_total"] = [s.total for s in sn]
    _check_groups_follow_totals(df, cfg)
    return df


#: The item columns :func:`score_items` draws, in the order of :func:`_row_items`.
_ITEM_COLUMNS = (
    "kps",
    "extraspinal_bone_foci",
    "vertebral_body_mets",
    "organ_mets",
    "frankel",
    "visceral_mets",
    "bone_mets",
    "level",
    "sins_pain",
    "sins_lesion",
    "sins_alignment",
    "sins_collapse",
    "sins_posterolateral",
)


def _row_items(i, r, cfg, rng) -> tuple:
    """One row's items: Tomita items (HCC primary = 4) with a total in the row's range, then
    consistent Tokuhashi items, a spine level and SINS items in the row's SINS range."""
    t_lo, t_hi = _range(cfg["tomita_total"][f"{r['tomita_group']}|{r['tomita_group_ref20']}"])
    k_lo, k_hi = _range(
        cfg["tokuhashi_total"][f"{r['tokuhashi_group']}|{r['tokuhashi_group_ref20']}"]
    )
    options = _item_options(r["ambulation"], t_lo, t_hi, k_lo, k_hi)
    if not options:
        raise ValueError(
            f"row {i}: no items give Tomita {t_lo}-{t_hi} and Tokuhashi {k_lo}-{k_hi} "
            f"with ambulation {r['ambulation']!r}"
        )
    visceral, bone, kps, foci, vb, fr = options[rng.integers(len(options))]
    s_lo, s_hi = (
        _range(r["sins_group"])
        if r["sins_group"] != cfg.get("sins_exact_label")
        else (cfg["sins_exact_value"], cfg["sins_exact_value"])
    )
    level = LEVELS[r["level_group"]][rng.integers(len(LEVELS[r["level_group"]]))]
    sins_opts = _sins_options(level, s_lo, s_hi)
    if not sins_opts:
        raise ValueError(f"row {i}: no SINS items give {s_lo}-{s_hi} at level {level}")
    sc = sins_opts[rng.integers(len(sins_opts))]
    return (kps, foci, vb, VISCERAL_TO_ORGAN[visceral], fr, visceral, bone, level) + sc


def _scored(df):
    """The revised Tokuhashi, Tomita and SINS scores of every row."""
    tok = [
        scores.tokuhashi_revised(a, b, c, d, "liver", e)
        for a, b, c, d, e in zip(
            df["kps"],
            df["extraspinal_bone_foci"],
            df["vertebral_body_mets"],
            df["organ_mets"],
            df["frankel"],
        )
    ]
    tom = [scores.tomita("liver", a, b) for a, b in zip(df["visceral_mets"], df["bone_mets"])]
    sn = [
        scores.sins(*a)
        for a in zip(
            df["level"],
            df["sins_pain"],
            df["sins_lesion"],
            df["sins_alignment"],
            df["sins_collapse"],
            df["sins_posterolateral"],
        )
    ]
    return tok, tom, sn


def _assign_sex(df, cfg, rng):
    """Sex is a patient-level variable: 30 men and 3 women (Results); Table 1 counts 33 : 3
    operations, so the three repeat operations are in men."""
    sizes = df.groupby("patient_id")["patient_id"].transform("size").to_numpy()
    df = df.copy()
    single = np.unique(df.loc[sizes == 1, "patient_id"])
    n_f = int(cfg["sex_patients"]["female"])
    women = set(single[rng.permutation(len(single))[:n_f]])
    df["sex"] = np.where(df["patient_id"].isin(women), "female", "male")
    return df


def _check_groups_follow_totals(df, cfg) -> None:
    """The groups must follow from the totals (checked, not assumed)."""
    for col, total, bands in (
        ("tokuhashi_group", "tokuhashi_total", cfg["bands"]["tokuhashi_group"]),
        ("tokuhashi_group_ref20", "tokuhashi_total", cfg["bands"]["tokuhashi_group_ref20"]),
        ("tomita_group", "tomita_total", cfg["bands"]["tomita_group"]),
        ("tomita_group_ref20", "tomita_total", cfg["bands"]["tomita_group_ref20"]),
    ):
        want = df[total].map(
            lambda t, bands=bands: next(
                g for g, rg in bands.items() if _range(rg)[0] <= t <= _range(rg)[1]
            )
        )
        if not (want.astype(str) == df[col].astype(str)).all():
            raise ValueError(f"score_items: {col} does not follow from {total}")


def patient_level(df: pd.DataFrame, cfg: dict, rng: np.random.Generator) -> pd.DataFrame:
    """Make the operations of one patient the same patient (issue 23 item 8).

    Three patients were operated twice (Methods). For each of them:

    - **one death, one end of follow-up.** The row with the longer drawn survival is the initial
      operation, the other the second; the gap between them is the difference, so both rows'
      follow-up ends on the same date, and the initial operation's status (death or censored)
      is the patient's, i.e. the second operation's;
    - **age moves with calendar time only.** Ages at the initial operation are a pinned sample
      over the 33 patients (median 56, range 28-71: "at the initial operation", Results); the
      second operation's age is the first plus the gap (with a birthday at a uniform point in
      the year); Table 1's "<65 years: 29" counts operations;
    - **patient-level exposure.** Sorafenib "at any point" is the same on both rows; to keep
      Table 1's 17 / 19 operations, a single-operation patient with the new value swaps to the
      old one;
    - **Child-Pugh at the first operation** counts 29 A / 4 B over patients (Results) and
      30 A / 6 B over operations (Table 1): the second operations are 1 A and 2 B (the class may
      worsen between operations; the patient with A at the second operation had A at the first).

    Adds ``operation_order`` (1 = initial operation, 2 = second).
    """
    df = df.copy()
    pl = cfg["patient_level"]
    size = df.groupby("patient_id")["patient_id"].transform("size").to_numpy()
    order = np.ones(len(df), int)
    repeats = sorted(df.loc[size == 2, "patient_id"].unique())
    gap = {}
    for pid in repeats:
        idx = np.nonzero(df["patient_id"].to_numpy() == pid)[0]
        t = df.loc[idx, "os_days"].to_numpy(float)
        first, second = (idx[0], idx[1]) if t[0] >= t[1] else (idx[1], idx[0])
        if df.at[first, "os_days"] == df.at[second, "os_days"]:
            df.at[first, "os_days"] = df.at[first, "os_days"] + 1.0
        order[second] = 2
        df.at[first, "death"] = df.at[second, "death"]
        gap[pid] = float(df.at[first, "os_days"] - df.at[second, "os_days"])
    df["operation_order"] = order
    firsts = np.nonzero(order == 1)[0]
    seconds = np.nonzero(order == 2)[0]
    # sorafenib at any point: a patient's value, Table 1's operation counts kept
    sor = df["sorafenib"].astype(str).to_numpy().copy()
    singles = [i for i in firsts if size[i] == 1]
    for i2 in seconds:
        pid = df.at[i2, "patient_id"]
        i1 = next(i for i in firsts if df.at[i, "patient_id"] == pid)
        if sor[i2] != sor[i1]:
            old, new = sor[i2], sor[i1]
            sor[i2] = new
            cand = [i for i in singles if sor[i] == new]
            sor[cand[rng.integers(len(cand))]] = old
    df["sorafenib"] = sor
    # Child-Pugh: 29 A / 4 B at the first operation, the second operations 1 A / 2 B
    cp_first, cp_second = pl["child_pugh_first"], pl["child_pugh_second"]
    second_cp = np.repeat(list(cp_second), list(cp_second.values()))[rng.permutation(len(seconds))]
    cp = np.empty(len(df), dtype=object)
    cp[seconds] = second_cp
    must_a = [
        next(i for i in firsts if df.at[i, "patient_id"] == df.at[i2, "patient_id"])
        for i2, c in zip(seconds, second_cp)
        if c == "A"
    ]
    free = [i for i in firsts if i not in must_a]
    n_b = int(cp_first["B"])
    b_rows = set(np.asarray(free)[rng.permutation(len(free))[:n_b]].tolist())
    for i in firsts:
        cp[i] = "B" if i in b_rows else "A"
    df["child_pugh"] = cp
    # age: pinned at the initial operation over patients; the second follows the calendar
    a = pl["age_first"]
    n_le = int(a["le_count_operations"])
    ages = None
    for _ in range(20):
        vals = pinned_sample(
            rng,
            len(firsts),
            vmin=a["min"],
            vmax=a["max"],
            median=a["median"],
            cuts=[{"le": a["le"], "count": n_le - len(seconds)}],
            decimals=0,
        )
        ages = vals[rng.permutation(len(firsts))]
        age = np.empty(len(df))
        age[firsts] = ages
        ok = True
        for i2 in seconds:
            pid = df.at[i2, "patient_id"]
            i1 = next(i for i in firsts if df.at[i, "patient_id"] == pid)
            frac = rng.uniform()
            age[i2] = age[i1] + np.floor(frac + gap[pid] / 365.25)
            ok &= age[i2] <= a["le"] and age[i1] <= a["le"]
        if ok:
            break
    else:
        raise ValueError(
            "patient_level: no draw keeps the repeat operations below "
            f"{a['le'] + 1} years (Table 1: {n_le} operations <= {a['le']})"
        )
    df["age"] = age.astype(int)
    return df
