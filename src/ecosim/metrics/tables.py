"""Derived tables: indicators computed from a finished run's time series and recorded tables."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ecosim.metrics._checks import ratio
from ecosim.metrics.formulas import beveridge_curve
from ecosim.metrics.matching_function import estimate_matching_function
from ecosim.metrics.mismatch import jackman_roper, sstv_mismatch

SEGMENTATIONS: tuple[str, ...] = ("occupation", "sector", "region")


def mismatch_over_time(tables: dict[str, pd.DataFrame], alpha: float = 0.5) -> pd.DataFrame:
    """Jackman–Roper and Şahin–Song–Topa–Violante mismatch indices per month and segmentation.

    For each segmentation ``i`` ∈ {occupation, sector, region} and month, applies
    :func:`jackman_roper` ``½·Σ_i |u_i/u − v_i/v|`` and :func:`sstv_mismatch`
    ``1 − Σ_i (v_i/v)^α (u_i/u)^(1−α)`` to the unemployed ``u_i`` and vacancies ``v_i`` of the
    ``by_<segmentation>`` table (unemployed by last or aimed occupation, by last employer's
    sector, by region of residence; vacancies by the job's occupation, sector and region).

    Args:
        tables: Recorded tables containing some of ``by_occupation``, ``by_sector``,
            ``by_region`` (missing ones are skipped).
        alpha: Vacancy elasticity ``α`` of the SSTV index, in ``[0, 1]``.

    Returns:
        Columns ``month``, ``segmentation`` (categorical), ``jackman_roper``, ``sstv``,
        ``alpha`` and ``segments`` (their number; with one segment both indices are 0);
        ``nan`` in months without unemployed or without vacancies.
    """
    if not np.isfinite(alpha) or not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must lie in [0, 1]; got {alpha}")
    parts = []
    for seg in SEGMENTATIONS:
        df = tables.get(f"by_{seg}")
        if df is None or df.empty:
            continue
        u = df.pivot(index="month", columns=seg, values="unemployed")
        v = df.pivot(index="month", columns=seg, values="vacancies")
        u_arr, v_arr = u.to_numpy(), v.to_numpy()
        parts.append(
            pd.DataFrame(
                {
                    "month": u.index.to_numpy(dtype=np.int64),
                    "segmentation": seg,
                    "jackman_roper": [
                        jackman_roper(a, b) for a, b in zip(u_arr, v_arr, strict=True)
                    ],
                    "sstv": [sstv_mismatch(a, b, alpha) for a, b in zip(u_arr, v_arr, strict=True)],
                    "alpha": float(alpha),
                    "segments": np.int64(u_arr.shape[1]),
                }
            )
        )
    if not parts:
        parts = [
            pd.DataFrame(
                {
                    "month": np.zeros(0, np.int64),
                    "segmentation": [],
                    "jackman_roper": [],
                    "sstv": [],
                    "alpha": [],
                    "segments": np.zeros(0, np.int64),
                }
            )
        ]
    out = pd.concat(parts, ignore_index=True)
    out["segmentation"] = pd.Categorical(out["segmentation"], categories=list(SEGMENTATIONS))
    return out.astype({"jackman_roper": np.float64, "sstv": np.float64, "alpha": np.float64})


_FIT_COLUMNS = (
    "elasticity_unemployed",
    "elasticity_vacancies",
    "log_efficiency",
    "se_elasticity_unemployed",
    "se_elasticity_vacancies",
    "se_log_efficiency",
    "returns_to_scale",
    "constant_returns_pvalue",
    "r2",
    "residual_std",
    "n_obs",
    "n_dropped",
)


def _fit_row(specification: str, hires, unemployed, vacancies) -> dict[str, object]:
    row: dict[str, object] = {"specification": specification}
    try:
        fit = estimate_matching_function(hires, unemployed, vacancies)
    except ValueError as exc:
        row.update(dict.fromkeys(_FIT_COLUMNS, np.nan))
        row.update(n_obs=0, n_dropped=0, note=str(exc))
        return row
    row.update(
        elasticity_unemployed=fit.alpha,
        elasticity_vacancies=fit.beta,
        log_efficiency=fit.log_A,
        se_elasticity_unemployed=fit.se_alpha,
        se_elasticity_vacancies=fit.se_beta,
        se_log_efficiency=fit.se_log_A,
        returns_to_scale=fit.returns_to_scale,
        constant_returns_pvalue=fit.constant_returns_pvalue,
        r2=fit.r2,
        residual_std=fit.residual_std,
        n_obs=fit.n_obs,
        n_dropped=fit.n_dropped,
        note="",
    )
    return row


def matching_function_table(
    timeseries: pd.DataFrame, tables: dict[str, pd.DataFrame] | None = None
) -> pd.DataFrame:
    """Matching-function estimates of a run, one row per specification.

    Each row is :func:`estimate_matching_function`, ``ln H_t = ln A + α ln U_{t−1} +
    β ln V_{t−1}``, with the stocks at the start of the month (end of the previous one) and
    months ``t ≥ 1``:

    * ``aggregate, hires from unemployment``: H = hires out of unemployment;
    * ``aggregate, all hires``: H = all hires, including job-to-job moves;
    * ``occupations pooled, all hires``: occupation-month panel from ``by_occupation`` (hires,
      unemployed by last or aimed occupation, vacancies), common ``ln A``, no fixed effects.

    A steady-state run may not identify the elasticities (U and V barely move); such rows have
    ``nan`` estimates and the reason in ``note``.

    Args:
        timeseries: Model-level time series (``hires``, ``hires_from_unemployment``,
            ``unemployed``, ``vacancies``), indexed by month.
        tables: Recorded tables (for ``by_occupation``), optional.

    Returns:
        Columns ``specification``, ``elasticity_unemployed`` (α), ``elasticity_vacancies``
        (β), ``log_efficiency`` (ln A), their standard errors ``se_*``, ``returns_to_scale``
        (α + β), ``constant_returns_pvalue``, ``r2``, ``residual_std``, ``n_obs``,
        ``n_dropped`` and ``note``.
    """
    ts = timeseries
    u_prev = ts["unemployed"].to_numpy(np.float64)[:-1]
    v_prev = ts["vacancies"].to_numpy(np.float64)[:-1]
    rows = [
        _fit_row(
            "aggregate, hires from unemployment",
            ts["hires_from_unemployment"].to_numpy(np.float64)[1:],
            u_prev,
            v_prev,
        ),
        _fit_row("aggregate, all hires", ts["hires"].to_numpy(np.float64)[1:], u_prev, v_prev),
    ]
    occ = (tables or {}).get("by_occupation")
    if occ is not None and not occ.empty:
        wide = {
            c: occ.pivot(index="month", columns="occupation", values=c).to_numpy(np.float64)
            for c in ("hires", "unemployed", "vacancies")
        }
        rows.append(
            _fit_row(
                "occupations pooled, all hires",
                wide["hires"][1:],
                wide["unemployed"][:-1],
                wide["vacancies"][:-1],
            )
        )
    out = pd.DataFrame(rows, columns=["specification", *_FIT_COLUMNS, "note"])
    return out.astype(
        {c: np.float64 for c in _FIT_COLUMNS[:-2]}
        | {"n_obs": np.int64, "n_dropped": np.int64, "note": str}
    )


def time_to_fill_table(
    timeseries: pd.DataFrame, tables: dict[str, pd.DataFrame] | None = None, window: int = 12
) -> pd.DataFrame:
    """Stock-flow time to fill (months) per month, overall and per occupation.

    ``time_to_fill_months = V_t / H_t`` (:func:`stock_flow_time_to_fill`) with ``V_t`` the
    open vacancies at the end of month ``t`` and ``H_t`` the month's hires; the smoother
    ``time_to_fill_months_rolling = Σ_{k<w} V_{t−k} / Σ_{k<w} H_{t−k}`` over the trailing
    ``window`` months from month 1 on (fewer at the start). Month 0, the initial state, has no
    hires and gives ``nan``.

    Args:
        timeseries: Model-level time series with ``vacancies`` and ``hires``.
        tables: Recorded tables (for ``by_occupation``), optional.
        window: Rolling window in months, at least 1.

    Returns:
        Columns ``month``, ``occupation`` (categorical; ``"all"`` is the whole region),
        ``vacancies``, ``hires``, ``time_to_fill_months``, ``time_to_fill_months_rolling``.
    """
    if window < 1:
        raise ValueError(f"window must be at least 1; got {window}")
    months = timeseries.index.to_numpy(np.int64)
    frames = [
        pd.DataFrame(
            {
                "month": months,
                "occupation": "all",
                "vacancies": timeseries["vacancies"].to_numpy(np.float64),
                "hires": timeseries["hires"].to_numpy(np.float64),
            }
        )
    ]
    labels = ["all"]
    occ = (tables or {}).get("by_occupation")
    if occ is not None and not occ.empty:
        frames.append(
            occ[["month", "occupation", "vacancies", "hires"]].astype({"occupation": str})
        )
        labels += [c for c in occ["occupation"].cat.categories if c != "all"]
    df = pd.concat(frames, ignore_index=True)
    df["occupation"] = pd.Categorical(df["occupation"], categories=labels)
    df = df.sort_values(["occupation", "month"], kind="stable").reset_index(drop=True)
    after_start = df["month"] > 0
    grouped = df[after_start].groupby("occupation", observed=True, sort=False)
    v_roll = np.full(len(df), np.nan)
    h_roll = np.full(len(df), np.nan)
    v_roll[after_start.to_numpy()] = grouped["vacancies"].transform(
        lambda s: s.rolling(window, min_periods=1).sum()
    )
    h_roll[after_start.to_numpy()] = grouped["hires"].transform(
        lambda s: s.rolling(window, min_periods=1).sum()
    )
    df["time_to_fill_months"] = ratio(df["vacancies"].to_numpy(), df["hires"].to_numpy())
    valid = ~np.isnan(h_roll)
    rolling = np.full(len(df), np.nan)
    rolling[valid] = ratio(v_roll[valid], h_roll[valid])
    df["time_to_fill_months_rolling"] = rolling
    return df


def beveridge_table(timeseries: pd.DataFrame) -> pd.DataFrame:
    """:func:`beveridge_curve` of a run plus the tightness in counts, ``V/U`` (``v_over_u``)."""
    out = beveridge_curve(timeseries)
    out["v_over_u"] = ratio(
        timeseries["vacancies"].to_numpy(np.float64), timeseries["unemployed"].to_numpy(np.float64)
    )
    return out


def derived_tables(
    timeseries: pd.DataFrame,
    tables: dict[str, pd.DataFrame],
    alpha: float = 0.5,
    window: int = 12,
) -> dict[str, pd.DataFrame]:
    """Indicators computed from a run's time series and recorded tables.

    Args:
        timeseries: Model-level time series, indexed by month.
        tables: The recorded tables (``model.tables()``).
        alpha: Vacancy elasticity of the SSTV mismatch index.
        window: Rolling window (months) of the time-to-fill estimate.

    Returns:
        ``mismatch`` (:func:`mismatch_over_time`), ``beveridge_curve``
        (:func:`beveridge_table`), ``matching_function`` (:func:`matching_function_table`) and
        ``time_to_fill`` (:func:`time_to_fill_table`).
    """
    return {
        "mismatch": mismatch_over_time(tables, alpha),
        "beveridge_curve": beveridge_table(timeseries),
        "matching_function": matching_function_table(timeseries, tables),
        "time_to_fill": time_to_fill_table(timeseries, tables, window),
    }


TABLE_DESCRIPTIONS: dict[str, str] = {
    "by_sector": "per month and sector: employment, target, vacancies, hires, unemployed "
    "(by last employer's sector), unemployment rate, incumbents' skill shortfall",
    "by_occupation": "per month and occupation: employment, target, vacancies, hires, "
    "unemployed (by last or aimed occupation), unemployment rate, incumbents' skill shortfall",
    "by_region": "per month and region: employment at workplaces, target, vacancies, hires, "
    "unemployed and employed residents, unemployment rate of residents, skill shortfall",
    "skill_gaps": "per month and skill: demanded by vacancies and by jobs, held by seekers and "
    "by incumbents, the two gaps, incumbents' mean missing level",
    "inclusiveness": "per month, dimension (education, age band, region) and group: "
    "employed, unemployed, unemployment rate, long-term unemployed (>= 12 months) and share, "
    "mean spell, job-finding and separation rates, skill shortfall",
    "unemployment_duration": "per month and duration band (completed months of the ongoing "
    "spell: 0, 1-2, 3-5, 6-11, 12-23, 24+): unemployed persons and share",
    "mismatch": "per month and segmentation (occupation, sector, region): Jackman-Roper and "
    "Sahin-Song-Topa-Violante mismatch indices",
    "beveridge_curve": "per month: unemployment rate u, vacancy rate v, v/u and V/U",
    "matching_function": "log-linear matching-function estimates: elasticities with respect "
    "to unemployment and vacancies, standard errors, fit",
    "channels": "per month and occupation: employment, target, vacancies and vacancy rate; "
    "hires from unemployment, job to job, of entrants, retrained, trained on the job; "
    "vacancies withdrawn; wage index",
    "closures": "per closure and month since it: displaced workers employed, unemployed, "
    "inactive or retired, share employed in all and in another occupation",
    "instruments": "per enabled budgeted instrument and month: budget, cumulative envelope, "
    "euros spent, applications, grants and refusals (agents), whether it had run out",
    "time_to_fill": "per month, overall and per occupation: stock-flow time to fill V/H "
    "(months), monthly and over a trailing 12-month window",
}
"""One line per table a results folder holds (written to its README)."""
