"""Deprecation aliases for renamed arguments, functions and option values (one release).

Part of the input contract of :mod:`spinemets._validation` (rule 7, one vocabulary), which
re-exports everything here; contributors import from there.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Mapping
from typing import Any


def renamed_arguments(**old_to_new: str | tuple[str, Callable[[Any], Any]]):
    """Decorator: keep accepting an argument's old keyword name for one release.

    ``@renamed_arguments(alpha=("level", lambda a: 1 - a), candidates="covariates")``: a call
    with ``alpha=`` warns (``DeprecationWarning`` naming the new argument) and is passed on as
    ``level=1 - alpha``; passing both the old and the new name raises ValueError. The signature
    that :func:`inspect.signature` shows (and that ``tests/contract/test_vocabulary.py`` checks) is the
    new one; the old names are listed in the wrapper's ``__renamed_arguments__``.
    """

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for old, spec in old_to_new.items():
                if old not in kwargs:
                    continue
                new, convert = (spec, None) if isinstance(spec, str) else spec
                if new in kwargs:
                    raise ValueError(f"{func.__name__}: pass {new} only ({old} is its former name)")
                how = "" if convert is None else " (note the new meaning: see the docstring)"
                warnings.warn(
                    f"{func.__name__}: the argument {old!r} is deprecated and will be "
                    f"removed in the next release; use {new!r}{how}",
                    DeprecationWarning,
                    stacklevel=2,
                )
                value = kwargs.pop(old)
                kwargs[new] = value if convert is None else convert(value)
            return func(*args, **kwargs)

        wrapper.__renamed_arguments__ = {
            k: (v if isinstance(v, str) else v[0]) for k, v in old_to_new.items()
        }
        return wrapper

    return decorate


def renamed_function(func: Callable, old_name: str) -> Callable:
    """A deprecated alias of ``func`` under its former name, for one release.

    ``gray_test = renamed_function(gray_k_sample, "gray_test")``: calling the alias warns
    (``DeprecationWarning`` naming the new function) and calls ``func``. Do not list the alias
    in ``__all__``: the vocabulary test walks the new names only.
    """

    @functools.wraps(func)
    def alias(*args, **kwargs):
        warnings.warn(
            f"{old_name} is deprecated and will be removed in the next release; "
            f"use {func.__name__}",
            DeprecationWarning,
            stacklevel=2,
        )
        return func(*args, **kwargs)

    alias.__name__ = alias.__qualname__ = old_name
    alias.__deprecated_alias_of__ = func.__name__
    return alias


def renamed_value(value: Any, name: str, old_to_new: Mapping[str, str]) -> Any:
    """An option value's former spelling, accepted for one release with a DeprecationWarning
    (``ci="loglog"`` is read as ``ci="log-log"``); any other value is returned unchanged."""
    if isinstance(value, str) and value in old_to_new:
        new = old_to_new[value]
        warnings.warn(
            f"{name}={value!r} is deprecated and will be removed in the next release; "
            f"use {name}={new!r}",
            DeprecationWarning,
            stacklevel=3,
        )
        return new
    return value


def level_from_alpha(alpha: Any) -> float:
    """The confidence level ``1 - alpha`` for a call that still passes ``alpha``."""
    from ._validation import check_open_interval

    return 1.0 - check_open_interval(alpha, "alpha")
