"""Today's purchase plan: what to order, from which supplier, how much and by when, with reasons.

Rule per SKU (min/max with the supplier's terms): the inventory position (usable stock on hand +
open orders) is projected forward at the expected daily demand; the SKU is due when it reaches its
min level within the planning window. The quantity brings the position back to the max level,
rounded up to the MOQ and order multiple. When the usual supplier cannot deliver before stock runs
out and another supplier (seen in the purchase history) is faster, the faster one is proposed.
A budget (money) or warehouse-volume cap (m3) is filled most-urgent first; what does not fit is
trimmed to a smaller valid quantity or deferred, and the reason says so.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd

from opscore.inventory.inputs import InventoryInputs
from opscore.inventory.service import round_order
from opscore.io import export_excel

PLAN_COLUMNS = ["sku", "name", "supplier_id", "order_by", "arrives_by", "quantity", "unit_cost", "value",
                "volume_m3", "class", "status", "reason"]


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 10 else f"{x:,.1f}".rstrip("0").rstrip(".")


def purchase_plan(inputs: InventoryInputs, policy: pd.DataFrame, window_days: int = 7, budget: float | None = None,
                  volume_cap_m3: float | None = None) -> pd.DataFrame:
    """Order lines due within ``window_days`` (columns PLAN_COLUMNS; value in money, volume in m3).

    ``policy`` is :func:`opscore.inventory.planning.design` output (min_level, max_level, daily_demand, ...).
    """
    if window_days < 0:
        raise ValueError(f"purchase_plan: window_days must be 0 or more, got {window_days}")
    if budget is not None and budget < 0:
        raise ValueError(f"purchase_plan: the budget must be 0 or more, got {budget}")
    if volume_cap_m3 is not None and volume_cap_m3 < 0:
        raise ValueError(f"purchase_plan: the volume cap must be 0 or more m3, got {volume_cap_m3}")
    p = inputs.products.reset_index(drop=True)
    pol = policy.reset_index(drop=True)
    if list(pol["sku"]) != list(p["sku"]):
        raise ValueError("purchase_plan: the policy rows must match the products (design it from the same inputs)")
    today = inputs.as_of
    mu = pol["daily_demand"].to_numpy(float)
    position = inputs.on_hand + inputs.open_orders.sum(axis=1)
    low, high = pol["min_level"].to_numpy(float), pol["max_level"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        days_to_min = np.where(mu > 0, np.maximum(position - low, 0) / mu, np.inf)
        days_cover = np.where(mu > 0, inputs.on_hand / mu, np.inf)
    due = (mu > 0) & (days_to_min <= window_days)
    unit_vol = (p["length_cm"] * p["width_cm"] * p["height_cm"]).to_numpy(float) / 1e6
    alternatives: dict[str, list[tuple[str, float, float]]] = {}  # per SKU: (supplier, lead days, unit price)
    for sku, supplier, lead, price in inputs.suppliers[["sku", "supplier_id", "lead_days", "unit_price"]].itertuples(
            index=False):
        alternatives.setdefault(sku, []).append((supplier, lead, price))
    col = {c: p[c].tolist() for c in ("sku", "name", "supplier_id", "unit_cost", "moq", "order_multiple")}
    lead_days, cls = pol["lead_days"].to_numpy(float), pol["cls"].tolist()
    rows = []
    for i in np.flatnonzero(due):  # only the SKUs due in the window, building their sentences
        sku, moq, multiple = col["sku"][i], col["moq"][i], col["order_multiple"][i]
        supplier, lead, price = col["supplier_id"][i], float(lead_days[i]), float(col["unit_cost"][i])
        # order when the position hits the min, or earlier if the shelf stock runs out before a delivery
        order_day = int(min(np.floor(days_to_min[i]), np.floor(max(days_cover[i] - lead, 0.0))))
        pos_then = position[i] - mu[i] * order_day
        qty = float(round_order(max(high[i] - pos_then, 1.0), moq, multiple))
        why = []
        if order_day == 0:
            why.append(f"stock and open orders ({_fmt(position[i])}) are at or below the reorder level "
                       f"({_fmt(low[i])})" if days_to_min[i] < 1 else
                       f"shelf stock lasts about {days_cover[i]:.1f} days and delivery takes about {lead:.0f} days")
        elif order_day < np.floor(days_to_min[i]):
            why.append(f"shelf stock lasts about {days_cover[i]:.1f} days and delivery takes about {lead:.0f} days: "
                       f"order within {order_day} days")
        else:
            why.append(f"stock will reach the reorder level ({_fmt(low[i])}) in about {order_day} days")
        runs_out = days_cover[i] < order_day + lead
        if runs_out:
            others = [a for a in alternatives.get(sku, []) if a[0] != supplier and a[1] < lead]
            if others:
                best_supplier, best_lead, best_price = min(others, key=lambda a: a[1])  # the first of the fastest
                why.append(f"{supplier} needs about {lead:.0f} days but stock lasts {days_cover[i]:.1f}: "
                           f"use {best_supplier} (about {best_lead:.0f} days, £{best_price:.2f}/unit)")
                supplier, lead, price = best_supplier, float(best_lead), float(best_price)
            else:
                why.append(f"stock lasts about {days_cover[i]:.1f} days, less than the {lead:.0f}-day lead time: "
                           "expect a short gap, consider an urgent order")
        terms = []
        if moq > 1:
            terms.append(f"minimum {int(moq)}")
        if multiple > 1:
            terms.append(f"packs of {int(multiple)}")
        why.append(f"order {_fmt(qty)} to bring stock up to about {_fmt(high[i])}"
                   + (f" ({', '.join(terms)})" if terms else ""))
        rows.append({
            "sku": sku, "name": col["name"][i], "supplier_id": supplier,
            "order_by": today + timedelta(days=order_day),
            "arrives_by": today + timedelta(days=order_day + int(np.ceil(lead))),
            "quantity": qty, "unit_cost": price, "value": qty * price, "volume_m3": qty * unit_vol[i],
            "class": cls[i], "status": "order", "reason": "; ".join(why) + ".",
            "_urgency": days_cover[i] - lead - order_day, "_moq": float(moq),
            "_mult": float(multiple), "_vol": unit_vol[i],
        })
    plan = pd.DataFrame(rows)
    if plan.empty:
        return pd.DataFrame(columns=PLAN_COLUMNS)
    plan = plan.sort_values(["order_by", "_urgency", "class"]).reset_index(drop=True)
    if budget is not None or volume_cap_m3 is not None:
        plan = _apply_caps(plan, budget, volume_cap_m3)
    return plan[PLAN_COLUMNS]


def _apply_caps(plan: pd.DataFrame, budget: float | None, volume: float | None) -> pd.DataFrame:
    """Fill the budget / volume most urgent first; trim or defer what does not fit."""
    money_left = np.inf if budget is None else float(budget)
    space_left = np.inf if volume is None else float(volume)
    plan = plan.copy()
    quantities, reasons, statuses = plan["quantity"].tolist(), plan["reason"].tolist(), plan["status"].tolist()
    prices, volumes, multiples, moqs = (plan[c].tolist() for c in ("unit_cost", "_vol", "_mult", "_moq"))
    for i, (price, vol, qty) in enumerate(zip(prices, volumes, quantities)):
        fit = min(money_left / price if price > 0 else np.inf, space_left / vol if vol > 0 else np.inf)
        if fit < qty:
            smaller = np.floor(fit / multiples[i]) * multiples[i]
            cap = "budget" if budget is not None and money_left / max(price, 1e-12) <= fit + 1e-9 else "space"
            if smaller >= max(moqs[i], 1):
                reasons[i] += f" Trimmed from {_fmt(qty)} to {_fmt(smaller)} to stay within the {cap}."
                qty = smaller
            else:
                statuses[i] = "deferred"
                reasons[i] += f" Deferred: the remaining {cap} is used by more urgent lines."
                qty = 0.0
            quantities[i] = qty
        money_left -= qty * price
        space_left -= qty * vol
    plan["quantity"], plan["reason"], plan["status"] = quantities, reasons, statuses
    plan["value"] = plan["quantity"] * plan["unit_cost"]
    plan["volume_m3"] = plan["quantity"] * plan["_vol"]
    return plan


def plan_to_excel(plan: pd.DataFrame) -> bytes:
    """The plan as an .xlsx workbook (one sheet 'Purchase plan'), ready to send to a supplier or buyer."""
    return export_excel({"Purchase plan": plan})
