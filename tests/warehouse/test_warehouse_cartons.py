"""Cartonization: feasibility of every packed carton (independent check), clear reports, CO2e."""

from __future__ import annotations

from itertools import combinations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opscore.emission_factors import default_factors
from opscore.warehouse import CartonType, Item, carton_types, cartonize, compare_packaging, summarise_packaging
from opscore.warehouse.picks import pick_lines

CATALOGUE = [
    CartonType("S", "Small", 30, 20, 15, 10, 0.18, "board", 0.32),
    CartonType("M", "Medium", 40, 30, 25, 18, 0.35, "board", 0.55),
    CartonType("L", "Large", 60, 40, 40, 25, 0.70, "board", 0.95),
]


def assert_feasible(plan, items):
    """Own check, written apart from the packer: inside, rotation of own size, no overlap, weight."""
    seen = []
    for pc in plan.cartons:
        c = pc.carton
        boxes = []
        for p in pc.placements:
            assert p.x >= -1e-9 and p.y >= -1e-9 and p.z >= -1e-9
            assert p.x + p.dx <= c.length_cm + 1e-6
            assert p.y + p.dy <= c.width_cm + 1e-6
            assert p.z + p.dz <= c.height_cm + 1e-6
            assert sorted((p.dx, p.dy, p.dz)) == sorted((p.item.length_cm, p.item.width_cm, p.item.height_cm))
            boxes.append(((p.x, p.x + p.dx), (p.y, p.y + p.dy), (p.z, p.z + p.dz)))
            seen.append(p.item)
        for a, b in combinations(boxes, 2):
            shared = [min(a[k][1], b[k][1]) - max(a[k][0], b[k][0]) for k in range(3)]
            assert min(shared) <= 1e-6, f"boxes {a} and {b} overlap"
        assert sum(p.item.weight_kg for p in pc.placements) <= c.max_weight_kg + 1e-9
    seen += [it for it, _ in plan.unpacked]
    assert sorted(seen, key=repr) == sorted(items, key=repr)  # every item exactly once


item_st = st.builds(lambda length, w, h, kg, k: Item(f"SKU{k}", length, w, h, kg), st.floats(3, 45), st.floats(3, 35),
                    st.floats(3, 35), st.floats(0.1, 12), st.integers(0, 5))


@settings(max_examples=40, deadline=None)
@given(items=st.lists(item_st, min_size=1, max_size=25),
       objective=st.sampled_from(["volume", "cost", "material", "co2e"]))
def test_every_packed_item_inside_its_carton_without_overlap(items, objective):
    """Random items (some too big for every carton): each packed item lies inside its carton, in one of its
    own rotations, overlapping no other item, every carton within its weight limit, every item either
    packed once or reported; an item is reported only if no carton can take it alone."""
    plan = cartonize(items, CATALOGUE, objective)
    assert_feasible(plan, items)
    for it, _ in plan.unpacked:
        dims = sorted((it.length_cm, it.width_cm, it.height_cm))
        assert not any(all(a <= b for a, b in zip(dims, sorted((c.length_cm, c.width_cm, c.height_cm))))
                       and it.weight_kg <= c.max_weight_kg for c in CATALOGUE)


def test_exact_fit_cubes_fill_one_carton():
    """Eight 10 cm cubes fill a 20 cm cubic carton exactly: the volume lower bound (Martello, Pisinger &
    Vigo 2000, L0) says one carton, and the extreme-point packing reaches it at 100% fill."""
    cube = CartonType("K", "Cube", 20, 20, 20, 50, 0.2, "board", 0.4)
    items = [Item("C", 10, 10, 10, 1.0)] * 8
    plan = cartonize(items, [cube])
    assert len(plan.cartons) == 1 and plan.fill_rate == pytest.approx(1.0) and plan.void_l == pytest.approx(0.0)


def test_rotation_is_used_when_needed():
    """A 50 x 10 x 10 cm item only fits a 20 x 20 x 60 cm carton stood on end."""
    tall = CartonType("T", "Tall", 20, 20, 60, 20, 0.3, "board", 0.5)
    plan = cartonize([Item("POLE", 50, 10, 10, 2.0)], [tall])
    p = plan.cartons[0].placements[0]
    assert (p.dx, p.dy, p.dz) == (10, 10, 50)


def test_item_larger_than_every_carton_is_reported_clearly():
    """An item bigger than every carton is not packed; the reason names it, its size and the largest carton."""
    big = Item("RUG-001", 120, 30, 30, 8.0)
    plan = cartonize([big, Item("TEA", 10, 10, 10, 0.5)], CATALOGUE)
    assert len(plan.unpacked) == 1
    reason = plan.unpacked[0][1]
    assert "RUG-001 (120 x 30 x 30 cm) is larger than every carton" in reason and "Large (L)" in reason
    assert len(plan.cartons) == 1 and plan.cartons[0].carton.carton_id == "S"
    heavy = cartonize([Item("ANVIL", 10, 10, 10, 40.0)], CATALOGUE)
    assert "weighs 40 kg, more than any carton it fits in can carry (25 kg)" in heavy.unpacked[0][1]


def test_objectives_pick_the_smallest_or_cheapest_carton_that_takes_all():
    """One small item goes in the smallest-volume carton for 'volume', the cheapest for 'cost', and the small
    board box for 'material' and 'co2e' (0.18 kg board = 0.22 kg CO2e against 1.8 kg PP = 4.6 kg CO2e)."""
    cheap_big = CartonType("X", "Crate", 60, 40, 30, 30, 1.8, "PP", 0.20)
    items = [Item("JAM", 8, 8, 10, 0.4)]
    assert cartonize(items, CATALOGUE + [cheap_big], "volume").cartons[0].carton.carton_id == "S"
    assert cartonize(items, CATALOGUE + [cheap_big], "cost").cartons[0].carton.carton_id == "X"
    assert cartonize(items, CATALOGUE + [cheap_big], "material").cartons[0].carton.carton_id == "S"
    assert cartonize(items, CATALOGUE + [cheap_big], "co2e").cartons[0].carton.carton_id == "S"


def test_weight_limit_splits_heavy_orders():
    """Ten 9 kg bottles: a 25 kg carton takes at most two, so at least five cartons are needed."""
    items = [Item("OIL", 10, 10, 30, 9.0)] * 10
    plan = cartonize(items, [CATALOGUE[2]])
    assert_feasible(plan, items)
    assert len(plan.cartons) == 5


def test_packaging_co2e_uses_uk_factor():
    """Carton CO2e = tare weight x UK GHG 2025 factor: a 0.35 kg board box x 1199.7 kg CO2e/t = 0.420 kg."""
    plan = cartonize([Item("JAM", 30, 25, 20, 3.0)], [CATALOGUE[1]], factors=default_factors())
    assert plan.kg_co2e == pytest.approx(0.35 * 1199.7 / 1000)
    assert plan.material_kg == pytest.approx(0.35)


def test_sample_orders_against_standard_box(sample_store):
    """On five sample orders the per-order comparison holds both ways of packing with feasible totals, and
    right-sizing for least CO2e emits no more and leaves no more empty space than always using the standard
    shipper (C8)."""
    t = {n: sample_store.table(n) for n in ("orders", "order_lines", "products", "inventory", "bins", "cartons")}
    ids = sorted(t["orders"]["order_id"])[-5:]
    picks = pick_lines(t["order_lines"], t["products"], t["inventory"], t["bins"], ids)
    per_order = compare_packaging(picks, t["products"], t["cartons"], "C8", "co2e")
    assert set(per_order["way"]) == {"right-sized", "standard"} and per_order["order_id"].nunique() == 5
    s = summarise_packaging(per_order)
    assert s.at["right-sized", "void_l"] <= s.at["standard", "void_l"]
    assert s.at["right-sized", "kg_co2e"] <= s.at["standard", "kg_co2e"]
    assert (s["fill_pct"] > 0).all() and (s["fill_pct"] <= 100).all()
    assert len(carton_types(t["cartons"])) == len(t["cartons"])
    with pytest.raises(ValueError, match="standard carton 'C99' is not in the catalogue"):
        compare_packaging(picks, t["products"], t["cartons"], "C99")


def test_missing_carton_columns_are_named():
    """A carton table without dimensions is rejected with the missing columns named."""
    with pytest.raises(ValueError, match="lacks column"):
        carton_types(pd.DataFrame({"carton_id": ["C1"]}))
