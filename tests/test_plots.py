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
