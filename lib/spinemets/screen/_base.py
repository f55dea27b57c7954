"""What every rule shares: resolving a relation's fields to printed numbers, and the rule table.

A rule is declared with :func:`rule`, naming its required and optional fields by kind:

- *number* fields hold a registry id (``t2_hr``) or a literal number (``28``, ``"0.068"``);
- *count* fields are numbers read as exact when printed without decimals;
- *list* fields hold two or more numbers;
- *flag* fields take ``true``/``false`` only (``"false"`` is refused: a string is truthy);
- *choice* fields take one of a fixed set of words;
- *real* fields take a plain number (a level, a grid step);
- *map* fields map names to numbers (``{patients: 28, lesions: 36}``);
- *word* fields hold a label (``composite_name: PFS``).

The table of declarations is what the input check (:func:`spinemets.screen.check.problems`)
uses, so a misspelt field, a missing field or a flag written as a string is an input error
naming the field, never a silent "not applicable".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from .printed import Printed, is_number_text


class NotApplicable(Exception):
    """The rule cannot apply to these printed numbers (the message says why)."""


class NotCheckable(Exception):
    """The printed numbers are valid but carry too little to check (the message says why)."""


@dataclasses.dataclass(frozen=True)
class Spec:
    name: str
    func: Callable
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    counts: tuple[str, ...] = ()  # number fields read as exact counts
    lists: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    choices: Mapping[str, tuple] = dataclasses.field(default_factory=dict)
    reals: tuple[str, ...] = ()
    maps: tuple[str, ...] = ()  # name -> number mappings
    words: tuple[str, ...] = ()  # free labels (a name, not a number)
    conventions: str = ""  # which printing conventions the rule assumes
    doc: str = ""

    @property
    def fields(self) -> tuple[str, ...]:
        return self.required + self.optional


COMMON = ("rule", "source", "note", "applies", "reason", "id")
SPECS: dict[str, Spec] = {}


def rule(
    name,
    *,
    required=(),
    optional=(),
    counts=(),
    lists=(),
    flags=(),
    choices=None,
    reals=(),
    maps=(),
    words=(),
    conventions="",
):
    """Register a rule function ``f(rel, nums) -> (verdict, arithmetic, tolerance)``."""

    def deco(f):
        SPECS[name] = Spec(
            name,
            f,
            tuple(required),
            tuple(optional),
            tuple(counts),
            tuple(lists),
            tuple(flags),
            dict(choices or {}),
            tuple(reals),
            tuple(maps),
            tuple(words),
            conventions,
            (f.__doc__ or "").strip(),
        )
        return f

    return deco


class Numbers:
    """Resolve relation fields: a registry id, or a literal number (exact if a count)."""

    def __init__(self, registry, truncated: bool = False):
        self.registry = registry
        self.truncated = truncated  # read printed digits as cut, not rounded
        self.used: list[str] = []

    def _conv(self, p: Printed) -> Printed:
        if not self.truncated or p.exact or p.bound:
            return p
        h2 = 2 * p.half_unit
        lo, hi = (p.value, p.value + h2) if p.value >= 0 else (p.value - h2, p.value)
        return dataclasses.replace(p, low=lo, high=hi)

    def get(self, rel: Mapping, field: str, *, count: bool = False, required: bool = True):
        if field not in rel or rel[field] is None:
            if required:
                raise NotApplicable(f"the relation has no {field!r}")
            return None
        return self.resolve(rel[field], field, count=count)

    def resolve(self, ref: Any, field: str, *, count: bool = False) -> Printed:
        if isinstance(ref, str) and not is_number_text(ref):
            if self.registry is None or ref not in self.registry:
                key = getattr(self.registry, "key", "the registry")
                raise ValueError(
                    f"relation field {field!r} names {ref!r}, which is neither a "
                    f"printed number nor a number of {key}"
                )
            pub = self.registry[ref]
            self.used.append(ref)
            return self._conv(
                Printed.of(
                    pub.text, exact=count and pub.bound is None and pub.decimals == 0, name=ref
                )
            )
        if isinstance(ref, str):
            # a number typed into the relation as printed text: it was rounded like the others
            t = ref.strip()
            return self._conv(
                Printed.of(
                    t,
                    exact=count and "." not in t and t[:1] not in "<>" and "e" not in t.lower(),
                    name=field,
                )
            )
        if isinstance(ref, bool) or not isinstance(ref, (int, float)):
            raise ValueError(
                f"relation field {field!r} must be a registry id or a number, got {ref!r}"
            )
        return Printed.of(repr(ref), exact=True, name=field)  # an exact literal

    def many(self, rel: Mapping, field: str, *, count: bool = False) -> list[Printed]:
        refs = rel.get(field)
        if not isinstance(refs, (list, tuple)) or len(refs) < 2:
            raise NotApplicable(f"{field!r} must list at least two numbers")
        return [self.resolve(r, field, count=count) for r in refs]


__all__ = ["NotApplicable", "NotCheckable", "Spec", "SPECS", "COMMON", "rule", "Numbers"]
