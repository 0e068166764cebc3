"""Batch forecasts: local processes, a Dask LocalCluster, progress reports, and stored runs with
their accuracy over time."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import threadpool_info

from opscore.forecast import forecast, forecast_many, forecast_one, replay
from opscore.forecast.batch import REPLAY_POOL, _local_executor
from opscore.forecast.demand import sales_long
from opscore.forecast.runs import (
    accuracy_by_run,
    list_runs,
    overall_by_run,
    run_values,
    save_replay,
    save_run,
    worsening,
)


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


def test_one_and_two_jobs_give_identical_forecasts_and_summaries() -> None:
    """The same frame forecast in this process and on two worker processes gives identical values and summaries."""
    frame = _frame(n_series=5, n=36)
    here = forecast_many(frame, 5, n_jobs=1, with_summary=True)
    workers = forecast_many(frame, 5, n_jobs=2, chunk_size=1, with_summary=True)
    pd.testing.assert_frame_equal(here[0], workers[0])
    pd.testing.assert_frame_equal(here[1], workers[1])


def test_workers_leave_main_alone_and_run_one_blas_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a ``__main__`` that is a script (as under Streamlit, the app), freshly started workers never run it
    and forecast_many never swaps it, even for a moment; each worker has one BLAS/OpenMP thread."""
    marker = tmp_path / "ran"
    script = tmp_path / "app_script.py"
    script.write_text(f"open({str(marker)!r}, 'w').close()\n")
    main = types.ModuleType("__main__")
    main.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", main)
    _local_executor().shutdown(wait=True)
    seen: list[bool] = []
    forecast_many(_frame(n_series=4, n=30), 3, n_jobs=2, chunk_size=1,
                  progress=lambda d, t: seen.append(sys.modules["__main__"] is main))
    assert seen == [True] * 4 and sys.modules["__main__"] is main
    assert not marker.exists()
    threads = _local_executor().submit(threadpool_info).result()
    assert threads and {lib["num_threads"] for lib in threads} == {1}


def test_forecast_one_runs_ets_in_a_worker_with_the_same_numbers() -> None:
    """forecast_one gives forecast()'s numbers; for ETS it fits in a worker, leaving this process's BLAS
    thread count as it was."""
    y = _frame(n_series=1, n=40).set_index("ds")["y"]
    before = [lib["num_threads"] for lib in threadpool_info()]
    res = forecast_one(y, 4, method="ets")
    assert [lib["num_threads"] for lib in threadpool_info()] == before
    np.testing.assert_allclose(res.mean, forecast(y, 4, method="ets").mean, rtol=1e-9)
    pd.testing.assert_series_equal(forecast_one(y, 4).mean, forecast(y, 4).mean)


def test_replay_forecasts_each_cutoff_from_its_past_only() -> None:
    """Each cut-off's forecasts start the period after it, come from the cheaper replay pool, do not change when
    later data is added, and are the same in one or two processes."""
    frame = _frame(n_series=3, n=48)
    last = frame["ds"].max()
    cutoffs = [last - pd.Timedelta(weeks=w) for w in (8, 4)]
    runs = replay(frame, cutoffs, 4, freq="weekly", n_jobs=1)
    assert list(runs) == cutoffs
    for cutoff, values in runs.items():
        assert len(values) == 12 and values["ds"].min() == cutoff + pd.Timedelta(weeks=1)
        assert set(values["model"]) <= {"combination", *REPLAY_POOL}
    early = replay(frame[frame["ds"] <= cutoffs[0]], cutoffs[:1], 4, freq="weekly", n_jobs=1)
    pd.testing.assert_frame_equal(early[cutoffs[0]], runs[cutoffs[0]])
    two = replay(frame, cutoffs, 4, freq="weekly", n_jobs=2, chunk_size=1)
    for cutoff in cutoffs:
        pd.testing.assert_frame_equal(two[cutoff], runs[cutoff])


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


def test_save_replay_stores_one_run_per_cutoff_dated_at_it(sample_store) -> None:
    """A replay of three SKUs at 12, 8 and 4 weeks back stores three runs created at (and saying as_of) their
    cut-offs, each forecasting the 4 weeks after it, with the replay's settings in the parameters."""
    sales = sample_store.table("sales")
    long = sales_long(sales, "weekly", sorted(sales["sku"].unique())[:3])
    cutoffs = [long["ds"].max() - pd.Timedelta(weeks=w) for w in (12, 8, 4)]
    stored = save_replay(sample_store, long, cutoffs, 4, "weekly", params={"level": "sku"}, n_jobs=1)
    assert stored["as_of"].tolist() == cutoffs and (stored["series"] == 3).all()
    runs = list_runs(sample_store).sort_values("created_at").reset_index(drop=True)
    assert runs["run_id"].tolist() == stored["run_id"].tolist()
    assert runs["created_at"].tolist() == cutoffs
    assert [p["as_of"] for p in runs["params"]] == [f"{c:%Y-%m-%d}" for c in cutoffs]
    assert runs.loc[0, "params"]["level"] == "sku" and runs.loc[0, "params"]["replay"]["models"] == list(REPLAY_POOL)
    assert (runs["first_ds"] == [c + pd.Timedelta(weeks=1) for c in cutoffs]).all()
    assert (runs["last_ds"] == [c + pd.Timedelta(weeks=4) for c in cutoffs]).all()
