"""One vocabulary across the library (issue 22 item 11; the table is in spinemets._validation).

Walks every public function (``__all__`` of every public module and subpackage), inspects its
signature and fails on an argument name that the vocabulary never uses (the "not" column), on a
test function named with a ``_test`` suffix, and on a ``ci`` whose default is not one of the
interval types. The allow-list holds the violations that remain, by module, so that the lead can
shrink it: an entry that is no longer needed fails too (delete it).
"""

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

#: Current violations, "module.function": {names}. "<name>" stands for the function's own name
#: (a ``_test`` suffix), "ci=<default>" for a ``ci`` default outside CI_VALUES.
ALLOWED = {
    # -- survival: another helper is editing it in this round (conf_type -> ci with "log-log",
    #    alpha -> level, event_codes + cause -> events + event_of_interest, factors ->
    #    covariates, gray_test -> a name without the suffix)
    "spinemets.survival.km.km_table": {"alpha", "conf_type"},
    "spinemets.survival.km.survival_at": {"alpha", "conf_type"},
    "spinemets.survival.km.median_survival": {"alpha"},
    "spinemets.survival.followup.median_followup": {"alpha"},
    "spinemets.survival.cox.cox": {"alpha"},
    "spinemets.survival.finegray.fine_gray": {"alpha"},
    "spinemets.survival.firth.firth_cox": {"alpha"},
    "spinemets.survival.competing.cumulative_incidence": {"cause", "event_codes"},
    "spinemets.survival.gray.gray_test": {"cause", "event_codes", "<name>"},
    "spinemets.survival.tables.univariate_table": {"factors"},
    # -- discrimination (another helper): alpha -> level, n_boot -> n_resamples; its ci names
    #    the variance method ("ij", "bootstrap"), not an interval type: se_method?
    "spinemets.discrimination.concordance": {"alpha", "n_boot", "ci=ij"},
    # -- matching (another helper): treat / treatment -> group
    "spinemets.matching.balance.balance_table": {"treat"},
    "spinemets.matching._algorithms.match_pairs": {"treatment"},
    # -- repeated (another helper): alpha -> level
    "spinemets.repeated.ancova": {"alpha"},
    "spinemets.repeated.mixed_model": {"alpha"},
    # -- cohorts (another helper): df -> data, rng -> seed (a Generator is passed today)
    "spinemets.cohorts.engine.seed_loss": {"df"},
    "spinemets.cohorts.engine.to_csv_text": {"df"},
    "spinemets.cohorts.engine.validate": {"df"},
    "spinemets.cohorts.report.calibration_table": {"df"},
    "spinemets.cohorts.survival.covariate": {"df"},
    "spinemets.cohorts.survival.simulate_survival": {"df", "rng"},
    "spinemets.cohorts.margins.pinned_sample": {"rng"},
    # -- power (another helper): alpha is the type I error -> sig_level
    "spinemets.power.logrank_detectable_hr": {"alpha"},
    "spinemets.power.logrank_events": {"alpha"},
    "spinemets.power.logrank_power": {"alpha"},
    "spinemets.power.mcnemar_detectable": {"alpha"},
    "spinemets.power.pair_logrank_detectable_hr": {"alpha"},
    "spinemets.power.pair_logrank_power": {"alpha"},
    "spinemets.power.mcnemar_pairs": {"alpha"},
    "spinemets.power.mcnemar_power": {"alpha"},
    "spinemets.power.paired_t_detectable": {"alpha"},
    "spinemets.power.paired_t_power": {"alpha"},
    "spinemets.power.proportions_detectable": {"alpha"},
    "spinemets.power.proportions_power": {"alpha"},
    # -- scores (another helper): the *_from_frame functions take df -> data
    "spinemets.scores.liver.child_pugh_from_frame": {"df"},
    "spinemets.scores.sins.sins_from_frame": {"df"},
    "spinemets.scores.tokuhashi.tokuhashi_original_from_frame": {"df"},
    "spinemets.scores.tokuhashi.tokuhashi_revised_from_frame": {"df"},
    "spinemets.scores.tomita.tomita_from_frame": {"df"},
    # -- analyses: every paper module and the dispatcher take ``cohort`` (choi2015 also ``d``);
    #    rename them together, with chapters 10-14, in one pass.
    "spinemets.analyses.analyse": {"cohort"},
    "spinemets.analyses.choi2015.analyse": {"cohort"},
    "spinemets.analyses.choi2015.prepare": {"cohort"},
    "spinemets.analyses.choi2015.cox_frame": {"d"},
    "spinemets.analyses.choi2015.overall_survival": {"d"},
    "spinemets.analyses.choi2015.risk_groups": {"d"},
    "spinemets.analyses.choi2015.table3": {"d"},
    "spinemets.analyses.choi2015.table4_cox": {"d"},
    "spinemets.analyses.choi2015.table4_univariate": {"d"},
    "spinemets.analyses.lee2015.analyse": {"cohort"},
    "spinemets.analyses.lee2015.by_construction": {"cohort"},
    "spinemets.analyses.lee2015.discrimination": {"cohort"},
    "spinemets.analyses.lee2015.first_operations": {"cohort"},
    "spinemets.analyses.lee2015.prepare": {"cohort"},
    "spinemets.analyses.lee2015.rescore": {"cohort"},
    "spinemets.analyses.lee2015.table1": {"cohort"},
    "spinemets.analyses.lee2015.table2": {"cohort"},
    **{
        f"spinemets.analyses.sohn2016.{f}": {"cohort"}
        for f in ("analyse", "by_construction", "emergent", "pair_rt_group", "prepare", "select")
    },
    # -- compare: contingency_test keeps its name until chapters 03, 10-14 move to the new one
    #    (the new name is the lead's call: scipy's chi2_contingency does not do Fisher)
    "spinemets.compare.contingency.contingency_test": {"<name>"},
}


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


@pytest.mark.parametrize("key", sorted(FUNCTIONS))
def test_argument_names_follow_the_vocabulary(key):
    bad = _violations(key, FUNCTIONS[key]) - ALLOWED.get(key, set())
    hints = [
        f"{b} -> {BANNED.get(b, 'see the vocabulary in spinemets._validation')}"
        for b in sorted(bad)
    ]
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


def test_renamed_arguments_warn_with_the_new_name():
    # every deprecation alias points to a name that is in the signature
    for key, func in FUNCTIONS.items():
        renamed = getattr(func, "__renamed_arguments__", {})
        params = set(inspect.signature(func).parameters)
        for old, new in renamed.items():
            assert new in params and old not in params, (key, old, new)
            assert old in BANNED, (key, old)
