"""What-if: offer a new delivery slot. Who would be better served by it than by their best slot today?"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from opscore.delivery_options.history import WEEKDAYS, slot_start_hour
from opscore.delivery_options.success import SuccessModel


def new_slot_whatif(model: SuccessModel, attempts: pd.DataFrame, customers: pd.DataFrame, new_slot: str,
                    current_slots: Sequence[str], assumed_success: float | None = None) -> pd.DataFrame:
    """Per customer, on their most common delivery weekday: best current slot and its predicted success, the
    new slot's success (the model's, which falls back to segment and overall rates for an unseen slot, or
    ``assumed_success``) and whether the new slot would be their better choice."""
    slot_start_hour(new_slot)
    if assumed_success is not None and not 0 < assumed_success <= 1:
        raise ValueError(f"assumed success {assumed_success} must be in (0, 1]")
    if not current_slots:
        raise ValueError("give the slots offered today")
    day = attempts.groupby("customer_id")["weekday"].agg(lambda x: int(x.mode().iloc[0]))
    c = customers[customers["customer_id"].isin(day.index)][["customer_id", "name", "segment"]].copy()
    c["weekday"] = c["customer_id"].map(day)
    grid = c.loc[c.index.repeat(len(current_slots))].assign(slot=list(current_slots) * len(c)).reset_index(drop=True)
    grid["p"] = model.predict(grid)
    best = grid.loc[grid.groupby("customer_id")["p"].idxmax(), ["customer_id", "slot", "p"]]
    c = c.merge(best.rename(columns={"slot": "best_current_slot", "p": "best_current_success"}), on="customer_id")
    c["new_slot_success"] = assumed_success if assumed_success is not None else model.predict(c.assign(slot=new_slot))
    c["better_with_new_slot"] = c["new_slot_success"] > c["best_current_success"]
    c["usual_day"] = [WEEKDAYS[d] for d in c["weekday"]]
    return c.drop(columns="weekday").sort_values("new_slot_success", ascending=False).reset_index(drop=True)
