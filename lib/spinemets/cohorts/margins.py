"""Steps 2-3 and 4b: categorical margins, continuous variables pinned at their published order
statistics (:func:`pinned_sample`), and rows nested in clusters (lesions or operations in patients).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validation import as_generator, renamed_arguments
from .spec import _key


@renamed_arguments(rng="seed")
def pinned_sample(
    seed: np.random.Generator,
    n: int,
    *,
    vmin: float,
    vmax: float,
    median: float,
    cuts: list[dict],
    decimals: int,
    scale: str = "linear",
    priority: str = "median",
) -> np.ndarray:
    """Sorted sample of size ``n`` with exact min, max, median and dichotomy counts.

    Anchors (p, value) of a piecewise-linear quantile function (on the log scale if
    ``scale='log'``): (0, min), (k/n, cut) for each cut with k values <= cut, (1/2, median),
    (1, max). The sorted sample takes stratified uniforms through it; then the order statistics
    that pin the published numbers are set exactly: first = min, last = max, the two middle ones
    = median (n even), values at ranks k-1 / k on either side of each cut. When a cut and the
    median contradict each other (more than half below a cut smaller than the median) the
    ``priority`` says which wins; the other is reported as a miss.

    ``seed`` is an integer, or the generator of a cohort build that threads one generator
    through its steps (``rng``, its former name, warns).
    """
    rng = as_generator(seed)
    tr = (
        (lambda v: np.log(np.maximum(v, 1e-9)))
        if scale == "log"
        else (lambda v: np.asarray(v, float))
    )
    inv = np.exp if scale == "log" else (lambda v: v)
    step = 10.0 ** (-decimals)
    anchors = {0.0: vmin, 1.0: vmax}
    med_ok, med_cut = True, None
    for cut in cuts:
        k = int(cut["count"])
        half = n // 2
        clash = (k >= half + 1 and median > cut["le"]) or (k <= half - 1 and median <= cut["le"])
        if clash and priority == "cuts":
            med_ok, med_cut = False, cut
        elif clash:
            raise ValueError(
                f"median {median} contradicts {k} of {n} values <= {cut['le']}; set priority: cuts"
            )
        anchors[k / n] = cut["le"]
        anchors[min((k + 0.5) / n, 1.0)] = cut["le"] + step
    if med_ok:
        anchors[0.5] = median
    ps = np.array(sorted(anchors))
    vs = tr(np.array([anchors[p] for p in ps]))
    vs = np.maximum.accumulate(vs)
    u = (rng.permutation(n) + rng.uniform(size=n)) / n
    x = np.sort(inv(np.interp(np.sort(u), ps, vs)))
    x = np.round(x, decimals)
    # pin the order statistics
    x[0], x[-1] = vmin, vmax
    for cut in cuts:
        k = int(cut["count"])
        x[:k] = np.minimum(x[:k], cut["le"])
        x[k:] = np.maximum(x[k:], round(cut["le"] + step, decimals))
        if k > 0:
            x[k - 1] = cut["le"]
    if med_ok and n % 2 == 0:
        i = n // 2
        x[i - 1], x[i] = median, median
        x[: i - 1] = np.minimum(x[: i - 1], median)
        x[i + 1 :] = np.maximum(x[i + 1 :], median)
    elif med_ok:
        x[n // 2] = median
    if med_cut is not None:  # closest achievable median: the middle values at the cut
        x[n // 2 - 1 : int(med_cut["count"])] = med_cut["le"]
    x = np.clip(np.sort(x), vmin, vmax)
    return np.round(x, decimals)


def _assign_categorical(df, c, n, rng):
    if "by" in c:  # counts per level of another column: {level: {group: count}}
        grp = df[c["by"]].astype(str).to_numpy()
        out = np.empty(n, dtype=object)
        groups = {_key(g) for x in c["counts"].values() for g in x}
        if set(np.unique(grp)) - groups:
            raise ValueError(
                f"categorical {c['name']}: no counts for {c['by']}={sorted(set(np.unique(grp)) - groups)}"
            )
        for g in sorted(groups):
            idx = np.nonzero(grp == g)[0]
            cnt = {_key(k): int(x.get(g, x.get(_key(g), 0))) for k, x in c["counts"].items()}
            if sum(cnt.values()) != len(idx):
                raise ValueError(
                    f"categorical {c['name']}: counts for {c['by']}={g} sum to {sum(cnt.values())}, "
                    f"the cohort has {len(idx)}"
                )
            vals = np.repeat(list(cnt), list(cnt.values()))
            out[idx] = vals[rng.permutation(len(idx))]
        return out
    counts = {_key(k): int(v) for k, v in c["counts"].items()}
    if sum(counts.values()) != n:
        raise ValueError(
            f"categorical {c['name']}: counts sum to {sum(counts.values())}, not n={n}"
        )
    out = np.empty(n, dtype=object)
    if "within" in c:
        parent = df[c["within"]].astype(str).to_numpy()
        nest = {_key(k): _key(v) for k, v in c["nest"].items()}
        for plev in pd.unique(parent):
            idx = np.nonzero(parent == plev)[0]
            kids = [k for k in counts if nest[k] == plev]
            vals = np.repeat(kids, [counts[k] for k in kids])
            if len(vals) != len(idx):
                raise ValueError(
                    f"categorical {c['name']}: levels nested in {c['within']}={plev} "
                    f"count {len(vals)}, the joint table has {len(idx)}"
                )
            out[idx] = vals[rng.permutation(len(idx))]
        return out
    vals = np.repeat(list(counts), list(counts.values()))
    return vals[rng.permutation(n)]


def _assign_clusters(df, c, rng):
    """Nest rows (lesions, operations) in clusters (patients), within the levels of ``c['within']``.

    ``sizes``: {within level: {rows per cluster: number of clusters}}. Rows of a cluster share the
    ``within`` level (a patient-level variable such as the treatment arm). Patient-level
    ``categorical`` ({name, counts: {level: {within level: count}}}) and ``continuous``
    (pinned sample over clusters) variables are drawn per cluster and broadcast to its rows.
    Rows are then ordered by cluster.
    """
    n = len(df)
    within = (
        df[c["within"]].astype(str).to_numpy()
        if c.get("within")
        else np.full(n, "all", dtype=object)
    )
    sizes = c["sizes"] if c.get("within") else {"all": c["sizes"]}
    cl = np.empty(n, dtype=int)
    cl_level = []
    for lev, sz in sizes.items():
        idx = np.nonzero(within == _key(lev))[0]
        s = [int(k) for k, v in sz.items() for _ in range(int(v))]
        if sum(s) != len(idx):
            raise ValueError(
                f"cluster sizes for {c.get('within', '')}={lev} cover {sum(s)} rows, the cohort has {len(idx)}"
            )
        s = [s[i] for i in rng.permutation(len(s))]
        pos = np.cumsum([0] + s)
        for j in range(len(s)):
            cl[idx[pos[j] : pos[j + 1]]] = len(cl_level)
            cl_level.append(_key(lev))
    if len(np.unique(within)) != len(sizes):
        raise ValueError(
            f"cluster sizes: levels {sorted(sizes)} do not cover {sorted(set(within))}"
        )
    # number the clusters by their first row, then order rows by cluster
    first = {}
    for _i, k in enumerate(cl):
        first.setdefault(k, len(first))
    cl = np.array([first[k] for k in cl])
    cl_level = [lv for _, lv in sorted((first[k], lv) for k, lv in enumerate(cl_level))]
    m = len(cl_level)
    df = df.copy()
    df.insert(0, c["column"], [c["format"].format(k + 1) for k in cl])
    for v in c.get("categorical", []):
        vals = np.empty(m, dtype=object)
        for lev in sizes:
            ids = np.nonzero(np.array(cl_level) == _key(lev))[0]
            if c.get("within"):
                cnt = {
                    _key(k): int(x[lev] if lev in x else x[_key(lev)])
                    for k, x in v["counts"].items()
                }
            else:
                cnt = {_key(k): int(x) for k, x in v["counts"].items()}
            if sum(cnt.values()) != len(ids):
                raise ValueError(
                    f"cluster variable {v['name']}: counts for {lev} sum to {sum(cnt.values())}, "
                    f"there are {len(ids)} clusters"
                )
            arr = np.repeat(list(cnt), list(cnt.values()))
            vals[ids] = arr[rng.permutation(len(ids))]
        df[v["name"]] = vals[cl]
    for v in c.get("continuous", []):
        vals = pinned_sample(
            rng,
            m,
            vmin=v["min"],
            vmax=v["max"],
            median=v["median"],
            cuts=v.get("cuts", []),
            decimals=int(v.get("decimals", 1)),
            scale=v.get("scale", "linear"),
            priority=v.get("priority", "median"),
        )
        df[v["name"]] = vals[rng.permutation(m)][cl]
    return df.iloc[np.argsort(cl, kind="stable")].reset_index(drop=True)
