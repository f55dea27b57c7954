"""How much information a survival data set holds: median follow-up (reverse Kaplan-Meier) and
events per variable of a planned regression model.

References
----------
Schemper M, Smith TL. A note on quantifying follow-up in studies of failure time. Control Clin
Trials 1996;17:343-346.
Peduzzi P, Concato J, Feinstein AR, Holford TR. Importance of events per independent variable
in proportional hazards regression analysis II. Accuracy and precision of regression estimates.
J Clin Epidemiol 1995;48:1503-1510.
Vittinghoff E, McCulloch CE. Relaxing the rule of ten events per variable in logistic and Cox
regression. Am J Epidemiol 2007;165:710-718.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import ClassVar

import numpy as np
import pandas as pd

from .._design import indicator_blocks
from .._results import Result
from .._validation import (
    check_ci,
    check_columns,
    check_number,
    level_from_alpha,
    renamed_arguments,
)
from .km import MedianSurvival, _inputs, median_survival

__all__ = ["median_followup", "events_per_variable", "EventsPerVariable"]


@renamed_arguments(alpha=("level", level_from_alpha))
def median_followup(durations, events, ci: str = "log", *, level: float = 0.95) -> MedianSurvival:
    """Median follow-up by the reverse Kaplan-Meier method (Schemper & Smith 1996).

    The event indicator is reversed: censoring is the "event", and death ends follow-up early
    (it censors the time one would have been followed). The median of that curve is the median
    potential follow-up. The median of all observed times (which counts deaths as short
    follow-up) and the median among survivors only are both biased; papers often do not say which
    they report.

    Parameters
    ----------
    durations, events : array-like
        Follow-up times and event indicators (1 event, 0 censored), as for :func:`km_table`.
    ci : {"log", "log-log"}
        Confidence interval of the median, as :func:`median_survival`. The median and its
        limits follow R's ``print.survfit`` rule (where the reversed curve is exactly 0.5 over
        an interval, the midpoint of its start and the curve's next drop), so the result is
        what ``print(survfit(Surv(time, 1 - status) ~ 1))`` shows. (The former spelling
        "loglog" warns.)
    level : float
        Confidence level (0.95). (``alpha``, its former name as 1 - level, warns.)

    Returns
    -------
    MedianSurvival
        ``median`` follow-up with its interval; ``n``; ``events`` counts the censored rows (the
        "events" of the reversed curve).

    Raises
    ------
    ValueError
        No censored observation (every patient had the event: potential follow-up is not
        estimable), invalid inputs.

    References
    ----------
    Schemper M, Smith TL. Control Clin Trials 1996;17:343-346.
    """
    ci = check_ci(ci, ("log", "log-log"))
    t, e = _inputs(durations, events)
    if (e == 0).sum() == 0:
        raise ValueError(
            "events: no censored observation; the reverse Kaplan-Meier has no "
            "'event', so potential follow-up is not estimable (report the range)"
        )
    return median_survival(t, 1 - e, ci=ci, level=level)


@dataclasses.dataclass(frozen=True, repr=False)
class EventsPerVariable(Result):
    """Events per candidate parameter of a regression model."""

    _title: ClassVar[str] = "Events per variable"
    events: int
    parameters: int
    epv: float
    threshold: float
    adequate: bool
    per_covariate: pd.Series


def events_per_variable(
    data: pd.DataFrame,
    event: str,
    covariates: Sequence[str],
    reference: dict | None = None,
    event_of_interest: int = 1,
    threshold: float = 10.0,
) -> EventsPerVariable:
    """Events per variable (EPV) of a planned Cox or Fine-Gray model.

    The count is of *parameters*, not columns: a categorical covariate with k levels costs k - 1
    (coded as :func:`cox` codes it). Counted over the rows complete in ``event`` and every
    covariate, as the model would use them.

    Parameters
    ----------
    data : DataFrame
    event : str
        Event column (0/1, or competing-risk codes with ``event_of_interest``).
    covariates : list of str
        Candidate covariates (all that were screened, not only the ones kept: selection spends
        events too).
    reference : dict, optional
        Reference levels (do not change the count).
    event_of_interest : int
        Code counted as an event.
    threshold : float
        The rule of thumb compared with: 10 (Peduzzi et al. 1995); 5-9 is often acceptable
        (Vittinghoff & McCulloch 2007).

    Returns
    -------
    EventsPerVariable
        ``events``, ``parameters``, ``epv``, ``threshold``, ``adequate`` and ``per_covariate``
        (parameters per covariate).

    References
    ----------
    Peduzzi P et al. J Clin Epidemiol 1995;48:1503-1510. Vittinghoff E, McCulloch CE. Am J
    Epidemiol 2007;165:710-718.
    """
    covariates = [covariates] if isinstance(covariates, str) else list(covariates)
    if not covariates:
        raise ValueError("covariates must name at least one column")
    check_columns(data, [event, *covariates], "data")
    threshold = check_number(threshold, "threshold", low=0)
    df = data[[event, *covariates]].dropna().copy()
    if len(df) == 0:
        raise ValueError(f"data has no complete rows in {[event, *covariates]}")
    for c in covariates:  # unused levels cost nothing: cox() drops them, as R does
        if isinstance(df[c].dtype, pd.CategoricalDtype):
            df[c] = df[c].cat.remove_unused_categories()
    blocks = indicator_blocks(df, covariates, reference)
    per = pd.Series({c: blocks[c].shape[1] for c in covariates}, name="parameters")
    ev = df[event].to_numpy()
    if not np.issubdtype(np.asarray(ev).dtype, np.number):
        raise ValueError(f"{event} (event) must be numeric codes")
    n_events = int((ev == event_of_interest).sum())
    params = int(per.sum())
    if params == 0:
        raise ValueError("covariates: every covariate is constant (no parameters to estimate)")
    epv = n_events / params
    return EventsPerVariable(n_events, params, float(epv), threshold, bool(epv >= threshold), per)
