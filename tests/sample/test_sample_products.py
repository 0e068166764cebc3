"""Sample products look like what their names say: pack weight, size and UK wholesale price.

Issue 21 found "Fresh basil 100 g" weighing 23 kg and "Salted butter 2 kg" at GBP 1.11. These tests read the
pack size from each name and hold the generated weight, dimensions and prices to it, for the 120-SKU sample and
for a 1,000-SKU business (every variant of the catalogue).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from opscore.sample import SampleSpec, generate
from opscore.sample.catalogue import CATEGORIES
from opscore.sample.generator import _products

PINT_L = 0.568261
"""UK pint in litres (Weights and Measures Act 1985, Schedule 1)."""
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(kg|g|l|ml|pint)\b(?:\s*x\s*(\d+))?")


def stated_contents(name: str) -> tuple[float, str] | None:
    """(amount, 'kg' or 'l') the name states, e.g. 'Cola 330 ml x 24' -> (7.92, 'l'); None without a size."""
    match = _SIZE.search(name)
    if match is None:
        return None
    amount, unit, count = float(match[1]), match[2], int(match[3] or 1)
    scale = {"kg": (1.0, "kg"), "g": (0.001, "kg"), "l": (1.0, "l"), "ml": (0.001, "l"), "pint": (PINT_L, "l")}
    factor, base = scale[unit]
    return amount * factor * count, base


@pytest.fixture(scope="module", params=[120, 1000], ids=["sample", "1000 SKUs"])
def products(request: pytest.FixtureRequest) -> pd.DataFrame:
    if request.param == 120:
        return generate(SampleSpec())["products"]
    return _products(np.random.default_rng(7), request.param)


def test_the_parser_reads_pack_sizes() -> None:
    assert stated_contents("Cola 330 ml x 24") == pytest.approx((7.92, "l"))
    assert stated_contents("Fresh basil 100 g") == pytest.approx((0.1, "kg"))
    assert stated_contents("Semi-skimmed milk 4 pint") == pytest.approx((4 * PINT_L, "l"))
    assert stated_contents("Chips 2.5 kg x 4 (value)") == pytest.approx((10.0, "kg"))
    assert stated_contents("Lemons 80") is None


def test_weight_follows_the_pack_size_in_the_name(products: pd.DataFrame) -> None:
    """A pack stated in kg weighs its contents plus at most 15 % + 0.3 kg of packaging; one stated in litres
    weighs 0.5-1.9 kg per litre (ice cream is about half air; small glass bottles weigh as much as their drink)
    plus 0.6 kg of case."""
    far = []
    for row in products.itertuples():
        stated = stated_contents(row.name)
        if stated is None:
            continue
        amount, unit = stated
        low, high = (amount, amount * 1.15 + 0.3) if unit == "kg" else (0.5 * amount, 1.9 * amount + 0.6)
        if not low <= row.weight_kg <= high:
            far.append(f"{row.name}: {row.weight_kg} kg")
    assert far == []


def test_named_examples_from_the_issue(products: pd.DataFrame) -> None:
    by_name = products.drop_duplicates("name").set_index("name")
    assert by_name.loc["Fresh basil 100 g", "weight_kg"] < 0.2
    assert by_name.loc["Mature cheddar 5 kg", "weight_kg"] >= 5.0
    assert by_name.loc["Mature cheddar 5 kg", "unit_price"] > 20.0
    assert by_name.loc["Salted butter 2 kg", "unit_price"] > 5 * by_name.loc["Semi-skimmed milk 4 pint", "unit_price"]


def test_prices_are_uk_wholesale_levels(products: pd.DataFrame) -> None:
    """Food and drink sell at GBP 0.30-40 per kg (bottled water to smoked salmon); every unit costs the wholesaler less
    than it sells for, with a 15-40 % gross margin."""
    food = products[products["category"] != "Disposables and cleaning"]
    per_kg = food["unit_price"] / food["weight_kg"]
    assert per_kg.between(0.30, 40.0).all(), food.loc[~per_kg.between(0.30, 40.0), ["name", "unit_price", "weight_kg"]]
    margin = 1 - products["unit_cost"] / products["unit_price"]
    assert margin.between(0.15, 0.40).all()
    assert products["unit_price"].between(0.5, 80.0).all()


def test_dimensions_hold_the_contents(products: pd.DataFrame) -> None:
    """The box is at least as big as the liquid it holds and no denser than 1.3 kg per litre."""
    litres = products["length_cm"] * products["width_cm"] * products["height_cm"] / 1000
    assert (products["weight_kg"] / litres).between(0.1, 1.3).all()
    for row in products.assign(litres=litres).itertuples():
        stated = stated_contents(row.name)
        if stated is not None and stated[1] == "l":
            assert row.litres >= stated[0] * 0.95, row.name


def test_every_catalogue_item_is_checked_by_name_or_has_a_plausible_count_weight() -> None:
    """Items without a size in the name (counts like 'Lemons 80', or single loaves) weigh 0.1-26 kg."""
    for category in CATEGORIES:
        for item in category.items:
            assert 0.1 <= item.weight_kg <= 26.0, item.name
