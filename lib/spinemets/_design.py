"""Design matrices shared by the regression functions (Cox in survival, logistic in compare)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def is_categorical(col: pd.Series) -> bool:
    return col.dtype == object or isinstance(col.dtype, pd.CategoricalDtype) or col.dtype == bool


def indicator_blocks(
    data: pd.DataFrame, columns: Sequence[str], reference: dict | None
) -> dict[str, pd.DataFrame]:
    """One block of columns per variable: numeric variables as they are, categorical ones as 0/1
    indicators named ``column[level]`` against a reference level (the first sorted level unless
    ``reference={column: level}`` says otherwise).

    Raises
    ------
    ValueError
        A reference level that the column does not have, or a reference for a numeric column.
    """
    reference = dict(reference or {})
    blocks = {}
    for c in columns:
        col = data[c]
        if is_categorical(col):
            levels = (
                list(col.cat.categories)
                if isinstance(col.dtype, pd.CategoricalDtype)
                else sorted(pd.unique(col), key=str)
            )
            ref = reference.get(c, levels[0])
            if ref not in levels:
                raise ValueError(
                    f"reference[{c!r}] = {ref!r} is not a level of {c}; levels: {levels}"
                )
            blocks[c] = pd.DataFrame(
                {f"{c}[{lev}]": (col == lev).astype(float) for lev in levels if lev != ref},
                index=data.index,
            )
        else:
            if c in reference:
                raise ValueError(
                    f"reference given for numeric column {c!r}; convert it to a category first"
                )
            blocks[c] = pd.DataFrame({c: col.astype(float)}, index=data.index)
    return blocks
