"""Input validation shared by every module: the library's input contract.

The contract (every public function keeps it; contributors use these helpers, not their own):

1. **A ValueError that names the argument.** Bad input raises :class:`ValueError` whose message
   names the argument and the allowed values or range. No other exception type escapes from a
   public function for bad input (wrap numpy/scipy/statsmodels errors), and no silent NaN,
   wrong category or truncated answer is returned instead.
2. **Series are aligned by label.** pandas Series inputs are aligned on their index
   (:func:`align_series`); a Series whose label set differs from the others' raises; a Series
   mixed with a plain array of the same length is paired by position, and only with scalars
   or inputs of its own length; a result that is a Series keeps the (first) Series' index.
   All the inputs of one call are aligned together (pain with OMED, VAS with medication).
3. **Types are what they say.** A flag accepts ``True``/``False`` only (:func:`check_flag`: the
   string ``"no"`` is not false); a clinical value accepts numbers only, not booleans, also
   not inside a list such as ``[10, True]`` (:func:`as_float_array`); strings, None, complex
   numbers and mappings are refused; a 2-D array where a vector is expected raises instead of
   being flattened.
4. **Counts are finite non-negative integers**, with one rule everywhere
   (:func:`check_count_table`): no NaN, no inf, no 1e300, no all-zero table.
5. **Tests that carry no information refuse** (no events, one group, constant data) with the
   reason, instead of returning statistic 0 and p = 1.
6. **Resource guards.** Every exact or enumerating algorithm states its size limit, checks it
   before starting (:func:`check_size`), and refuses beyond it in under a second.
7. **One vocabulary.** One argument name per concept, across every module (the table below);
   ``tests/contract/test_vocabulary.py`` walks every public function and fails on a name in the
   "not" column. A renamed argument keeps its old name for one release through
   :func:`renamed_arguments` (a ``DeprecationWarning`` naming the new one).

One vocabulary
--------------
Chosen by the convention of R (``survival``, ``stats``), lifelines, statsmodels and scipy, in
that order, and by what the papers print; where they disagree the reason is given.

===================================  ===========================  ==============================
concept                              name                         not
===================================  ===========================  ==============================
interval transformation              ``ci``: ``"log"``,           ``conf_type``; ``"loglog"``
                                     ``"log-log"``, ``"plain"``,
                                     ``"spss"``
confidence level of an interval      ``level`` (0.95)             ``alpha``, ``conf_level``
significance level of a decision     ``sig_level`` (0.05)         ``alpha``
p thresholds of stepwise selection   ``p_enter``, ``p_remove``
follow-up times (an array)           ``durations``                ``time``, ``status``
event indicators (an array)          ``events``                   ``status``
times at which to evaluate a curve   ``times``
the visit-time column of long data   ``time``
competing-risk codes (an array)      ``events`` (0 censored)      ``event_codes``
the event type of interest           ``event_of_interest``        ``cause``, ``failcode``
time / event columns of ``data``     ``duration``, ``event``
a DataFrame of rows                  ``data``                     ``df``, ``d``, ``cohort``
group labels (an array)              ``groups``
the group column of ``data``         ``group``                    ``groupby``, ``treat``,
                                                                  ``treatment``
the treated level                    ``treated``
model terms                          ``covariates``               ``candidates``, ``factors``
candidate cutoffs                    ``cutoffs``                  ``candidates``
variables of a Table 1               ``columns``
margins of a table                   ``row_totals``,              ``row_margins``,
                                     ``col_totals``               ``col_margins``
degrees-of-freedom rule              ``df_rule``                  ``df``
range of p over tables               ``p_min``, ``p_max``         ``p_low``, ``p_high``
bounds of an interval                ``lower``, ``upper``         ``ci_lower``, ``ci_upper``
a landmark                           ``landmark_time``            ``time``
random numbers                       ``seed`` (an int, reported)  ``rng``, ``random_state``
Monte Carlo / bootstrap draws        ``n_resamples``              ``n_boot``, ``B``
simulated data sets                  ``n_sim``
a statistical test's function name   no ``_test`` suffix          ``contingency_test``,
                                     (``independence``)           ``gray_test``
===================================  ===========================  ==============================

Why these: ``ci`` and its values are R's ``survfit(conf.type=)`` values, shortened; ``level`` is
what papers print ("95% CI") and R's ``conf.level``/``confint(level=)``, while the ``alpha`` of
lifelines and statsmodels means 1 - level for intervals and the type I error for power, two
concepts under one name, so neither keeps it (``sig_level`` is R's ``power.t.test(sig.level=)``);
``durations``/``events`` and ``event_of_interest`` are lifelines' (``AalenJohansenFitter``),
``data`` is the ``data=`` of R and of statsmodels' formula API (``df`` is R's and the library's
word for degrees of freedom, hence ``df_rule``); ``seed`` is one integer a paper can report;
``n_resamples`` is scipy's (``bootstrap``, ``MonteCarloMethod``); ``covariates`` is lifelines'
and MatchIt's word for model terms; scipy names tests without a suffix (``fisher_exact``,
``wilcoxon``), as the library mostly does. Result fields follow the same table (``lower``,
``upper``, ``p_min``, ``sig_level``, ``event_of_interest``; ``df`` in a result is the degrees
of freedom), and so do names that are right in one role and wrong in another: ``time`` is the
visit column of long data only (not a duration, a landmark or evaluation times), ``event`` the
event column of ``data`` only (an array of indicators is ``events``), and ``ci`` an interval
transformation only (how an interval is computed, "ij" or "bootstrap", is ``method``); the
test enforces all three over every public function and result class.

Renamed in this release (issue 22 item 11; each former name warns for one release)
-----------------------------------------------------------------------------------
``survival``: ``km_table``/``survival_at`` ``alpha`` -> ``level`` (1 - alpha), ``conf_type`` ->
``ci``; ``median_survival``/``median_followup``/``cox``/``firth_cox``/``fine_gray`` ``alpha`` ->
``level`` (``level`` is keyword-only wherever it replaced ``alpha``: a positional 0.05 would
otherwise be read as a 5% interval); ``ci="loglog"`` -> ``ci="log-log"`` (``MedianSurvival.ci``
now says ``"log-log"``); ``cumulative_incidence``/``gray_test`` ``event_codes`` -> ``events``,
``cause`` -> ``event_of_interest``; the function ``gray_test`` -> ``gray_k_sample`` (Gray's
K-sample test; ``GrayResult.cause`` -> ``event_of_interest``); ``univariate_table``
``factors`` -> ``covariates``. ``compare``: the function ``contingency_test`` -> ``independence``
(a test of independence in a contingency table: chi-square, Yates or exact).
``power``: every ``alpha`` -> ``sig_level`` (same meaning;
``Detectable.alpha`` -> ``sig_level``). ``discrimination.concordance``: ``alpha`` -> ``level``,
``n_boot`` -> ``n_resamples``, ``ci`` ("ij"/"bootstrap") -> ``method`` (``ConcordanceResult.ci``
-> ``method``). ``repeated.ancova``/``mixed_model``: ``alpha`` -> ``level``
(``AncovaResult.ci_low``/``ci_high`` -> ``lower``/``upper``). ``matching.match_pairs``
``treatment`` -> ``group``; ``matching.balance_table`` ``treat`` -> ``groups``. ``immortal.landmark``
``time`` -> ``landmark_time``. ``cohorts``: ``seed_loss``/``validate``/``to_csv_text``/
``calibration_table``/``covariate`` ``df`` -> ``data``; ``simulate_survival`` ``df`` -> ``data``,
``rng`` -> ``seed``; ``pinned_sample`` ``rng`` -> ``seed`` (both take an int or the build's
``Generator``, :func:`as_generator`); ``km``/``km_at`` ``time``/``event`` ->
``durations``/``events``. ``scores``: ``*_from_frame`` ``df`` -> ``data``. ``compare``:
``PairedResult.ci_lower``/``ci_upper`` -> ``lower``/``upper``; ``TwoCutoffResult.candidates`` ->
``cutoffs``. Former result fields stay readable as properties for one release.

Helpers here also convert array-likes to numpy arrays and remember how to give the caller back
the same kind of object (scalar, numpy array, or pandas Series with its index).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd

from ._renames import level_from_alpha, renamed_arguments, renamed_function, renamed_value


def _elements(x: Any):
    """The elements of a list/tuple (nested) or of an object array/Series, else nothing."""
    if isinstance(x, (list, tuple)):
        for v in x:
            if isinstance(v, (list, tuple)):
                yield from _elements(v)
            else:
                yield v
    elif getattr(getattr(x, "dtype", None), "kind", None) == "O" and np.ndim(x) > 0:
        yield from np.asarray(x, dtype=object).ravel()


def _has_bool(x: Any) -> bool:
    """True if ``x`` is a boolean, or holds one anywhere (``[10, True]`` is not ``[10, 1]``)."""
    if isinstance(x, (bool, np.bool_)):
        return True
    return any(isinstance(v, (bool, np.bool_)) for v in _elements(x))


def _is_bool_like(x: Any) -> bool:
    """A boolean, a boolean array/Series, or a list or object array holding any boolean."""
    dtype = getattr(x, "dtype", None)
    if dtype is not None and (dtype == np.dtype(bool) or str(dtype) == "boolean"):
        return True
    return _has_bool(x)


def _not_numeric(x: Any) -> str | None:
    """What makes ``x`` non-numeric although numpy would convert it (strings such as ``"30"``
    inside a list, dates), or None."""
    kind = getattr(getattr(x, "dtype", None), "kind", None)
    if kind in ("M", "m"):
        return "dates or times"
    if kind in ("U", "S"):
        return "strings"
    for v in _elements(x):
        if isinstance(v, (str, bytes, np.str_, np.bytes_)):
            return f"a string ({v!r})"
        if isinstance(v, (np.datetime64, np.timedelta64)):
            return "dates or times"
    if isinstance(x, (np.datetime64, np.timedelta64)):
        return "a date or time"
    return None


def _short(x: Any, width: int = 60) -> str:
    """``repr(x)`` cut to ``width`` characters, for error messages."""
    r = " ".join(repr(x).split())
    return r if len(r) <= width else r[: width - 3] + "..."


def as_float_array(
    x: Any, name: str, *, allow_nan: bool = False, allow_bool: bool = False
) -> np.ndarray:
    """Return ``x`` as a 1-D float array; raise ValueError naming ``name`` if it is not numeric.

    Booleans are refused unless ``allow_bool`` (``bed(True, 10, 10)`` is a mistake, not 1 Gy),
    also inside a list (``[10, True]``), and so are strings, None, complex numbers and inputs of
    more than one dimension. A pandas Series with missing values (NaN, ``pd.NA``) counts them as
    NaN.
    """
    if isinstance(x, (str, bytes)):
        raise ValueError(f"{name} must be numeric, got the string {_short(x)}")
    if x is None:
        raise ValueError(f"{name} must be numeric, got None")
    if not allow_bool and _is_bool_like(x):
        raise ValueError(f"{name} must be numeric, got a boolean ({_short(x)}); pass a number")
    if isinstance(x, pd.DataFrame):
        raise ValueError(
            f"{name} must be a scalar or one-dimensional, got a DataFrame; pass one column"
        )
    if isinstance(x, (Mapping, set, frozenset)):
        raise ValueError(
            f"{name} must be a number or a sequence of numbers, got a {type(x).__name__}"
        )
    odd = _not_numeric(x)
    if odd:
        raise ValueError(f"{name} must be numeric, got {odd}")
    if isinstance(x, complex) or getattr(getattr(x, "dtype", None), "kind", None) == "c":
        raise ValueError(f"{name} must be real, got a complex number")
    if isinstance(x, (list, tuple)) and any(isinstance(v, complex) for v in x):
        raise ValueError(f"{name} must be real, got a complex number")
    try:
        if isinstance(x, (pd.Series, pd.Index)):
            arr = x.to_numpy(dtype=float, na_value=np.nan)
        elif isinstance(x, np.ma.MaskedArray):
            arr = x.astype(float).filled(np.nan)  # a masked value is a missing value
        else:
            arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name} must be numeric, got {_short(x)}") from None
    arr = np.atleast_1d(arr)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a scalar or one-dimensional, got shape {arr.shape}")
    if not allow_nan and np.isnan(arr).any():
        n = int(np.isnan(arr).sum())
        raise ValueError(f"{name} contains {n} missing value(s) (NaN); drop or impute them first")
    if np.isinf(arr).any():
        raise ValueError(f"{name} contains infinite values; {name} must be finite")
    return arr


def check_same_length(**arrays: np.ndarray) -> int:
    """Raise ValueError if the named arrays differ in length; return the common length."""
    lengths = {k: len(v) for k, v in arrays.items()}
    if len(set(lengths.values())) > 1:
        desc = ", ".join(f"{k} has {n}" for k, n in lengths.items())
        raise ValueError(f"arguments must have the same length: {desc}")
    n = next(iter(lengths.values()))
    if n == 0:
        raise ValueError(f"{', '.join(lengths)} must not be empty")
    return n


def check_durations(x: Any, name: str = "durations") -> np.ndarray:
    """Durations: finite, non-negative numbers."""
    arr = as_float_array(x, name)
    if (arr < 0).any():
        raise ValueError(
            f"{name} must be >= 0; found {int((arr < 0).sum())} negative value(s), min {arr.min():g}"
        )
    return arr


def check_events(x: Any, name: str = "events") -> np.ndarray:
    """Event indicators: 0 (censored) or 1 (event); booleans accepted. Returns an int array."""
    arr = as_float_array(x, name, allow_bool=True)
    bad = ~np.isin(arr, (0.0, 1.0))
    if bad.any():
        vals = sorted(set(arr[bad].tolist()))[:5]
        raise ValueError(f"{name} must be 0 (censored) or 1 (event); found {vals}")
    return arr.astype(int)


def check_groups(x: Any, name: str = "groups", min_levels: int = 2) -> np.ndarray:
    """A grouping variable with at least ``min_levels`` distinct, non-missing levels."""
    if isinstance(x, (Mapping, set, frozenset)):
        raise ValueError(
            f"{name} must be an array-like of one label per row, got a {type(x).__name__}"
        )
    arr = np.asarray(x, dtype=object) if not isinstance(x, np.ndarray) else x
    arr = np.atleast_1d(arr)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    missing = pd.isna(arr)
    if missing.any():
        raise ValueError(f"{name} contains {int(missing.sum())} missing value(s); drop them first")
    try:
        levels = pd.unique(arr)
    except TypeError as err:  # unhashable labels (lists, dicts)
        raise ValueError(f"{name} holds labels that cannot be compared ({err})") from None
    if len(levels) < min_levels:
        raise ValueError(
            f"{name} must have at least {min_levels} distinct levels, got {len(levels)}: {list(levels)}"
        )
    return arr


def factorize_labels(
    x: Any, name: str = "strata", min_levels: int = 1, sort: bool = False
) -> tuple[np.ndarray, list]:
    """Integer codes and levels of a label column (groups, strata, clusters), the one coding
    every test uses.

    Labels are compared as values, never through ``str()``: the integer 1 and the string "1" are
    two levels (1 and 1.0 are one, as Python's ``==``). With ``sort=True`` the levels are sorted
    when they are mutually comparable, otherwise by type name and then value (so mixed types stay
    distinct and the order is reproducible).
    """
    arr = check_groups(x, name, min_levels)
    if arr.dtype.kind in "biufM":
        codes, levels = pd.factorize(arr, sort=sort)
        return np.asarray(codes, dtype=np.int64), list(levels)
    try:
        codes, levels = pd.factorize(np.asarray(arr, dtype=object), sort=False)
    except TypeError as err:  # unhashable labels (lists, dicts)
        raise ValueError(f"{name} holds labels that cannot be compared ({err})") from None
    codes, levels = np.asarray(codes, dtype=np.int64), list(levels)
    if sort and len(levels) > 1:
        try:
            order = sorted(range(len(levels)), key=lambda i: levels[i])
        except TypeError:
            order = sorted(
                range(len(levels)), key=lambda i: (type(levels[i]).__name__, str(levels[i]))
            )
        remap = np.empty(len(levels), dtype=np.int64)
        remap[order] = np.arange(len(levels))
        codes, levels = remap[codes], [levels[i] for i in order]
    return codes, levels


#: The largest count a table may hold: beyond 2**53 a float no longer holds every integer, and
#: no clinical table comes near it (1e300 in a table is a typo, not data).
MAX_COUNT = 2**53


def check_count_table(
    table: Any,
    name: str = "table",
    *,
    square: bool = False,
    min_shape: tuple[int, int] = (2, 2),
    allow_empty: bool = False,
) -> np.ndarray:
    """A contingency table of finite, non-negative integer counts. Returns an int64 2-D array.

    One rule for every test that takes counts: no NaN, no infinity, no value above
    :data:`MAX_COUNT`, whole numbers only, and (unless ``allow_empty``) at least one observation.
    """
    if isinstance(table, pd.DataFrame):
        table = table.to_numpy()
    if _is_bool_like(table) or (
        not isinstance(table, np.ndarray)
        and isinstance(table, (list, tuple))
        and np.asarray(table, dtype=object).dtype == object
        and any(isinstance(v, (bool, np.bool_)) for v in np.asarray(table, dtype=object).ravel())
    ):
        raise ValueError(f"{name} must be a 2-D table of counts, got booleans")
    try:
        arr = np.asarray(table, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a 2-D table of counts") from None
    if arr.ndim != 2:
        raise ValueError(f"{name} must be two-dimensional, got {arr.ndim} dimension(s)")
    if arr.shape[0] < min_shape[0] or arr.shape[1] < min_shape[1]:
        raise ValueError(
            f"{name} must be at least {min_shape[0]}x{min_shape[1]}, got {arr.shape[0]}x{arr.shape[1]}"
        )
    if np.isnan(arr).any():
        raise ValueError(f"{name} contains missing values (NaN)")
    if np.isinf(arr).any():
        raise ValueError(f"{name} must contain finite counts; found an infinite value")
    if (arr < 0).any():
        raise ValueError(f"{name} must contain counts >= 0; found negative values")
    if (arr > MAX_COUNT).any():
        raise ValueError(f"{name} must contain counts <= 2**53; found {arr.max():g}")
    if not np.all(arr == np.round(arr)):
        raise ValueError(f"{name} must contain whole-number counts; found non-integer values")
    if square and arr.shape[0] != arr.shape[1]:
        raise ValueError(f"{name} must be square (k x k), got {arr.shape[0]}x{arr.shape[1]}")
    if not allow_empty and arr.sum() == 0:
        raise ValueError(f"{name} holds no observations (every count is 0)")
    return arr.astype(np.int64)


def check_open_interval(value: Any, name: str, low: float = 0.0, high: float = 1.0) -> float:
    """A real number strictly between ``low`` and ``high`` (e.g. a significance level)."""
    if isinstance(value, bool) or not isinstance(value, Real) or not np.isfinite(value):
        raise ValueError(f"{name} must be a number in ({low:g}, {high:g}), got {value!r}")
    if not (low < value < high):
        raise ValueError(f"{name} must be in ({low:g}, {high:g}), got {value!r}")
    return float(value)


def check_choice(value: Any, name: str, allowed: Iterable[str]) -> str:
    """One of a fixed set of options."""
    allowed = tuple(allowed)
    if value not in allowed:
        raise ValueError(
            f"{name} must be one of {', '.join(repr(a) for a in allowed)}; got {value!r}"
        )
    return value


def check_positive(value: Any, name: str) -> float:
    """One finite real number > 0 (not a boolean, not a string): a dose, a ratio, a step."""
    if (
        isinstance(value, (bool, np.bool_))
        or not isinstance(value, (Real, np.number))
        or not np.isfinite(value)
        or not value > 0
    ):
        raise ValueError(f"{name} must be a positive number; got {value!r}")
    return float(value)


def check_positive_values(arr: np.ndarray, name: str, *, integer: bool = False) -> None:
    """Every element of a float array (from :func:`as_float_array` or
    :func:`broadcast_arrays`) is > 0, and a whole number if ``integer``; NaN is named as
    missing. One pass for the usual case."""
    ok = arr > 0  # NaN fails this comparison, so it is caught here too
    if not ok.all():
        bad = arr[~ok]
        if np.isnan(bad).any():
            raise ValueError(
                f"{name} contains {int(np.isnan(arr).sum())} missing value(s) "
                f"(NaN); {name} must be a positive number"
            )
        raise ValueError(f"{name} must be > 0; found {bad.size} value(s) <= 0, e.g. {bad[0]:g}")
    if integer and not (arr == np.floor(arr)).all():
        bad = arr[arr != np.floor(arr)]
        raise ValueError(f"{name} must be a positive integer (a whole number); found {bad[0]:g}")


def check_integer(value: Any, name: str, *, low: int | None = None) -> int:
    """One integer (a Python or numpy integer; not a boolean, not a float such as 28.0),
    optionally >= ``low``: a count of pairs, clusters, simulations."""
    if (
        isinstance(value, (bool, np.bool_))
        or not isinstance(value, Integral)
        or (low is not None and value < low)
    ):
        bound = f" >= {low}" if low is not None else ""
        raise ValueError(f"{name} must be an integer{bound}; got {value!r}")
    return int(value)


def check_range_pair(
    value: Any, name: str, *, low: float = 0.0, low_inclusive: bool = True
) -> tuple[float, float]:
    """A pair ``(a, b)`` of finite numbers with ``low <= a < b`` (``low < a`` unless
    ``low_inclusive``): an interval of times, of alpha/beta values, of doses."""
    rel = "<=" if low_inclusive else "<"
    msg = f"{name} must be a pair (low, high) with {low:g} {rel} low < high"
    if isinstance(value, (str, bytes)):
        raise ValueError(f"{msg}; got {value!r}")
    try:
        a, b = value
        if any(
            isinstance(v, (bool, np.bool_)) or not isinstance(v, (Real, np.number)) for v in (a, b)
        ):
            raise TypeError
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        raise ValueError(f"{msg}; got {value!r}") from None
    if not (
        np.isfinite(a) and np.isfinite(b) and a < b and (a >= low if low_inclusive else a > low)
    ):
        raise ValueError(f"{msg}; got {value!r}")
    return a, b


def check_seed(seed: Any, name: str = "seed") -> int:
    """A seed for ``numpy.random.default_rng``: a non-negative integer, required (results must
    be reproducible, so None is refused)."""
    if (
        seed is None
        or isinstance(seed, (bool, np.bool_))
        or not isinstance(seed, Integral)
        or seed < 0
    ):
        raise ValueError(
            f"{name} must be a non-negative integer (results must be reproducible); got {seed!r}"
        )
    return int(seed)


def as_generator(seed: Any, name: str = "seed") -> np.random.Generator:
    """The random generator of ``seed``: a non-negative integer (:func:`check_seed`), or a
    ``numpy.random.Generator`` that a caller who reported the seed passes on (a cohort build
    threads one generator through its steps, so the draws follow one another)."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(check_seed(seed, name))


def check_positive_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def check_flag(value: Any, name: str) -> bool:
    """A yes/no option: ``True`` or ``False`` only (the string ``"no"`` is truthy in Python)."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_number(
    value: Any,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    integer: bool = False,
) -> float:
    """One finite real number (not a boolean, not a string), optionally within [low, high]."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (Real, np.number)):
        raise ValueError(f"{name} must be a number, got {value!r}")
    v = float(value)
    if not np.isfinite(v):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if integer and v != round(v):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if low is not None and v < low:
        raise ValueError(f"{name} must be >= {low:g}, got {value!r}")
    if high is not None and v > high:
        raise ValueError(f"{name} must be <= {high:g}, got {value!r}")
    return v


def check_columns(
    data: Any,
    columns: Iterable[str],
    name: str = "data",
    *,
    argument: str | None = None,
    complete: bool = False,
) -> pd.DataFrame:
    """``data`` is a DataFrame holding every named column; raise naming the missing ones.

    ``argument`` names the argument that lists the columns (``covariates``, ``exact``): the
    message then says which argument named an unknown column. With ``complete``, every named
    column must also hold no missing value, and a numeric column finite values only (a
    distance or a model cannot use NaN or inf).
    """
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame, got {type(data).__name__}")
    cols = list(columns)
    missing = [c for c in cols if c not in data.columns]
    if missing:
        if argument is not None:
            raise ValueError(
                f"{argument} names unknown column(s) {missing}; {name} has "
                f"{list(data.columns)[:20]}"
            )
        raise ValueError(f"{name} has no column(s) {missing}; it has {list(data.columns)[:20]}")
    dup = sorted({c for c in cols if cols.count(c) > 1})
    if dup:
        raise ValueError(f"{argument or 'column(s)'}: {dup} named more than once")
    if complete:
        who = argument or name
        for c in cols:
            col = data[c]
            n = int(col.isna().sum())
            if n:
                raise ValueError(
                    f"{who}: column {c!r} has {n} missing value(s); drop or impute them first"
                )
            if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
                n_inf = int((~np.isfinite(col.to_numpy(dtype=float))).sum())
                if n_inf:
                    raise ValueError(
                        f"{who}: column {c!r} has {n_inf} infinite value(s); every value "
                        f"must be finite"
                    )
    return data


def check_on_grid(values: np.ndarray, name: str, grid: Iterable[float], what: str) -> None:
    """Every value (a float array from :func:`as_float_array`) lies on a fixed grid of allowed
    values, e.g. KPS 0, 10, ..., 100; ``what`` says what the grid is ("KPS steps of 10")."""
    grid = tuple(grid)
    bad = values[~np.isin(values, grid)]
    if bad.size:
        shown = ", ".join(f"{g:g}" for g in grid[:3]) + f", ..., {grid[-1]:g}"
        raise ValueError(f"{name} must be one of {shown} ({what}); got {bad[0]:g}")


def check_size(size: float, limit: float, name: str, what: str) -> None:
    """A resource guard: refuse, before starting, work whose size exceeds a stated limit."""
    if size > limit:
        raise ValueError(
            f"{name} is too large for {what}: size {size:.3g} exceeds the limit "
            f"{limit:.3g}; use the stated alternative (see the docstring)"
        )


#: The interval types of the vocabulary (``ci=``), and their former spellings.
CI_TYPES = ("log", "log-log", "plain", "spss")
CI_RENAMED = {"loglog": "log-log"}


def check_ci(value: Any, allowed: Iterable[str], name: str = "ci") -> str:
    """An interval type (``ci=``) among ``allowed`` (a subset of :data:`CI_TYPES`); the former
    spelling ``"loglog"`` warns and is read as ``"log-log"``."""
    return check_choice(renamed_value(value, name, CI_RENAMED), name, allowed)


def check_level(value: Any, name: str = "level") -> float:
    """A confidence level in (0, 1), e.g. 0.95."""
    return check_open_interval(value, name)


def check_sig_level(value: Any, name: str = "sig_level") -> float:
    """A significance level (type I error) in (0, 1), e.g. 0.05."""
    return check_open_interval(value, name)


# The Series rule and the shape of results live in ._shapes (they convert with as_float_array,
# defined above); they are part of this contract and importable from here.
from ._shapes import Shape, _ndim, align_series, broadcast_arrays  # noqa: E402, F401

__all__ = [
    "as_float_array",
    "check_same_length",
    "check_durations",
    "check_events",
    "check_groups",
    "check_count_table",
    "check_open_interval",
    "check_choice",
    "check_positive_int",
    "Shape",
    "broadcast_arrays",
    "check_flag",
    "check_number",
    "check_columns",
    "check_size",
    "check_on_grid",
    "align_series",
    "MAX_COUNT",
    "check_positive",
    "check_positive_values",
    "check_integer",
    "check_range_pair",
    "check_seed",
    "as_generator",
    "renamed_arguments",
    "renamed_function",
    "renamed_value",
    "check_ci",
    "check_level",
    "check_sig_level",
    "CI_TYPES",
    "level_from_alpha",
]
