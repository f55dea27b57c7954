"""Result objects shared by the statistics modules.

In the style of lifelines' ``StatisticalResult``: every test returns an object with named fields
(``statistic``, ``df``, ``p_value``, ...) that prints readably in a notebook and in a terminal.
Printed numbers are rounded (4 significant digits) so that stored notebook outputs are stable.
"""

from __future__ import annotations

import dataclasses
import html
import math
from typing import Any, ClassVar

import numpy as np
import pandas as pd


def format_p(p: float, digits: int = 3) -> str:
    """Format a p-value as papers print it: ``<0.001`` below the last digit, else rounded."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "NA"
    floor = 10.0 ** (-digits)
    if p < floor:
        return f"<{floor:.{digits}f}"
    return f"{p:.{digits}f}"


def format_value(v: Any, sig: int = 4) -> str:
    """Format a scalar for display: floats to ``sig`` significant digits, others as str."""
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        if math.isnan(v):
            return "NA"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return f"{float(v):.{sig}g}"
    if isinstance(v, (tuple, list)) and len(v) <= 6 and all(np.isscalar(x) for x in v):
        return "(" + ", ".join(format_value(x, sig) for x in v) + ")"
    return str(v)


def _rounded(v):
    """Round numeric columns of a DataFrame/Series to 4 decimals; leave other columns alone."""
    try:
        return v.round(4)
    except TypeError:
        if isinstance(v, pd.Series):
            return v
        return v.apply(lambda c: c.round(4) if c.dtype.kind in "fc" else c)


@dataclasses.dataclass(frozen=True, repr=False)
class Result:
    """Base class of every result object.

    Subclasses are frozen dataclasses. Scalar fields are listed one per line; DataFrames and
    arrays are printed below them. Fields whose name starts with an underscore are hidden.
    """

    _title: ClassVar[str] = "Result"

    def to_dict(self) -> dict[str, Any]:
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if not f.name.startswith("_")
        }

    def _split(self):
        scalars, tables = [], []
        for k, v in self.to_dict().items():
            if isinstance(v, (pd.DataFrame, pd.Series)) or (
                isinstance(v, np.ndarray) and v.ndim >= 1 and v.size > 6
            ):
                tables.append((k, v))
            elif isinstance(v, np.ndarray):
                scalars.append((k, tuple(v.tolist())))
            elif isinstance(v, dict):
                tables.append((k, pd.Series(v, dtype=object)))
            else:
                scalars.append((k, v))
        return scalars, tables

    def _fmt(self, k: str, v: Any) -> str:
        if k.startswith("p_value") or k == "p":
            return format_p(v, 4) if isinstance(v, (float, np.floating)) else format_value(v)
        return format_value(v)

    def __repr__(self) -> str:
        scalars, tables = self._split()
        width = max([len(k) for k, _ in scalars] + [4])
        lines = [f"<{self._title}>"]
        lines += [f"  {k:<{width}}  {self._fmt(k, v)}" for k, v in scalars]
        for k, v in tables:
            body = (
                _rounded(v).to_string()
                if isinstance(v, (pd.DataFrame, pd.Series))
                else np.array2string(np.asarray(v), precision=4)
            )
            lines.append(f"  {k}:")
            lines += ["    " + line for line in body.splitlines()]
        return "\n".join(lines)

    __str__ = __repr__

    def _repr_html_(self) -> str:
        scalars, tables = self._split()
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(self._fmt(k, v))}</td></tr>"
            for k, v in scalars
        )
        out = f"<div><b>{html.escape(self._title)}</b><table>{rows}</table>"
        for k, v in tables:
            if isinstance(v, pd.Series):
                v = v.to_frame()
            inner = (
                _rounded(v).to_html()
                if isinstance(v, pd.DataFrame)
                else html.escape(np.array2string(np.asarray(v), precision=4))
            )
            out += f"<p><i>{html.escape(k)}</i></p>{inner}"
        return out + "</div>"


@dataclasses.dataclass(frozen=True, repr=False)
class TestResult(Result):
    """A hypothesis test: name, statistic, degrees of freedom (or None) and p-value."""

    _title: ClassVar[str] = "Test result"
    __test__: ClassVar[bool] = False  # not a pytest test class
    test: str
    statistic: float
    df: float | None
    p_value: float

    def __iter__(self):  # allows ``stat, p = result`` like scipy
        yield self.statistic
        yield self.p_value


__all__ = ["Result", "TestResult", "format_p", "format_value"]
