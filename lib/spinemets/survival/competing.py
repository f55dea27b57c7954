"""Competing risks: the Aalen-Johansen cumulative incidence.

References
----------
Aalen OO, Johansen S. An empirical transition matrix for non-homogeneous Markov chains based on
censored observations. Scand J Stat 1978;5:141-150.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._validation import (
    as_float_array,
    check_durations,
    check_same_length,
    renamed_arguments,
)
from .km import _aligned, _product_limit

__all__ = ["cumulative_incidence"]


#: The largest event code accepted: every whole number up to 2**53 is exact in float64 and in
#: int64, so a code means the same in :func:`cumulative_incidence`, ``gray_k_sample`` and
#: ``fine_gray``.
MAX_CODE = 2**53


def whole_codes(x, name: str) -> np.ndarray:
    """Validate competing-risk event codes: finite whole numbers in [0, 2**53] (0 = censored,
    any other code an event; of the cause of interest or a competing one). Returns int64.

    The contract shared by :func:`cumulative_incidence`, ``gray_k_sample`` and ``fine_gray``: a
    non-zero code that is not the cause of interest is a competing event, whatever its value;
    NaN, infinite, negative, fractional and larger codes (1e300, 2**63) are a ValueError.
    """
    codes = as_float_array(x, name)  # refuses NaN and inf
    bad = (codes < 0) | (codes != np.round(codes)) | (codes > MAX_CODE)
    if bad.any():
        raise ValueError(
            f"{name} must be whole numbers from 0 to 2**53 (0 = censored, 1, 2, ... "
            f"= causes); got {codes[bad][:3].tolist()}"
        )
    return codes.astype(np.int64)


def _event_codes(durations, events):
    """Durations and competing-risk event codes (:func:`whole_codes`), Series paired by
    label."""
    durations, events = _aligned(durations=durations, events=events)
    t = check_durations(durations)
    codes = whole_codes(events, "events")
    check_same_length(durations=t, events=codes)
    return t, codes


def check_event_of_interest(event_of_interest, codes: np.ndarray) -> int:
    """The event type of interest: one of the non-zero codes present (not a boolean)."""
    present = sorted(set(codes[codes > 0].tolist()))
    if (
        isinstance(event_of_interest, (bool, np.bool_))
        or not isinstance(event_of_interest, (int, np.integer, float))
        or event_of_interest not in present
    ):
        raise ValueError(
            f"event_of_interest must be one of the event codes present, {present}; "
            f"got {event_of_interest!r}"
        )
    return int(event_of_interest)


@renamed_arguments(event_codes="events", cause="event_of_interest")
def cumulative_incidence(durations, events, event_of_interest: int = 1) -> pd.DataFrame:
    """Aalen-Johansen cumulative incidence of one cause in the presence of competing risks.

    CIF_c(t) = sum over event times t_j <= t of S(t_j-) d_cj / n_j, where S is the Kaplan-Meier
    estimate of being free of *any* event. Exact with tied times (no jitter, unlike lifelines'
    ``AalenJohansenFitter``). With a competing event such as death, 1 - KM for the cause of
    interest (treating deaths as censored) overestimates its incidence; this does not.

    Parameters
    ----------
    durations : array-like
    events : array-like of int
        Event codes: 0 = censored, 1, 2, ... = the causes (e.g. 1 local progression, 2 death):
        whole numbers from 0 to 2**53. Every non-zero code other than ``event_of_interest`` is
        a competing event, as in ``gray_k_sample`` and ``fine_gray``. (``event_codes``, its
        former name, warns.)
    event_of_interest : int
        The cause whose cumulative incidence is returned (lifelines' name; R's ``failcode``).
        (``cause``, its former name, warns.)

    Returns
    -------
    DataFrame with ``time``, ``n_risk``, ``n_event`` (of this cause), ``n_competing`` and
    ``cif`` at every distinct time.

    Raises
    ------
    ValueError
        Codes that are not whole numbers from 0 to 2**53 (NaN, inf, -1, 1.5, 1e300, 2**63), a
        cause not present.

    References
    ----------
    Aalen OO, Johansen S. Scand J Stat 1978;5:141-150. Gray RJ. Ann Stat 1988;16:1141-1154.
    """
    t, codes = _event_codes(durations, events)
    cause = check_event_of_interest(event_of_interest, codes)
    times, inv, at_risk, d_any, s = _product_limit(t, (codes > 0).astype(float))
    d_c = np.bincount(inv, weights=codes == cause, minlength=len(times))
    s_minus = np.r_[1.0, s[:-1]]
    cif = np.cumsum(s_minus * d_c / at_risk)
    return pd.DataFrame(
        {
            "time": times,
            "n_risk": at_risk.astype(int),
            "n_event": d_c.astype(int),
            "n_competing": (d_any - d_c).astype(int),
            "cif": cif,
        }
    )
