"""Forecast many series at once, in parallel on local cores or on a Dask cluster (same code path:
both are ``concurrent.futures`` executors fed the same chunks), and replay forecasts from past cut-offs."""

from __future__ import annotations

import concurrent.futures as cf
import os
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from joblib.externals.loky import get_reusable_executor

from opscore.forecast.api import ForecastResult, forecast, is_intermittent
from opscore.forecast.intervals import LEVELS
from opscore.forecast.series import prepare

Progress = Callable[[int, int], None]
"""Called as progress(series_done, series_total) after each chunk."""
Chunk = list[tuple[str, pd.Series]]

WORKER_ENV = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
"""Environment of local worker processes: one BLAS/OpenMP thread each, set once at their start (each worker
has a core already; with two BLAS threads, ETS and ARIMA fits ran 5-7 times slower on a busy machine)."""
IDLE_SECONDS = 300
"""Local worker processes stay up this long after their last task, so the next batch skips their start-up."""
STATSMODELS = frozenset({"ets", "arima"})
"""Models fitted by statsmodels' state-space code, whose matrix products wake every BLAS thread of the process."""
REPLAY_POOL: tuple[str, ...] = ("snaive", "ses", "theta")
"""Models a replay tries on regular demand (intermittent demand keeps its usual pool): Holt and damped trend take
about 90 % of the fitting time, and without them the sample's replayed runs were as accurate (mean MASE 0.832
vs 0.831, WAPE 19.2 vs 19.4 %; ``bench/forecast_replay.py``)."""
REPLAY_ORIGINS = 2
"""Backtest origins per replayed forecast (4 for an interactive forecast)."""


def _series(frame: pd.DataFrame) -> Chunk:
    """Check a long frame (unique_id, ds, y) and split it into one dated Series per id."""
    missing = {"unique_id", "ds", "y"} - set(frame.columns)
    if missing:
        raise ValueError(f"forecast_many needs columns unique_id, ds, y; missing {sorted(missing)}")
    if frame.empty:
        raise ValueError("forecast_many got an empty frame; nothing to forecast")
    if frame["y"].isna().any():
        bad = frame.loc[frame["y"].isna(), "unique_id"].iloc[0]
        raise ValueError(f"series {bad}: missing y values; fill them (0 if nothing was sold) or drop those rows")
    neg = frame["y"] < 0
    if neg.any():
        row = frame[neg].iloc[0]
        raise ValueError(f"series {row['unique_id']}: negative demand {row['y']:g} "
                         f"on {pd.Timestamp(row['ds']):%Y-%m-%d}; "
                         "sales cannot be negative, correct the data")
    ds = pd.to_datetime(frame["ds"])
    out = []
    for uid, idx in frame.groupby("unique_id", sort=True).indices.items():
        out.append((str(uid), pd.Series(frame["y"].to_numpy(float)[idx], index=pd.DatetimeIndex(ds.to_numpy()[idx]))))
    return out


def _values(uid: str, res: ForecastResult) -> pd.DataFrame:
    """The forecast as long rows of the batch frame (unique_id first)."""
    part = res.to_frame()
    part.insert(0, "unique_id", uid)
    return part


def _run_chunk(chunk: Chunk, horizon: int, options: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Forecast each series of a chunk; returns (long values, one summary row per series)."""
    values, summary = [], []
    for uid, y in chunk:
        res = forecast(y, horizon, name=uid, **options)
        values.append(_values(uid, res))
        chosen = res.backtest[res.backtest["chosen"]] if "chosen" in res.backtest else res.backtest.iloc[0:0]
        row: dict[str, str | float] = {"unique_id": uid, "model": res.model, "description": res.description,
                                       "reason": res.reason, "notes": " ".join(res.notes)}
        for col in ("mase", "smape", "coverage80", "coverage95"):
            row[col] = float(chosen[col].iloc[0]) if len(chosen) and col in chosen else np.nan
        summary.append(row)
    return pd.concat(values, ignore_index=True), pd.DataFrame(summary)


def _replay_chunk(chunk: Chunk, cutoffs: tuple[pd.Timestamp, ...], horizon: int,
                  options: dict[str, Any]) -> list[pd.DataFrame]:
    """Forecast each series of a chunk from its history up to each cut-off; one long frame per cut-off."""
    out: list[list[pd.DataFrame]] = [[] for _ in cutoffs]
    for uid, y in chunk:
        for parts, cutoff in zip(out, cutoffs, strict=True):
            past = y[y.index <= cutoff]
            regular = not is_intermittent(prepare(past, options["season_length"], options["freq"], uid).values)
            res = forecast(past, horizon, name=uid, models=REPLAY_POOL if regular else None,
                           n_origins=REPLAY_ORIGINS, **options)
            parts.append(_values(uid, res))
    return [pd.concat(parts, ignore_index=True) for parts in out]


def _local_executor() -> cf.Executor:
    """The process's pool of local workers (joblib's loky): one per core, each with one BLAS/OpenMP thread,
    shared by every caller and never resized, so callers do not wait on each other's jobs. Workers do not run
    the caller's ``__main__`` (under Streamlit, the app), only import the modules of the tasks they receive."""
    executor: cf.Executor = get_reusable_executor(max_workers=os.cpu_count() or 1, timeout=IDLE_SECONDS,
                                                  env=WORKER_ENV)
    return executor


def _map_chunks(fn: Callable[..., Any], series: Sequence[Any], args: tuple[Any, ...], n_jobs: int | None,
                chunk_size: int | None, client: Any, progress: Progress | None) -> list[Any]:
    """``fn(chunk, *args)`` over chunks of ``series``, results in chunk order: in this process (``n_jobs=1``),
    on the local workers with at most ``n_jobs`` chunks at a time, or on a Dask cluster."""
    total = len(series)
    workers = n_jobs or os.cpu_count() or 1
    size = chunk_size or max(1, min(8, -(-total // (workers * 4))))
    chunks = [list(series[i:i + size]) for i in range(0, total, size)]
    results: list[Any] = [None] * len(chunks)
    done = 0

    def collect(i: int, out: Any) -> None:
        nonlocal done
        results[i] = out
        done += len(chunks[i])
        if progress:
            progress(done, total)

    own_client = None
    if client is not None:
        if isinstance(client, str):
            from distributed import Client

            # distributed leaves Client.__init__ and Client.close unannotated
            client = own_client = Client(client)  # type: ignore[no-untyped-call]
        executor, window = client.get_executor(), len(chunks)
    elif workers > 1 and len(chunks) > 1:
        executor, window = _local_executor(), workers
    else:
        executor, window = None, 0
    try:
        if executor is None:
            for i, chunk in enumerate(chunks):
                collect(i, fn(chunk, *args))
        else:
            queue = iter(enumerate(chunks))
            pending: dict[cf.Future[Any], int] = {}

            def submit_next() -> None:
                if (item := next(queue, None)) is not None:
                    pending[executor.submit(fn, item[1], *args)] = item[0]

            for _ in range(window):
                submit_next()
            try:
                while pending:
                    finished, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
                    for fut in finished:
                        collect(pending.pop(fut), fut.result())
                        submit_next()
            finally:
                for fut in pending:
                    fut.cancel()
    finally:
        if own_client is not None:
            own_client.close()  # type: ignore[no-untyped-call]
    return results


def forecast_many(frame: pd.DataFrame, horizon: int, season_length: int | None = None, method: str = "auto",
                  freq: str | None = None, levels: tuple[int, ...] = LEVELS, n_jobs: int | None = None,
                  progress: Progress | None = None, client: Any = None, chunk_size: int | None = None,
                  with_summary: bool = False, **options: Any) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Forecast every series of a long frame ``unique_id, ds, y``; returns a long frame
    ``unique_id, ds, mean, lo80, hi80, lo95, hi95, model`` (and a per-series summary when ``with_summary``).

    Runs in ``n_jobs`` local processes (default: all cores; 1 = in this process), or on a Dask cluster
    when ``client`` is a ``dask.distributed.Client`` or a scheduler address ('tcp://host:8786').
    Results do not depend on where they ran. ``options`` go to :func:`forecast` (e.g. ``models``).
    Keep them as a forecast run with :func:`opscore.forecast.runs.save_run`.
    """
    opts = {"season_length": season_length, "method": method, "freq": freq, "levels": levels, **options}
    results = _map_chunks(_run_chunk, _series(frame), (horizon, opts), n_jobs, chunk_size, client, progress)
    values = pd.concat([r[0] for r in results], ignore_index=True)
    if with_summary:
        return values, pd.concat([r[1] for r in results], ignore_index=True)
    return values


def replay(frame: pd.DataFrame, cutoffs: Sequence[pd.Timestamp], horizon: int, season_length: int | None = None,
           freq: str | None = None, levels: tuple[int, ...] = LEVELS, n_jobs: int | None = None,
           progress: Progress | None = None, client: Any = None,
           chunk_size: int | None = None) -> dict[pd.Timestamp, pd.DataFrame]:
    """Forecast every series of a long frame ``unique_id, ds, y`` as it would have been made at each cut-off
    (from the periods up to and including it), to score against what sold after; returns
    ``{cutoff: long frame as from forecast_many}``.

    Automatic method with a cheaper search than :func:`forecast_many`: :data:`REPLAY_POOL` on regular demand
    and :data:`REPLAY_ORIGINS` backtest origins. All cut-offs of a series run in one task, in one pass over
    the workers (``n_jobs``, ``client`` and ``progress`` as in :func:`forecast_many`).
    """
    stamps = tuple(pd.Timestamp(c) for c in cutoffs)
    opts = {"season_length": season_length, "freq": freq, "levels": levels}
    results = _map_chunks(_replay_chunk, _series(frame), (stamps, horizon, opts), n_jobs, chunk_size, client,
                          progress)
    return {c: pd.concat([r[i] for r in results], ignore_index=True) for i, c in enumerate(stamps)}


def forecast_one(y: pd.Series | np.ndarray, horizon: int, **options: Any) -> ForecastResult:
    """:func:`forecast` of one series (same arguments, same numbers), run in a local worker process when it fits
    ETS or ARIMA: in a process with several BLAS threads their fits ran 5-7 times slower on a busy machine,
    and limiting the threads here would change them for every other caller. Other models run in this process
    (their tiny matrices never start BLAS threads)."""
    method = options.get("method", "auto")
    fitted = {method} if method != "auto" else set(options.get("models") or ())
    if fitted & STATSMODELS:
        return _local_executor().submit(forecast, y, horizon, **options).result()
    return forecast(y, horizon, **options)
