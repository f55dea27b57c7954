"""spinemets.plots: the KM figure carries the numbers at risk and the log-rank p it claims."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from lifelines.datasets import load_lung  # noqa: E402

from spinemets import plots  # noqa: E402


def test_km_plot_at_risk_and_logrank():
    lung = load_lung()
    ax = plots.km_plot(lung.time, lung.status, lung.sex, at_risk_times=[0, 365, 730])
    texts = [t.get_text() for t in ax.texts]
    assert "log-rank p = 0.001" in texts
    # R: summary(survfit(...), times=365) n.risk: 1 year, sex 1: 35? count directly
    assert str(int((lung.time[lung.sex == 1] >= 365).sum())) in texts
    assert len(ax.get_lines()) >= 2
    matplotlib.pyplot.close("all")


def test_km_plot_single_curve_and_errors():
    ax = plots.km_plot([1, 2, 3], [1, 0, 1])
    assert ax.get_legend() is not None
    with pytest.raises(ValueError, match="no patients"):
        plots.km_plot([1, 2, 3], [1, 0, 1], ["a", "a", "b"], order=["a", "c"])
    with pytest.raises(ValueError, match="events must be 0"):
        plots.km_plot([1, 2], [1, 5])
    matplotlib.pyplot.close("all")


def test_km_plot_ticks_at_risk_and_range_agree():
    t = np.r_[np.linspace(1, 80, 50), np.linspace(1, 30, 50)]
    e = np.ones(100, int)
    ax = plots.km_plot(t, e, at_risk_times=[0, 6, 12, 18, 24])
    assert list(ax.get_xticks()) == [0, 6, 12, 18, 24]
    assert ax.get_xlim()[1] == pytest.approx(24 * 1.02)  # curves stop where the table stops
    x = ax.get_lines()[0].get_xdata()
    assert max(x) == pytest.approx(24)
    # default: from the data, ticks and at-risk columns span the whole plotted range
    ax = plots.km_plot(t, e)
    ticks = ax.get_xticks()
    assert (
        ticks[0] == 0
        and ticks[-1] <= 80
        and ticks[-1] >= 60
        and ax.get_xlim()[1] == pytest.approx(80 * 1.02)
    )
    at_risk = [tx.get_text() for tx in ax.texts if tx.get_text().isdigit()]
    assert len(at_risk) == len(ticks) and at_risk[0] == "100"
    # a published figure's range
    ax = plots.km_plot(t, e, xmax=36)
    assert ax.get_xticks()[-1] <= 36 and ax.get_xlim()[1] == pytest.approx(36 * 1.02)
    with pytest.raises(ValueError, match="at_risk_times must lie"):
        plots.km_plot(t, e, at_risk_times=[0, 12, 48], xmax=36)
    with pytest.raises(ValueError, match="increasing"):
        plots.km_plot(t, e, at_risk_times=[0, 12, 6])
    with pytest.raises(ValueError, match="xmax"):
        plots.km_plot(t, e, xmax=-1)
    matplotlib.pyplot.close("all")


def test_forest_plot():
    import pandas as pd

    rows = pd.DataFrame(
        {
            "published": [1.895, 0.571],
            "published_lower": [1.3, 0.37],
            "published_upper": [2.7, 0.88],
            "ours": [2.0, 0.6],
            "ours_lower": [1.4, 0.4],
            "ours_upper": [2.9, 0.9],
            "rep_lower": [1.4, 0.4],
            "rep_upper": [2.6, 0.95],
        },
        index=["ECOG 3-4", "no extrahepatic"],
    )
    ax = plots.forest_plot(rows)
    assert ax.get_xscale() == "log"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["ECOG 3-4", "no extrahepatic"]
    assert len(ax.patches) == 2  # replicate intervals
    with pytest.raises(ValueError, match="lacks column"):
        plots.forest_plot(rows[["published"]])
    bad = rows.copy()
    bad.loc["ECOG 3-4", "ours_lower"] = -1
    with pytest.raises(ValueError, match="> 0"):
        plots.forest_plot(bad)
    matplotlib.pyplot.close("all")


def test_replicate_plot():
    rng = np.random.default_rng(1)
    p = np.r_[10 ** rng.uniform(-5, 0, 99), np.nan]
    ax = plots.replicate_plot(p, published="<0.001", ours=0.02, xlabel="log-rank p")
    assert ax.get_xlabel() == "log10 log-rank p"  # p-values: log axis
    texts = [t.get_text() for t in ax.texts]
    assert "99 replicates (1 NaN dropped)" in texts
    labels = ax.get_legend_handles_labels()[1]
    assert "published <0.001" in labels and "our cohort 0.02" in labels
    ax = plots.replicate_plot(rng.normal(4.5, 0.5, 50), published=4.5)
    assert ax.get_xlabel() == "statistic"
    with pytest.raises(ValueError, match="no finite"):
        plots.replicate_plot([np.nan, np.nan])
    with pytest.raises(ValueError, match="bins"):
        plots.replicate_plot([1.0, 2.0], bins=0)
    matplotlib.pyplot.close("all")
