"""One vocabulary across the library (issue 22 item 11; the table is in spinemets._validation).

Walks every public function (``__all__`` of every public module and subpackage), inspects its
signature and fails on an argument name that the vocabulary never uses (the "not" column), on a
name used in a role where the table gives another (``time`` for anything but the visit column of
long data, ``status``), on a test function named with a ``_test`` suffix, and on a ``ci`` whose
default is not one of the interval types. It also walks the fields of every public result class
(``lower``/``upper``, ``p_min``/``p_max``, ``sig_level``, ``event_of_interest``). The allow-list
holds the violations that remain, by module, so that the lead can shrink it: an entry that is no
longer needed fails too (delete it).
"""

import dataclasses
import importlib
import inspect
import pkgutil
import warnings

import pytest

import spinemets

#: argument name -> the canonical name(s) (the "not" column of the vocabulary)
BANNED = {
    "conf_type": "ci",
    "alpha": "level (an interval) or sig_level (a decision)",
    "conf_level": "level",
    "confidence": "level",
    "cause": "event_of_interest",
    "failcode": "event_of_interest",
    "event_codes": "events",
    "groupby": "group",
    "treat": "group",
    "treatment": "group",
    "df": "data (a DataFrame) or df_rule (a degrees-of-freedom rule)",
    "d": "data",
    "cohort": "data",
    "rng": "seed",
    "random_state": "seed",
    "candidates": "covariates (model terms) or cutoffs",
    "factors": "covariates",
    "row_margins": "row_totals",
    "col_margins": "col_totals",
    "p_low": "p_min",
    "p_high": "p_max",
    "ci_lower": "lower",
    "ci_upper": "upper",
    "n_boot": "n_resamples",
    "n_bootstrap": "n_resamples",
    "B": "n_resamples",
}
CI_VALUES = {"log", "log-log", "plain", "spss"}

#: Names that are canonical in one role only: argument name -> (what it must be elsewhere, the
#: functions where it has its canonical role).
ROLE_BANNED = {
    "time": (
        "durations (an array), landmark_time (a landmark), times (evaluation times)",
        {"spinemets.repeated._mixed.mixed_model"},  # the visit-time column of long data
    ),
    "status": ("events", set()),
    "event": ("events (an array); event is the event column of data", set()),
}

#: Result fields: the argument vocabulary applies, except ``df``, which in a result is the
#: degrees of freedom (R's and scipy's word), and ``method``/``ci``, which name how a result
#: was computed.
FIELD_BANNED = {k: v for k, v in BANNED.items() if k != "df"} | {
    "ci_low": "lower",
    "ci_high": "upper",
    "cause": "event_of_interest",
}
#: Result fields that remain: "module.Class": {fields}.
FIELDS_ALLOWED = {
    # -- screen (the screen helper): p_low/p_high -> p_min/p_max
}

#: Current violations, "module.function": {names}. "<name>" stands for the function's own name
#: (a ``_test`` suffix), "ci=<default>" for a ``ci`` default outside CI_VALUES.
ALLOWED: dict[str, set[str]] = {}


def _public_modules():
    names = ["spinemets"] + [
        m.name for m in pkgutil.walk_packages(spinemets.__path__, "spinemets.")
    ]
    for name in names:
        if any(part.startswith("_") for part in name.split(".")[1:]):
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield importlib.import_module(name)


def _public_functions():
    seen = {}
    for module in _public_modules():
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name, None)
            if obj is None or inspect.isclass(obj) or not callable(obj):
                continue
            key = f"{getattr(obj, '__module__', module.__name__)}.{obj.__name__}"
            seen.setdefault(key, obj)
    return seen


FUNCTIONS = _public_functions()


def _violations(key, func):
    found = set()
    try:
        params = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return found
    for p in params.values():
        if p.name in BANNED:
            found.add(p.name)
        role = ROLE_BANNED.get(p.name)
        if role is not None and key not in role[1] and _is_array_role(p.name, func):
            found.add(p.name)
        if p.name == "ci" and isinstance(p.default, str) and p.default not in CI_VALUES:
            found.add(f"ci={p.default}")
    if func.__name__.endswith("_test"):
        found.add("<name>")
    return found


def test_the_walk_finds_the_library():
    # a broken walk would pass vacuously: check that it sees functions of every package
    prefixes = {k.split(".")[1] for k in FUNCTIONS}
    assert {
        "compare",
        "survival",
        "radiobiology",
        "simulate",
        "analyses",
        "cohorts",
        "scores",
        "matching",
        "power",
        "screen",
    } <= prefixes
    assert len(FUNCTIONS) > 150


def _is_array_role(name, func):
    """``event`` is canonical as the event column of ``data`` (a str): it is banned only where
    the function takes no ``data`` (so ``event`` is an array of indicators)."""
    if name != "event":
        return True
    return "data" not in inspect.signature(func).parameters


def _hint(b):
    if b in BANNED:
        return BANNED[b]
    if b in ROLE_BANNED:
        return ROLE_BANNED[b][0]
    return "see the vocabulary in spinemets._validation"


@pytest.mark.parametrize("key", sorted(FUNCTIONS))
def test_argument_names_follow_the_vocabulary(key):
    bad = _violations(key, FUNCTIONS[key]) - ALLOWED.get(key, set())
    hints = [f"{b} -> {_hint(b)}" for b in sorted(bad)]
    assert not bad, f"{key}: non-canonical name(s): {'; '.join(hints)}"


def test_the_allow_list_only_holds_current_violations():
    stale = {}
    for key, allowed in ALLOWED.items():
        if key not in FUNCTIONS:
            stale[key] = "no such public function"
            continue
        fixed = allowed - _violations(key, FUNCTIONS[key])
        if fixed:
            stale[key] = sorted(fixed)
    assert not stale, f"fixed: delete these allow-list entries: {stale}"


#: Renames of a name that is canonical in another role: "function": {old}.
ROLE_RENAMES = {
    # ci is the interval transformation; concordance's "ij"/"bootstrap" is a method
    "spinemets.discrimination.concordance": {"ci"},
}


def test_renamed_arguments_warn_with_the_new_name():
    # every deprecation alias points to a name that is in the signature
    for key, func in FUNCTIONS.items():
        renamed = getattr(func, "__renamed_arguments__", {})
        params = set(inspect.signature(func).parameters)
        for old, new in renamed.items():
            assert new in params and old not in params, (key, old, new)
            assert old in BANNED or old in ROLE_BANNED or old in ROLE_RENAMES.get(key, ()), (
                key,
                old,
            )


def _result_classes():
    from spinemets._results import Result

    seen = {}
    for module in _public_modules():
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name, None)
            if inspect.isclass(obj) and issubclass(obj, Result) and dataclasses.is_dataclass(obj):
                seen.setdefault(f"{obj.__module__}.{obj.__name__}", obj)
    return seen


RESULTS = _result_classes()


def test_the_walk_finds_the_result_classes():
    assert len(RESULTS) > 20
    assert "spinemets.survival.gray.GrayResult" in RESULTS


@pytest.mark.parametrize("key", sorted(RESULTS))
def test_result_fields_follow_the_vocabulary(key):
    fields = {f.name for f in dataclasses.fields(RESULTS[key])}
    bad = (fields & set(FIELD_BANNED)) - FIELDS_ALLOWED.get(key, set())
    hints = [f"{b} -> {FIELD_BANNED[b]}" for b in sorted(bad)]
    assert not bad, f"{key}: non-canonical field(s): {'; '.join(hints)}"


def test_the_field_allow_list_only_holds_current_violations():
    stale = {
        key: sorted(allowed - {f.name for f in dataclasses.fields(RESULTS[key])})
        for key, allowed in FIELDS_ALLOWED.items()
        if key not in RESULTS or allowed - {f.name for f in dataclasses.fields(RESULTS[key])}
    }
    assert not stale, f"fixed: delete these allow-list entries: {stale}"


def test_deprecated_aliases_warn_and_name_the_new_function():
    from spinemets import survival

    with pytest.warns(DeprecationWarning, match="use gray_k_sample"):
        old = survival.gray_test([1, 2, 3, 4], [1, 0, 1, 1], [0, 0, 1, 1])
    assert (
        old.statistic == survival.gray_k_sample([1, 2, 3, 4], [1, 0, 1, 1], [0, 0, 1, 1]).statistic
    )
    assert "gray_test" not in survival.__all__
