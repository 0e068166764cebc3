"""What the Inventory page's numbers mean, in sentences: the service target against what the levels achieve, and
where the waste comes from."""

from __future__ import annotations

from opscore.inventory import TunedPolicy, WasteReport
from ui.text import md


def target_against_achieved(tuned: TunedPolicy, target_kind: str) -> str:
    """Markdown: the average target, what the tuned levels achieve and how many items meet their own target."""
    measure_words = "no run-out between deliveries" if target_kind == "csl" else "of demand served"
    short = tuned.short
    return (
        f"**Target against achieved.** Target {tuned.mean_target:.1%} {measure_words} (average per item); once these "
        f"reorder levels are in place the simulation gives **{tuned.mean_achieved:.1%}**, and "
        f"**{len(tuned.active) - len(short)} of {len(tuned.active)} items** meet their own target within the "
        f"simulation's margin. To get there {tuned.raised} item(s) hold more than the textbook formula says "
        "(it assumes steady, bell-shaped demand)."
        + (f" Still short after {tuned.rounds} rounds of tuning: {md(', '.join(short['name'].head(3)))}"
           f"{' and others' if len(short) > 3 else ''}." if len(short) else ""))


def waste_explained(waste: WasteReport) -> str:
    """Markdown: waste against the units there were, and the items whose levels outlast their use-by date."""
    return (
        f"Thrown away: {waste.share_of_supplied:.0%} of the units on the shelf today and bought over the six months. "
        "Fresh lines turn their stock over every few days, so six months of waste can pass the stock on the shelf "
        "at any one time." + (
            f" {waste.outlasting_share:.0%} of it comes from {waste.outlasting_items} item(s) whose max level is "
            f"more than they sell before the use-by date (most: {md(', '.join(waste.worst))}); a lower target or a "
            "smaller minimum order for them cuts it." if waste.worst else ""))
