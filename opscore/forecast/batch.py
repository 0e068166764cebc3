"""Forecast many series at once, in parallel on local cores or on a Dask cluster (same code path:
both are ``concurrent.futures`` executors fed the same chunks)."""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd

from opscore.forecast.api import forecast
from opscore.forecast.intervals import LEVELS

Progress = Callable[[int, int], None]
"""Called as progress(series_done, series_total) after each chunk."""


def _series(frame: pd.DataFrame) -> list[tuple[str, pd.Series]]:
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
        raise ValueError(f"series {row['unique_id']}: negative demand {row['y']:g} on {pd.Timestamp(row['ds']):%Y-%m-%d}; "
                         "sales cannot be negative, correct the data")
    ds = pd.to_datetime(frame["ds"])
    out = []
    for uid, idx in frame.groupby("unique_id", sort=True).indices.items():
        out.append((str(uid), pd.Series(frame["y"].to_numpy(float)[idx], index=pd.DatetimeIndex(ds.to_numpy()[idx]))))
    return out


def _run_chunk(chunk: list[tuple[str, pd.Series]], horizon: int, options: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Forecast each series of a chunk; returns (long values, one summary row per series)."""
    values, summary = [], []
    for uid, y in chunk:
        res = forecast(y, horizon, name=uid, **options)
        part = res.to_frame()
        part.insert(0, "unique_id", uid)
        values.append(part)
        chosen = res.backtest[res.backtest["chosen"]] if "chosen" in res.backtest else res.backtest.iloc[0:0]
        row = {"unique_id": uid, "model": res.model, "description": res.description, "reason": res.reason,
               "notes": " ".join(res.notes)}
        for col in ("mase", "smape", "coverage80", "coverage95"):
            row[col] = float(chosen[col].iloc[0]) if len(chosen) and col in chosen else np.nan
        summary.append(row)
    return pd.concat(values, ignore_index=True), pd.DataFrame(summary)


@contextmanager
def _bare_main() -> Iterator[None]:
    """While worker processes start, hide the caller's ``__main__``: a spawned worker would otherwise
    re-run that script (under Streamlit it is the app itself). Workers only need this module."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


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
    series = _series(frame)
    opts = {"season_length": season_length, "method": method, "freq": freq, "levels": levels, **options}
    total = len(series)
    workers = n_jobs or os.cpu_count() or 1
    size = chunk_size or max(1, min(8, -(-total // (workers * 4))))
    chunks = [series[i:i + size] for i in range(0, total, size)]
    results: list[tuple[int, tuple[pd.DataFrame, pd.DataFrame]]] = []
    done = 0

    def collect(i: int, out: tuple[pd.DataFrame, pd.DataFrame]) -> None:
        nonlocal done
        results.append((i, out))
        done += len(chunks[i])
        if progress:
            progress(done, total)

    own_client = None
    if client is not None:
        if isinstance(client, str):
            from distributed import Client

            client = own_client = Client(client)
        executor: cf.Executor | None = client.get_executor()
    elif workers > 1 and len(chunks) > 1:
        executor = cf.ProcessPoolExecutor(max_workers=min(workers, len(chunks)),
                                          mp_context=multiprocessing.get_context("spawn"))
    else:
        executor = None
    try:
        if executor is None:
            for i, chunk in enumerate(chunks):
                collect(i, _run_chunk(chunk, horizon, opts))
        else:
            with _bare_main():
                futures = {executor.submit(_run_chunk, chunk, horizon, opts): i for i, chunk in enumerate(chunks)}
            for fut in cf.as_completed(futures):
                collect(futures[fut], fut.result())
    finally:
        if executor is not None and own_client is None and client is None:
            executor.shutdown()
        if own_client is not None:
            own_client.close()
    results.sort(key=lambda r: r[0])
    values = pd.concat([r[1][0] for r in results], ignore_index=True)
    if with_summary:
        return values, pd.concat([r[1][1] for r in results], ignore_index=True)
    return values
