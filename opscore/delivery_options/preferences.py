"""What history says about each customer: preferred windows, when attempts fail, and why."""

from __future__ import annotations

import pandas as pd

from opscore.delivery_options.history import WEEKDAYS
from opscore.delivery_options.success import SuccessModel


def preferred_windows(attempts: pd.DataFrame, customers: pd.DataFrame, model: SuccessModel) -> pd.DataFrame:
    """Per customer: stated window, usual weekdays and slot (most used), the slot with the best predicted
    first-attempt success on their usual weekdays, and that success."""
    slots = sorted(attempts["slot"].unique())
    counts = attempts.groupby(["customer_id", "weekday"]).size().rename("n").reset_index()
    usual = counts[counts["n"] >= 0.5 * counts.groupby("customer_id")["n"].transform("max")]
    usual = usual.merge(attempts.groupby("customer_id")["segment"].first().reset_index(), on="customer_id")
    grid = usual.loc[usual.index.repeat(len(slots))].assign(slot=slots * len(usual)).reset_index(drop=True)
    grid["p"] = model.predict(grid)
    best = (grid.groupby(["customer_id", "slot"])["p"].mean().reset_index()
            .sort_values(["customer_id", "p"], ascending=[True, False]).groupby("customer_id").head(1)
            .set_index("customer_id"))
    rows = []
    for cid, g in attempts.groupby("customer_id"):
        days = sorted(usual.loc[usual["customer_id"] == cid, "weekday"])
        rows.append({"customer_id": cid, "segment": g["segment"].iloc[0], "first_attempts": len(g),
                     "success_rate": g["success"].mean(), "usual_days": ", ".join(WEEKDAYS[d] for d in days),
                     "usual_slot": g["slot"].mode().iloc[0], "best_slot": best.at[cid, "slot"],
                     "best_slot_success": best.at[cid, "p"]})
    out = pd.DataFrame(rows)
    c = customers[["customer_id", "name", "window_start", "window_end"]]
    return c.merge(out, on="customer_id", how="inner").sort_values("success_rate").reset_index(drop=True)


def failure_reasons(attempts: pd.DataFrame, by: str = "segment") -> pd.DataFrame:
    """Failed first attempts counted by ``by`` (segment or customer_id) and reason, with their share."""
    if by not in ("segment", "customer_id"):
        raise ValueError(f"by must be 'segment' or 'customer_id', not {by!r}")
    f = attempts[attempts["success"] == 0]
    out = f.groupby([by, "failure_reason"]).size().rename("failures").reset_index()
    out["share"] = out["failures"] / out.groupby(by)["failures"].transform("sum")
    return out.sort_values([by, "failures"], ascending=[True, False]).reset_index(drop=True)


def segment_failure_grid(attempts: pd.DataFrame, model: SuccessModel) -> pd.DataFrame:
    """Failure rate (1 - shrunk success) per segment x slot, averaged over weekdays by attempts; long format."""
    g = attempts.groupby(["segment", "weekday", "slot"]).size().rename("n").reset_index()
    g["customer_id"] = ""
    g["failure_rate"] = 1.0 - model.predict(g)
    g["w"] = g["failure_rate"] * g["n"]
    out = g.groupby(["segment", "slot"]).agg(w=("w", "sum"), attempts=("n", "sum")).reset_index()
    out["failure_rate"] = out["w"] / out["attempts"]
    return out.drop(columns="w")


def customers_failing_most(attempts: pd.DataFrame, customers: pd.DataFrame, model: SuccessModel,
                           top: int = 10) -> pd.DataFrame:
    """Customers with the highest shrunk failure rate over their own attempts, with their most common reason."""
    a = attempts.assign(p=model.predict(attempts))
    g = a.groupby("customer_id").agg(first_attempts=("success", "size"),
                                     failed=("success", lambda x: int((x == 0).sum())),
                                     predicted_failure=("p", lambda x: float(1 - x.mean())))
    reason = (a[a["success"] == 0].groupby("customer_id")["failure_reason"]
              .agg(lambda x: x.mode().iloc[0] if len(x) else ""))
    g["main_reason"] = reason.reindex(g.index).fillna("")
    out = customers[["customer_id", "name", "segment"]].merge(g.reset_index(), on="customer_id")
    return out.sort_values("predicted_failure", ascending=False).head(top).reset_index(drop=True)
