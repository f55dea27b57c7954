"""Repeated measures: a linear mixed model (random intercept per patient, group x time) and a
baseline-adjusted comparison (ANCOVA), both thin wrappers over statsmodels.

One module per concept: ``_long`` (:func:`to_long` and the column checks), ``_mixed``
(:func:`mixed_model`), ``_ancova`` (:func:`ancova`); every public name is importable as
``spinemets.repeated.X``.

A study that measures pain, KPS or quality of life at several time points in two groups has one
question per time point and one overall question ("do the groups' courses differ?"). A t-test at
one time point compares the groups at that time, which involves no within-patient correlation;
what separate t-tests at every time point ignore is the joint structure across visits: they
multiply the chances of a false positive, each uses only the patients seen at that visit (so
dropout changes who is compared), and none uses the information the other measurements of the
same patient carry. The mixed model uses every measurement, with the within-patient correlation
modelled by a random intercept, and its group x time interaction asks the overall question.
ANCOVA of the follow-up value adjusted for baseline is the most efficient
analysis of a single follow-up time point in a randomised comparison (Vickers & Altman 2001); in
an observational study it still does not remove confounding by indication.

References
----------
Laird NM, Ware JH. Random-effects models for longitudinal data. Biometrics 1982;38(4):963-974.
doi:10.2307/2529876
Vickers AJ, Altman DG. Analysing controlled trials with baseline and follow up measurements.
BMJ 2001;323(7321):1123-1124. doi:10.1136/bmj.323.7321.1123
Seabold S, Perktold J. statsmodels: econometric and statistical modeling with Python. Proc. 9th
Python in Science Conference, 2010. doi:10.25080/Majora-92bf1922-011
"""

from ._ancova import AncovaResult, ancova
from ._long import to_long
from ._mixed import MixedModelResult, mixed_model

__all__ = ["to_long", "mixed_model", "MixedModelResult", "ancova", "AncovaResult"]
