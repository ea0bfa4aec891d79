"""The validation report: its estimator against a known matching function, and a quick report
with every section (the full report is `make validate`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecosim.calibrate import load_calibration
from ecosim.validation import ROOT, Settings, build, fit_matching_function


def test_the_matching_function_estimator_recovers_known_elasticities() -> None:
    """Synthetic panel: ln H = a_g + 0.6 ln u + 0.4 ln v + AR(1) noise, 8 groups x 120 months."""
    rng = np.random.default_rng(5)
    rows = []
    for g in range(8):
        ln_u = np.cumsum(rng.normal(0, 0.05, 120)) + rng.normal(5, 0.5)
        ln_v = np.cumsum(rng.normal(0, 0.05, 120)) + rng.normal(4, 0.5)
        eps = np.zeros(120)
        for t in range(1, 120):
            eps[t] = 0.5 * eps[t - 1] + rng.normal(0, 0.05)
        ln_h = 0.3 * g + 0.6 * ln_u + 0.4 * ln_v + eps
        rows.append(
            pd.DataFrame(
                {
                    "run": g,
                    "month": np.arange(120),
                    "hires": np.exp(ln_h),
                    "u": np.exp(ln_u),
                    "v": np.exp(ln_v),
                }
            )
        )
    fit = fit_matching_function(pd.concat(rows, ignore_index=True), ["run"])
    assert fit["observations"] == 960
    assert fit["alpha_u"] == pytest.approx(0.6, abs=3 * fit["se_alpha"])
    assert fit["beta_v"] == pytest.approx(0.4, abs=3 * fit["se_beta"])
    assert 0 < fit["se_alpha"] < 0.1 and 0 < fit["se_beta"] < 0.1
    assert fit["alpha_plus_beta"] == pytest.approx(1.0, abs=3 * fit["se_sum"])


def test_a_quick_report_has_every_section_and_its_figure(tmp_path) -> None:
    out = build(tmp_path / "docs" / "validation.md", Settings.quick(), tmp_path / "work")
    text = out.read_text()
    for heading in (
        "## 1. Dutch targets",
        "## 2. The matching function",
        "## 3. Which parameters matter (Morris screening)",
        "## 4. The literature as a special case",
    ):
        assert heading in text
    assert (tmp_path / "docs" / "figures" / "validation" / "beveridge_loop.png").is_file()
    targets = load_calibration(ROOT / "calibration" / "nl_2023.yaml").spec.targets
    for name, target in targets.items():
        assert f"| {name} | {target.value:.4g} |" in text
    assert "nan |" not in text.split("## 2.")[1].split("## 4.")[0]  # estimates and mu* finite
