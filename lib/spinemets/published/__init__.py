"""The registry of published numbers, and published-vs-reproduced tables.

Each paper's published numbers live in ``data/published/<key>.yaml``, one entry per number, each
with where it comes from (table/figure/text, row, column). A registry file looks like::

    paper: choi2015
    letter: A
    citation: "Choi C, Seong J. ... Gut Liver 2015;9(1):94-102."
    numbers:
      bed10_median:
        quantity: Median BED of the cohort
        value: 44.2
        unit: Gy10
        source: {where: text, section: "Methods, 4. Treatment"}
      table2_cr_bed_p:
        quantity: CR by BED group, p-value
        value: "<0.001"
        source: {where: table, table: "Table 2", row: "BED, Gy10", column: "p-value (CR)"}

Numbers keep their printed precision: ``0.080`` is read as three decimals, so the default
tolerance when comparing is half a unit in the last printed digit (``0.080`` agrees with
anything in [0.0795, 0.0805]). Values such as ``"<0.001"`` are bounds.

Every reproduced number carries one of three labels:

``recomputed``
    computed directly from a published table or schedule (no synthetic data involved);
``by construction``
    the synthetic cohort was built to match it, so agreement proves nothing about the method;
``emergent``
    it came out of running the analysis on the synthetic cohort.

The package, by concept (every name importable from ``spinemets.published`` as before):

- :mod:`.registry`: the registry files and :class:`PublishedNumber` / :class:`Registry`;
- :mod:`.judging`: :class:`Reproduced`, verdicts, the informativeness rule, distinct quantities;
- :mod:`.view`: :func:`compare`, :class:`Comparison`, :func:`from_replicates`, :func:`concat`;
- :mod:`.ratio`: :func:`check_ratio` (a ratio with its CI and p, from printed numbers);
- :mod:`.counts`: :func:`summary` and :class:`VerdictSummary` (the counts a chapter cites).
"""

from __future__ import annotations

from ..paths import PUBLISHED_DIR  # noqa: F401  (published.PUBLISHED_DIR, as before)
from .counts import (  # noqa: F401
    _CATEGORIES,
    VerdictSummary,
    _quantity_category,
    summary,
)
from .judging import (  # noqa: F401
    _P_ID,
    _PROPORTION_WORDS,
    _RATIO_ID,
    _VERDICTS,
    MIN_REPLICATES,
    OTHER_RTOL,
    PROPORTION_WIDTH,
    RATIO_FACTOR,
    TIME_WIDTH,
    Reproduced,
    _clinical_band,
    _emergent,
    _num,
    _ratio_members,
    _ratio_members_cached,
    _relations,
    _verdict,
    _verdict_kind,
    informativeness_rule,
    is_p_value,
    quantities,
    value_kind,
)
from .ratio import (  # noqa: F401
    RatioCheck,
    _interval,
    check_ratio,
)
from .registry import (  # noqa: F401
    LABELS,
    PAPERS,
    WHERE,
    PublishedNumber,
    Registry,
    _keep_text,
    _load_path,
    _mapping_without_duplicates,
    _parse_entry,
    _PrintedNumber,
    _read_yaml,
    _read_yaml_cached,
    _TextLoader,
    load,
    parse_printed,
)
from .view import (  # noqa: F401
    _COLUMN_ABBREV,
    _ROW_ABBREV,
    Comparison,
    _as_printed,
    _short,
    compare,
    concat,
    from_replicates,
    short_source,
)

__all__ = [
    "check_ratio",
    "RatioCheck",
    "PAPERS",
    "LABELS",
    "MIN_REPLICATES",
    "PublishedNumber",
    "Registry",
    "Reproduced",
    "Comparison",
    "load",
    "compare",
    "concat",
    "parse_printed",
    "from_replicates",
    "short_source",
    "is_p_value",
    "summary",
    "VerdictSummary",
    "quantities",
    "value_kind",
    "informativeness_rule",
    "RATIO_FACTOR",
    "PROPORTION_WIDTH",
    "TIME_WIDTH",
    "OTHER_RTOL",
]
