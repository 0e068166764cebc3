"""Batch forecasts: local processes, a Dask LocalCluster, progress reports, and stored runs with
their accuracy over time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opscore.forecast import forecast, forecast_many
from opscore.forecast.demand import sales_long
from opscore.forecast.runs import accuracy_by_run, list_runs, overall_by_run, run_values, save_run, worsening


def _frame(n_series: int = 4, n: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(11)
    ds = pd.date_range("2023-01-01", periods=n, freq="W-SUN")
    return pd.concat([pd.DataFrame({"unique_id": f"S{i}", "ds": ds, "y": rng.poisson(20 + 5 * i, n).astype(float)})
                      for i in range(n_series)], ignore_index=True)


def test_forecast_many_matches_single_calls_and_reports_progress() -> None:
    """forecast_many in this process returns, per series, exactly what forecast() gives, in a long frame
    with bounds, and calls progress up to (total, total)."""
    frame = _frame()
    calls: list[tuple[int, int]] = []
    out = forecast_many(frame, 6, n_jobs=1, chunk_size=1, progress=lambda d, t: calls.append((d, t)))
    assert list(out.columns) == ["unique_id", "ds", "mean", "lo80", "hi80", "lo95", "hi95", "model"]
    assert calls[-1] == (4, 4) and len(calls) == 4
    one = forecast(frame[frame["unique_id"] == "S2"].set_index("ds")["y"], 6)
    np.testing.assert_allclose(out.loc[out["unique_id"] == "S2", "mean"], one.mean.to_numpy())


def test_dask_local_cluster_gives_the_same_numbers_as_local_processes() -> None:
    """The same chunks run on a two-worker Dask LocalCluster (via its concurrent.futures executor) and
    on two local processes give identical forecasts."""
    from distributed import Client, LocalCluster

    frame = _frame(n_series=4, n=30)
    local = forecast_many(frame, 4, n_jobs=2, chunk_size=2)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        seen: list[int] = []
        remote = forecast_many(frame, 4, client=client, chunk_size=2, progress=lambda d, t: seen.append(d))
    pd.testing.assert_frame_equal(local, remote)
    assert seen[-1] == 4


def test_bad_batch_input_names_the_series() -> None:
    """Negative demand or missing columns stop the batch before any work, naming the series or columns."""
    frame = _frame(2)
    frame.loc[5, "y"] = -3
    with pytest.raises(ValueError, match="series S0: negative demand"):
        forecast_many(frame, 3, n_jobs=1)
    with pytest.raises(ValueError, match="missing"):
        forecast_many(frame.drop(columns="y"), 3, n_jobs=1)


def test_stored_runs_are_scored_against_later_actuals(sample_store) -> None:
    """A run on the sample's sales up to 8 weeks before their end is stored with save_run (parameters, time,
    model per series) and scored against the 8 weeks that followed; a hand-made later run with doubled errors
    for one SKU is flagged as worsening."""
    sales = sample_store.table("sales")
    skus = sorted(sales["sku"].unique())[:3]
    long = sales_long(sales, "weekly", skus)
    cutoff = long["ds"].max() - pd.Timedelta(weeks=8)
    values = forecast_many(long[long["ds"] <= cutoff], 8, freq="weekly", n_jobs=1)
    run_a = save_run(sample_store, values, {"freq": "weekly", "horizon": 8})
    runs = list_runs(sample_store)
    assert runs.loc[0, "run_id"] == run_a and runs.loc[0, "params"]["horizon"] == 8 and runs.loc[0, "series"] == 3
    assert runs.loc[0, "params"]["freq"] == "weekly"
    stored = run_values(sample_store, run_a)
    assert len(stored) == 24 and set(stored["model"]) <= {"combination", "snaive", "ses", "holt", "damped",
                                                             "theta", "croston", "sba", "tsb", "naive"}
    actual = long[long["ds"] > cutoff]
    acc = accuracy_by_run(stored, actual)
    assert (acc["periods"] == 8).all()
    merged = stored.merge(actual, on=["unique_id", "ds"])
    sku = skus[0]
    part = merged[merged["unique_id"] == sku]
    assert acc.set_index("unique_id").loc[sku, "mae"] == pytest.approx(np.mean(np.abs(part["mean"] - part["y"])))
    worse = values.copy()
    worse.loc[worse["unique_id"] == sku, "mean"] += 3 * (acc.set_index("unique_id").loc[sku, "mae"] + 1)
    later = (pd.Timestamp.now() + pd.Timedelta(days=1)).to_pydatetime()
    save_run(sample_store, worse, {"freq": "weekly", "horizon": 8}, created_at=later)
    acc2 = accuracy_by_run(run_values(sample_store), actual)
    assert len(overall_by_run(acc2)) == 2
    assert worsening(acc2)["unique_id"].tolist() == [sku]
