"""Speed (and holdout accuracy) of the demand plan (:func:`opscore.forecast.plan.forecast_plan`): every SKU daily,
12 weeks ahead, with its backtest, the global model, out-of-stock days and reconciliation.

    .venv/bin/python bench/forecast_plan.py                       # the sample: 120 SKUs
    .venv/bin/python bench/forecast_plan.py --skus 5000           # a generated business of 5,000 SKUs
    .venv/bin/python bench/forecast_plan.py --holdout 28          # also score the last 28 days, held out

Targets (issue 19): the sample in <= 10 s; 5,000 SKUs in <= 5 minutes on 2 cores. Prints wall seconds per stage,
the global model's weight and the backtest coverage and, with ``--holdout``, mean MASE (m = 7), RMSSE and 80 % band
coverage of the SKUs on the held-out days that were in stock.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from opscore.forecast import metrics
from opscore.forecast.demand import drivers_long, sales_long
from opscore.forecast.plan import forecast_plan
from opscore.sample import SampleSpec, generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skus", type=int, default=0, help="a generated business of this many SKUs (0: the sample, "
                        "as data/sample holds it)")
    parser.add_argument("--horizon", type=int, default=84, help="days ahead (default 84 = 12 weeks)")
    parser.add_argument("--holdout", type=int, default=0, help="hold out this many last days and score them")
    parser.add_argument("--no-drivers", action="store_true", help="leave promotions and prices out")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    opts = parser.parse_args()
    t0 = time.perf_counter()
    tables = generate(SampleSpec(n_skus=opts.skus) if opts.skus else SampleSpec())
    sales, products, stock = tables["sales"], tables["products"], tables.get("stock_history")
    frame = sales_long(sales, "daily")
    drivers = drivers_long(sales, "daily")
    days = (stock.loc[stock["on_hand"] <= 0, ["sku", "date"]].rename(columns={"sku": "unique_id", "date": "ds"})
            if stock is not None else None)
    if days is not None:
        days["ds"] = pd.to_datetime(days["ds"])
    cut = frame["ds"].max() - pd.Timedelta(days=opts.holdout)
    train, test = frame[frame["ds"] <= cut], frame[frame["ds"] > cut]
    print(f"{frame['unique_id'].nunique()} SKUs x {train['ds'].nunique()} days; "
          f"{0 if days is None else len(days)} out-of-stock SKU-days; data ready in {time.perf_counter() - t0:.1f} s")
    seen: list[float] = []
    start = time.perf_counter()
    plan = forecast_plan(train, products.set_index("sku")["category"], opts.horizon, "daily", n_jobs=opts.jobs,
                         censored=None if days is None else days[days["ds"] <= cut],
                         drivers=None if opts.no_drivers else drivers[drivers["ds"] <= cut],
                         progress=lambda done, total: seen.append(time.perf_counter() - start))
    wall = time.perf_counter() - start
    stages = ", ".join(f"{k} {v:.1f} s" for k, v in plan.panel.seconds.items())
    print(f"demand plan, {opts.horizon} days ahead with backtest: {wall:.1f} s wall ({stages}); "
          f"reconciliation {plan.reconciliation}; progress updates {len(seen)}")
    summary = plan.panel.summary
    print(f"global model weight: mean {summary['global_weight'].mean():.2f}, "
          f"share of SKUs using it {(summary['global_weight'] > 0).mean():.0%}; backtest coverage of the chosen "
          f"forecasts: {summary['coverage80'].mean():.2f} (80 % band), {summary['coverage95'].mean():.2f} (95 %)")
    if opts.holdout:
        _score(plan.values, train, test, days)


def _score(values: pd.DataFrame, train: pd.DataFrame, test: pd.DataFrame, days: pd.DataFrame | None) -> None:
    """Mean MASE and RMSSE of the SKU forecasts on the held-out days that were in stock."""
    sku = values[values["level"] == "sku"].merge(test, on=["unique_id", "ds"])
    if days is not None:
        out = days.assign(out=True)
        sku = sku.merge(out, on=["unique_id", "ds"], how="left")
        sku = sku[sku["out"].isna()]
    history = {uid: g["y"].to_numpy(float) for uid, g in train.groupby("unique_id")}
    rows = [(metrics.mase(g["y"].to_numpy(float), g["mean"].to_numpy(float), history[uid], 7),
             metrics.rmsse(g["y"].to_numpy(float), g["mean"].to_numpy(float), history[uid]),
             metrics.coverage(g["y"].to_numpy(float), g["lo80"].to_numpy(float), g["hi80"].to_numpy(float)))
            for uid, g in sku.groupby("unique_id")]
    scores = np.array(rows)
    print(f"holdout ({test['ds'].nunique()} days, in-stock days only): MASE {np.nanmean(scores[:, 0]):.4f}, "
          f"RMSSE {np.nanmean(scores[:, 1]):.4f}, inside the 80 % band {np.nanmean(scores[:, 2]):.2f}, "
          f"over {len(rows)} SKUs")


if __name__ == "__main__":
    main()
