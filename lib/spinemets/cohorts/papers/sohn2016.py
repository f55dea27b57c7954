"""Post-step for paper B (sohn2016): arm-specific continuous variables with exact published means.

The engine's ``joint`` section builds the arm groups (SRS 28; RT pool = 28 patients resembling
the published RT arm + 64 more varied ones) with their exact categorical counts. This step adds,
per arm group, continuous variables whose mean equals the target at the printed precision:
draw normal values, rescale them to the target mean and SD, clip to [min, max], round, and put
the rounding residual on the values nearest the mean (``spec['arm_continuous']``).

Pain relief (Table 2) is a *derived* variable: Sohn et al. define it from the pre/post VAS and the
analgesics (complete: no pain without analgesics; partial: a VAS decrease of more than 2 with
stable or decreased medication; stable: the same VAS or a decrease of less than 2; progression:
any VAS increase or increased medication). :func:`vas_for_categories` therefore fits the *inputs*
to the published table: each row's category (from the joint table) fixes the interval its
post-VAS may take given its pre-VAS, the arm's pre-VAS values (exact published mean) are placed on
rows whose category they allow, post-VAS values are drawn inside each row's interval and moved
one point at a time until the arm mean equals the published one; the category is then
*recomputed* from the row's own VAS and analgesics with :func:`spinemets.response.vas_relief`
and must equal the table's (checked, never assumed).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def exact_mean_sample(rng, n, mean, sd, vmin, vmax, decimals):
    """``n`` values in [vmin, vmax] rounded to ``decimals`` whose mean rounds to ``mean``."""
    z = rng.standard_normal(n)
    z = (z - z.mean()) / (z.std() or 1.0)
    x = np.clip(mean + sd * z, vmin, vmax)
    step = 10.0**-decimals
    x = np.round(x / step) * step
    # push the sum to n*mean in units of one step, moving values that stay inside the range
    need = int(round((n * mean - x.sum()) / step))
    order = np.argsort(np.abs(x - mean))
    while need != 0:
        moved = False
        for j in order:  # one step per value per sweep, nearest-the-mean values first
            s = step if need > 0 else -step
            if vmin <= x[j] + s <= vmax:
                x[j] += s
                need += -1 if need > 0 else 1
                moved = True
                if need == 0:
                    break
        if not moved:
            break
    if need != 0:
        raise ValueError(f"exact_mean_sample: cannot reach mean={mean} within [{vmin}, {vmax}]")
    return np.round(x, max(decimals, 0))


def arm_continuous(df: pd.DataFrame, spec: dict, rng: np.random.Generator) -> pd.DataFrame:
    """Add the columns of ``spec['arm_continuous']`` (per arm group: mean, sd, min, max)."""
    ac = spec["arm_continuous"]
    grp = df[ac["group_column"]].astype(str).to_numpy()
    df = df.copy()
    for name, v in ac["variables"].items():
        out = np.full(len(df), np.nan)
        for g, t in v["groups"].items():
            idx = np.nonzero(grp == g)[0]
            out[idx] = exact_mean_sample(
                rng, len(idx), t["mean"], t["sd"], t["min"], t["max"], int(v.get("decimals", 1))
            )
        df[name] = out
    if "pain_relief" in df and "pre_vas" in ac["variables"] and "post_vas" in ac["variables"]:
        df = vas_for_categories(df, ac, rng)
    df["arm"] = np.where(grp == "SRS", "SRS", "RT")
    return df


#: pre-VAS values that leave each category attainable (partial needs a decrease of 3 or more;
#: decreases of exactly 2 are avoided, since they fit no published category)
_PRE_RANGE = {"complete": (1, 10), "partial": (3, 10), "stable": (0, 10), "progression": (0, 9)}


def _place_pre(rng, pre, cats):
    """Assign the values ``pre`` to rows so that each row's category is attainable (most
    constrained categories first, uniformly among the values left that fit)."""
    order = sorted(
        range(len(cats)),
        key=lambda i: (_PRE_RANGE[cats[i]][1] - _PRE_RANGE[cats[i]][0], rng.random()),
    )
    for _ in range(50):
        left = list(rng.permutation(pre))
        out = np.full(len(cats), np.nan)
        ok = True
        for i in order:
            lo, hi = _PRE_RANGE[cats[i]]
            fit = [k for k, v in enumerate(left) if lo <= v <= hi]
            if not fit:
                ok = False
                break
            out[i] = left.pop(fit[rng.integers(len(fit))])
        if ok:
            return out
    raise ValueError(
        "vas_for_categories: the arm's pre-VAS values cannot carry its pain-relief counts"
    )


def vas_for_categories(df: pd.DataFrame, ac: dict, rng: np.random.Generator) -> pd.DataFrame:
    """Pre/post VAS and analgesics that give each row its published pain-relief category.

    Per arm group: the pre-VAS values already drawn (exact published mean) are placed on rows
    whose category they allow; post-VAS is drawn uniformly in the row's interval (complete 0;
    partial <= pre - 3; stable pre - 1 or pre; progression > pre) and moved one point at a time,
    rows chosen at random among those with room, until its sum is ``n x`` the published mean
    (rounded); analgesics: "none" for complete, "stable" or "decreased" for partial, "stable"
    otherwise. The category recomputed by :func:`spinemets.response.vas_relief` must equal the
    row's (ValueError otherwise).
    """
    from ...response import vas_relief

    grp = df[ac["group_column"]].astype(str).to_numpy()
    cats_all = df["pain_relief"].astype(str).to_numpy()
    pre_all = df["pre_vas"].to_numpy(float).copy()
    post_all = np.full(len(df), np.nan)
    med_all = np.empty(len(df), dtype=object)
    for g, t in ac["variables"]["post_vas"]["groups"].items():
        idx = np.nonzero(grp == g)[0]
        cats = cats_all[idx]
        pre = _place_pre(rng, pre_all[idx], cats)
        lo = np.where(
            cats == "complete",
            0,
            np.where(
                cats == "partial", 0, np.where(cats == "stable", np.maximum(pre - 1, 0), pre + 1)
            ),
        )
        hi = np.where(
            cats == "complete",
            0,
            np.where(cats == "partial", pre - 3, np.where(cats == "stable", pre, 10)),
        )
        hi = np.minimum(hi, t["max"])
        post = np.floor(lo + rng.random(len(idx)) * (hi - lo + 1))
        target = int(round(len(idx) * t["mean"]))
        if not lo.sum() <= target <= hi.sum():
            raise ValueError(
                f"vas_for_categories: arm {g}: post-VAS mean {t['mean']} is outside "
                f"[{lo.sum() / len(idx):.2f}, {hi.sum() / len(idx):.2f}] for its categories"
            )
        while post.sum() != target:
            s = 1 if post.sum() < target else -1
            room = np.nonzero((post + s >= lo) & (post + s <= hi))[0]
            post[room[rng.integers(len(room))]] += s
        med = np.where(cats == "complete", "none", "stable").astype(object)
        part = np.nonzero(cats == "partial")[0]
        med[part] = np.where(rng.random(len(part)) < 0.5, "decreased", "stable")
        pre_all[idx], post_all[idx], med_all[idx] = pre, post, med
    df = df.copy()
    df["pre_vas"], df["post_vas"], df["analgesics"] = pre_all, post_all, med_all
    got = np.asarray(vas_relief(pre_all, post_all, list(med_all)), dtype=str)
    if not (got == cats_all).all():
        raise ValueError("vas_for_categories: a pain-relief category does not follow from its VAS")
    return df
