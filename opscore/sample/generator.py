"""Deterministic generator of the sample business (a Leeds food and drink wholesaler).

``generate(seed, n_skus)`` returns one DataFrame per user table. The same seed and
size always give the same tables, so the shipped CSVs in ``data/sample/`` can be
re-made and checked. Demand has weekly and yearly seasonality, trend, promotions
and UK (England) bank holidays; some SKUs are slow, intermittent or discontinued.
Stock is simulated day by day (:func:`_replenish`): a buyer reviews each SKU every few
days and orders up to a level, suppliers deliver late, short or with defects as their
terms say, and customers buy what they want while stock lasts, so sales are demand
capped by stock. ``stock_history`` records each day's closing stock and ``inventory``
is the last day's, split into lots. Most SKUs are rarely out of stock (about 0.5 % of
days); a minority, bought with too little safety stock, run out for days at a time;
about 2 % of all SKU-days end with none in stock.
Asset failures are drawn from Weibull lifetimes and sensors drift before a failure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import holidays
import numpy as np
import numpy.typing as npt
import pandas as pd

from opscore.emission_factors import default_factors
from opscore.geo import DEFAULT_CIRCUITY, haversine_km
from opscore.sample import catalogue as cat
from opscore.timeofday import parse_hhmm

DEFAULT_SEED = 20261102
SALES_START = date(2023, 11, 2)
AS_OF = date(2026, 11, 2)
"""The sample's 'today': history runs up to the day before."""
VARIANTS = (("", 1.0), (" (catering pack)", 0.95), (" (value)", 0.85), (" (organic)", 1.30))
"""Name suffix and price factor of each repeat of the catalogue (larger samples cycle through them)."""
WEEKDAY_FACTOR = np.array([1.10, 1.05, 1.05, 1.15, 1.30, 0.75, 0.25])
"""Relative demand Monday..Sunday for a trade wholesaler."""


@dataclass(frozen=True)
class SampleSpec:
    """Size and timing of a generated business."""

    seed: int = DEFAULT_SEED
    n_skus: int = 120
    n_customers: int = 60
    start: date = SALES_START
    as_of: date = AS_OF


def _round(values: np.ndarray, digits: int = 2) -> np.ndarray:
    return np.round(values.astype(float), digits)


def _products(rng: np.random.Generator, n: int) -> pd.DataFrame:
    rows = []
    per_cat = [len(c.items) for c in cat.CATEGORIES]
    slots = [(ci, ii) for ci, k in enumerate(per_cat) for ii in range(k)]
    for i in range(n):
        ci, ii = slots[i % len(slots)]
        round_no = i // len(slots)
        spec = cat.CATEGORIES[ci]
        suffix, factor = VARIANTS[round_no] if round_no < len(VARIANTS) else (f" (line {round_no})", 1.0)
        item = spec.items[ii]
        price = item.price * factor * rng.uniform(0.94, 1.06)
        weight = item.weight_kg * rng.uniform(1.0, 1.03)
        volume_cm3 = weight * 1000 / (spec.density_kg_per_l * rng.uniform(0.85, 1.15))
        length = (volume_cm3 * rng.uniform(1.2, 2.0)) ** (1 / 3)
        width = (volume_cm3 / length) ** 0.5 * rng.uniform(0.7, 1.0)
        height = volume_cm3 / (length * width)
        shelf = int(rng.integers(spec.shelf_life[0], spec.shelf_life[1] + 1)) if spec.shelf_life else None
        supplier = spec.supplier_ids[int(rng.integers(len(spec.supplier_ids)))]
        lead = {s[0]: s[9] for s in cat.SUPPLIERS}[supplier]
        # fresh and chilled lines are bought by the piece or a small case; ambient and frozen by the case
        moq = int(rng.choice([1, 1, 1, 2, 4, 6] if spec.shelf_life and spec.shelf_life[1] <= 40
                             else [1, 1, 5, 10, 12, 24]))
        rows.append({
            "sku": f"{spec.code}-{i + 1:03d}" if n < 1000 else f"{spec.code}-{i + 1:05d}",
            "name": item.name + suffix,
            "category": spec.name,
            "temperature_class": spec.temperature_class,
            "unit_cost": round(price * rng.uniform(0.65, 0.80), 2),
            "unit_price": round(price, 2),
            "weight_kg": round(weight, 3),
            "length_cm": round(length, 1),
            "width_cm": round(width, 1),
            "height_cm": round(height, 1),
            "shelf_life_days": shelf,
            "supplier_id": supplier,
            "lead_time_days": int(round(lead)),
            "moq": moq,
            "order_multiple": int(rng.choice([1, 1, 2, 6, 12])) if moq > 6 else 1,
        })
    frame = pd.DataFrame(rows)
    frame["shelf_life_days"] = frame["shelf_life_days"].astype("Int64")
    return frame


def _yearly(season: str, doy: np.ndarray) -> np.ndarray:
    angle = 2 * np.pi * doy / 365.25
    if season == "summer":
        return 1 + 0.35 * np.cos(angle - 2 * np.pi * 196 / 365.25)
    if season == "winter":
        return 1 + 0.20 * np.cos(angle - 2 * np.pi * 15 / 365.25)
    if season == "christmas":
        return 1 + 0.10 * np.cos(angle - 2 * np.pi * 350 / 365.25) + 0.9 * np.exp(-((doy - 352) / 6.0) ** 2)
    return np.ones_like(angle)


@dataclass(frozen=True)
class _Demand:
    """What customers wanted per day and SKU (days x SKUs), before stock limits what they could buy."""

    days: pd.DatetimeIndex
    mean: np.ndarray
    """Expected units per day."""
    units: np.ndarray
    """Units wanted (negative binomial around ``mean``)."""
    promo: np.ndarray
    price: np.ndarray


def _demand(rng: np.random.Generator, products: pd.DataFrame, spec: SampleSpec) -> _Demand:
    days = pd.date_range(spec.start, spec.as_of - timedelta(days=1), freq="D")
    n_days, n_skus = len(days), len(products)
    uk = holidays.country_holidays("GB", subdiv="ENG", years=range(spec.start.year, spec.as_of.year + 1))
    is_holiday = np.array([d.date() in uk for d in days])
    before_holiday = np.roll(is_holiday, -1) & ~is_holiday
    doy = days.dayofyear.to_numpy()
    t_years = np.arange(n_days) / 365.25

    seasons = {c.name: c.season for c in cat.CATEGORIES}
    level = np.exp(rng.normal(np.log(8.0), 1.2, n_skus))  # mean units per day
    intermittent = rng.random(n_skus) < 0.15
    level[intermittent] = rng.uniform(0.05, 0.6, intermittent.sum())
    trend = rng.normal(0.04, 0.10, n_skus)  # growth per year
    # a few SKUs discontinued four to eight months before the as-of date (dead stock)
    discontinued = np.zeros(n_skus, dtype=bool)
    discontinued[rng.choice(n_skus, max(1, n_skus // 40), replace=False)] = True
    stop_day = n_days - rng.integers(120, 240, n_skus)

    yearly = np.stack([_yearly(seasons[c], doy) for c in products["category"]], axis=1)
    weekly = WEEKDAY_FACTOR[days.weekday.to_numpy()][:, None]
    holiday = np.where(is_holiday, 0.3, np.where(before_holiday, 1.2, 1.0))[:, None]
    growth = (1 + trend[None, :]) ** t_years[:, None]
    mean = level[None, :] * weekly * yearly * holiday * growth

    promo = np.zeros((n_days, n_skus), dtype=bool)
    promoted = rng.random(n_skus) < 0.4
    for j in np.flatnonzero(promoted):
        for start in rng.choice(n_days - 7, size=int(rng.integers(6, 13)), replace=False):
            promo[start:start + 7, j] = True
    uplift = rng.uniform(1.3, 1.8, n_skus)
    mean = mean * np.where(promo, uplift[None, :], 1.0)
    mean[np.arange(n_days)[:, None]
         >= stop_day[None, :] * discontinued[None, :] + (~discontinued[None, :]) * n_days] = 0.0

    # negative binomial noise (dispersion 5) around the mean
    shape = 5.0
    units = rng.poisson(rng.gamma(shape, mean / shape))
    price = products["unit_price"].to_numpy()[None, :] * np.where(promo, 0.85, 1.0)
    return _Demand(days, mean, units, promo, price)


def _sales(demand: _Demand, sold: np.ndarray, products: pd.DataFrame) -> pd.DataFrame:
    """Daily sales rows: units sold (demand met from stock), price and promotion; a promoted day that sold nothing
    keeps its row."""
    keep = (sold > 0) | demand.promo & (demand.mean > 0)
    d_idx, s_idx = np.nonzero(keep)
    return pd.DataFrame({
        "date": demand.days[d_idx].date,
        "sku": products["sku"].to_numpy()[s_idx],
        "quantity": sold[d_idx, s_idx].astype(np.int64),
        "price": _round(demand.price[d_idx, s_idx]),
        "promotion": demand.promo[d_idx, s_idx],
    })


TROUBLED_SHARE = 0.15
"""Share of SKUs bought carelessly (too little safety stock, last month's sales as the forecast, orders often
late): they run out for days now and then."""
TROUBLED_SAFETY = (-0.5, 0.5)
"""Their safety stock, in standard deviations of demand over an order's cover (others': 1.5 to 2.5)."""
OVERSTOCKED_SHARE = 0.12
"""Share of (other) SKUs bought far above need, e.g. for volume discounts: weeks of cover."""
LATE_ORDER = 0.5
"""Chance that a troubled SKU's order goes out two to seven days after its review day (the buyer was away)."""
DUAL_SOURCED_SHARE = 0.25
"""Share of a dual-sourced SKU's orders that go to the category's other supplier."""
FORECAST_DAYS = 28
"""The buyer's forecast: the higher of the last four weeks' expected demand and the next review's."""


def _window_mean(cum: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Mean of the series whose running total is ``cum`` (one more row than days) over days ``[lo, hi)`` per
    column (NaN for an empty window)."""
    cols = np.arange(cum.shape[1])[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean: np.ndarray = (cum[hi, cols] - cum[lo, cols]) / (hi - lo)
    return mean


def _replenish(rng: np.random.Generator, products: pd.DataFrame, demand: _Demand,
               spec: SampleSpec) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Each SKU's stock day by day, bought on a periodic review (every ``cycle`` days the buyer orders up to a
    level) from suppliers who deliver late, short or with defects as their terms say. Customers buy what they want
    while stock lasts: ``sold = min(wanted, in stock)``.

    Returns the purchase order lines, the units sold and the closing stock (both days x SKUs)."""
    n_days, n = demand.mean.shape
    behaviour = {s[0]: s[8:] for s in cat.SUPPLIERS}
    main = products["supplier_id"].to_numpy()
    alternative = np.array([next((s for s in c.supplier_ids if s != sup), "") for sup, c in
                            zip(main, [next(c for c in cat.CATEGORIES if c.name == name)
                                       for name in products["category"]])], dtype=object)
    terms = {col: k for k, col in enumerate(("on_time", "lead_mean", "lead_sd", "in_full", "defect"))}

    def term(suppliers: np.ndarray, name: str) -> np.ndarray:
        return np.array([behaviour[s][terms[name]] if s else 0.0 for s in suppliers], dtype=float)

    main_terms = {k: term(main, k) for k in terms}
    alt_terms = {k: term(alternative, k) for k in terms}
    level = demand.mean.mean(axis=0)
    cycle = np.clip(np.round(14 / np.maximum(level, 0.05) ** 0.3), 5, 35).astype(int)
    shelf = products["shelf_life_days"].astype("float").to_numpy()
    cycle = np.where(np.isnan(shelf), cycle, np.minimum(cycle, np.maximum(2, np.nan_to_num(shelf) // 2))).astype(int)
    # the main supplier's delivery: days late on average and their variance (late w.p. 1 - on_time, by |N(0, s)|)
    late_p, late_s = 1 - main_terms["on_time"], main_terms["lead_sd"] * 2 + 1
    late_mean = late_p * late_s * math.sqrt(2 / math.pi)
    late_var = late_p * late_s ** 2 - late_mean ** 2
    cover = cycle + np.round(main_terms["lead_mean"]).astype(int) + np.round(late_mean).astype(int)
    fill = 1 - (1 - main_terms["in_full"]) * 0.16 - main_terms["defect"]  # good units per unit ordered

    troubled = np.asarray(rng.random(n) < TROUBLED_SHARE)
    safety = np.where(troubled, rng.uniform(*TROUBLED_SAFETY, n), rng.uniform(1.5, 2.5, n))
    slips = np.where(troubled, LATE_ORDER, 0.0)
    excess = np.where(~troubled & (rng.random(n) < OVERSTOCKED_SHARE), rng.uniform(2.0, 4.0, n), 1.0)
    phase = rng.integers(0, cycle)
    inflation = np.asarray(rng.normal(0.04, 0.015, n))  # purchase price growth a year, to the unit_cost of today

    # the order-up-to level of each day: forecast x cover + safety x its standard deviation (dispersion 5)
    cum = np.vstack([np.zeros((1, n)), np.cumsum(demand.mean, axis=0)])
    t = np.arange(n_days)[:, None]
    past = _window_mean(cum, np.maximum(t + 1 - FORECAST_DAYS, 0), np.broadcast_to(t + 1, (n_days, n)))
    ahead = _window_mean(cum, np.minimum(t + 1, n_days), np.minimum(t + 1 + cover[None, :], n_days))
    rate = np.where(troubled[None, :], past, np.fmax(past, ahead))  # troubled buyers go by last month alone
    sd = np.sqrt(cover[None, :] * (rate + rate ** 2 / 5) + rate ** 2 * late_var[None, :])
    target = np.ceil(np.maximum(rate * cover[None, :] + safety[None, :] * sd, 0.0) * excess[None, :])
    target = np.where(rate > 0, np.maximum(target, 1.0), target)  # a line still sold is kept in stock

    moq = products["moq"].to_numpy()
    multiple = products["order_multiple"].to_numpy()
    pad = n_days + 90
    arriving = np.zeros((pad, n))  # good units arriving at the start of each day
    settling = np.zeros((pad, n))  # units ordered whose delivery arrives that day
    on_hand = target[0].copy()
    on_order = np.zeros(n)
    sold = np.zeros((n_days, n), dtype=np.int64)
    closing = np.zeros((n_days, n))
    reviews = (t - phase[None, :]) % cycle[None, :] == 0
    fields = ("sku", "day", "alt", "promised", "received", "qty", "got", "defective", "price_factor")
    placed: list[tuple[np.ndarray, ...]] = []
    for day in range(n_days):
        on_hand += arriving[day]
        on_order -= settling[day]
        sold[day] = np.minimum(demand.units[day], on_hand)
        on_hand -= sold[day]
        closing[day] = on_hand
        j = np.flatnonzero(reviews[day])
        slipped = rng.random(len(j)) < slips[j]  # the buyer orders a few days late
        reviews[np.minimum(day + rng.integers(2, 8, len(j))[slipped], n_days - 1), j[slipped]] = True
        j = j[~slipped]
        short_of = target[day, j] - on_hand[j] - on_order[j]
        j, short_of = j[short_of > 0], short_of[short_of > 0]
        k = len(j)
        if not k:
            continue
        qty = np.maximum(moq[j], np.ceil(short_of / fill[j]))
        qty = np.ceil(qty / multiple[j]) * multiple[j]
        alt = (alternative[j] != "") & (rng.random(k) < DUAL_SOURCED_SHARE)
        pick = {name: np.where(alt, alt_terms[name][j], main_terms[name][j]) for name in terms}
        promised = day + np.round(pick["lead_mean"]).astype(int)
        late = np.where(rng.random(k) < pick["on_time"], 0,
                        np.ceil(np.abs(rng.normal(0, pick["lead_sd"] * 2 + 1)))).astype(int)
        early = (rng.random(k) < 0.05).astype(int)
        received = np.clip(promised + late - early, day + 1, pad - 1)
        got = np.where(rng.random(k) > pick["in_full"], np.floor(qty * rng.uniform(0.7, 0.98, k)), qty)
        defective = rng.binomial(got.astype(np.int64), pick["defect"])
        price_factor = rng.uniform(0.97, 1.05, k) * np.where(alt, 1.06, 1.0)
        arriving[received, j] += got - defective
        settling[received, j] += qty
        on_order[j] += qty
        placed.append((j, np.full(k, day), alt, promised, received, qty, got, defective, price_factor))

    lines = {name: np.concatenate(column) for name, column in zip(fields, zip(*placed, strict=True), strict=True)}
    order = np.lexsort((lines["day"], lines["sku"]))  # each SKU's orders in date order, as the buyer placed them
    lines = {name: column[order] for name, column in lines.items()}
    return _purchase_lines(products, lines, alternative, inflation, n_days, spec), sold, closing


def _purchase_lines(products: pd.DataFrame, lines: dict[str, np.ndarray], alternative: np.ndarray,
                    inflation: np.ndarray, n_days: int, spec: SampleSpec) -> pd.DataFrame:
    """The purchase order lines the simulation placed (``lines``: one array per field, SKUs by position, days since
    the start); orders still on their way at the as-of date have no receipt yet."""
    j = lines["sku"]
    start = pd.Timestamp(spec.start)
    open_ = lines["received"] >= n_days

    def dates(offsets: np.ndarray) -> np.ndarray:
        return np.asarray((start + pd.to_timedelta(offsets, unit="D")).date)

    received = pd.Series(dates(lines["received"]), dtype=object).where(~open_, None)
    width = max(6, len(str(len(j))))
    unit_cost = products["unit_cost"].to_numpy()[j]
    return pd.DataFrame({
        "po_id": [f"PO{i + 1:0{width}d}" for i in range(len(j))],
        "supplier_id": np.where(lines["alt"], alternative[j], products["supplier_id"].to_numpy()[j]),
        "sku": products["sku"].to_numpy()[j],
        "order_date": dates(lines["day"]),
        "promised_date": dates(lines["promised"]),
        "received_date": received,
        "qty_ordered": lines["qty"].astype(np.int64),
        "qty_received": pd.Series(lines["got"].astype(np.int64), dtype="Int64").mask(open_),
        "qty_defective": pd.Series(lines["defective"].astype(np.int64), dtype="Int64").mask(open_),
        "unit_price": _round(unit_cost * (1 + inflation[j]) ** ((lines["day"] - n_days) / 365.25)
                             * lines["price_factor"]),
    })


def _stock_history(products: pd.DataFrame, days: pd.DatetimeIndex, closing: np.ndarray) -> pd.DataFrame:
    """Closing stock per SKU and day, as a daily stock report lists it."""
    n_days, n = closing.shape
    return pd.DataFrame({
        "sku": np.repeat(products["sku"].to_numpy(), n_days),
        "date": np.tile(days.date, n),
        "on_hand": closing.T.ravel().astype(float),
    })


def _within(rng: np.random.Generator, lat: float, lon: float, km: float) -> tuple[float, float]:
    r = km * np.sqrt(rng.random())
    theta = rng.uniform(0, 2 * np.pi)
    dlat = r * np.cos(theta) / 111.2
    dlon = r * np.sin(theta) / (111.2 * np.cos(np.radians(lat)))
    return round(lat + dlat, 5), round(lon + dlon, 5)


def _customers(rng: np.random.Generator, n: int) -> pd.DataFrame:
    weights = np.array([t[3] for t in cat.TOWNS])
    shares = np.array([s[1] for s in cat.SEGMENTS])
    rows, names = [], set()
    for i in range(n):
        town = cat.TOWNS[int(rng.choice(len(cat.TOWNS), p=weights / weights.sum()))]
        seg = cat.SEGMENTS[int(rng.choice(len(cat.SEGMENTS), p=shares / shares.sum()))]
        lat, lon = _within(rng, town[1], town[2], 2.5)
        while True:
            name = f"{rng.choice(cat.NAME_PARTS[0])} {rng.choice(cat.NAME_PARTS[1])}"
            place = town[0].split()[0]
            if seg[0] in ("school", "care home", "hotel"):
                name = f"{place} {seg[0].title()}" + ("" if f"{place} {seg[0].title()}" not in names else f" {i}")
            if name not in names:
                break
        names.add(name)
        rows.append({
            "customer_id": f"C{i + 1:03d}",
            "name": name,
            "segment": seg[0],
            "lat": lat,
            "lon": lon,
            "postcode": None,
            "window_start": seg[2],
            "window_end": seg[3],
            "service_minutes": round(float(rng.uniform(*seg[5])), 1),
        })
    return pd.DataFrame(rows)


def _bearing(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Compass-like angle (radians) of each point seen from the depot."""
    angle: npt.NDArray[np.float64] = np.arctan2((lon - cat.DEPOT[3]) * np.cos(np.radians(cat.DEPOT[2])),
                                                lat - cat.DEPOT[2])
    return angle


STOPS_PER_VAN = 9
"""Stops a van is planned for before another van goes out (a morning trade round of 06:00-15:00)."""


def _plan_day(day_orders: pd.DataFrame, vehicles: pd.DataFrame) -> pd.DataFrame:
    """Assign a day's orders to vans by sector around the depot and time each stop, as a dispatcher would.

    As many vans go out as the stops (:data:`STOPS_PER_VAN` each) and the payload (90 % of the smallest van)
    need; each takes a contiguous sector by bearing, electric vans the sectors nearest the depot (their range
    is shortest). A van visits next the stop it can start serving soonest (travel at 35 km/h on haversine x 1.3
    road km, waiting for a window to open).
    Returns the orders with ``vehicle_id`` and ``planned_minute`` (minutes after midnight).
    """
    day_orders = day_orders.sort_values("bearing")
    payload = 0.9 * float(vehicles["capacity_kg"].min())
    need = max(math.ceil(len(day_orders) / STOPS_PER_VAN), math.ceil(day_orders["weight"].sum() / payload))
    n_vans = min(len(vehicles), need)
    sector = np.arange(len(day_orders)) * n_vans // len(day_orders)
    reach = day_orders.assign(sector=sector).groupby("sector")["distance_km"].max().sort_values().index
    electric = (vehicles["fuel"] == "electric").to_numpy()
    # electric vans first, shortest range first; then the others in table order
    vans = sorted(range(len(vehicles)),
                  key=lambda i: (0, vehicles["range_km"].iloc[i]) if electric[i] else (1, i))[:n_vans]
    out = []
    for v, part in zip(vans, reach):
        todo = day_orders[sector == part]
        t = parse_hhmm(vehicles["shift_start"].iloc[v]) + 20.0  # loading before departure
        lat, lon = cat.DEPOT[2], cat.DEPOT[3]
        order, minutes = [], []
        while len(todo):
            drive = (haversine_km(lat, lon, todo["lat"].to_numpy(), todo["lon"].to_numpy())
                     * DEFAULT_CIRCUITY / 35.0 * 60.0)
            start = np.maximum(t + drive, todo["window_min"].to_numpy())
            pick = int(np.argmin(start))
            stop = todo.iloc[pick]
            order.append(todo.index[pick])
            minutes.append(float(start[pick]))
            t = float(start[pick]) + float(stop["service_minutes"])
            lat, lon = float(stop["lat"]), float(stop["lon"])
            todo = todo.drop(todo.index[pick])
        out.append(day_orders.loc[order].assign(vehicle_id=vehicles["vehicle_id"].iloc[v], planned_minute=minutes))
    return pd.concat(out)


def _orders(rng: np.random.Generator, customers: pd.DataFrame, products: pd.DataFrame,
            vehicles: pd.DataFrame, spec: SampleSpec) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A year of orders (and the next two days'), their lines, and delivery attempts on planned van routes."""
    first = spec.as_of - timedelta(days=365)
    days = pd.date_range(first, spec.as_of + timedelta(days=2), freq="D")
    fail_rate = {s[0]: s[4] for s in cat.SEGMENTS}
    skus = products["sku"].to_numpy()
    unit_kg = dict(zip(products["sku"], products["weight_kg"]))
    popularity = rng.dirichlet(np.full(len(skus), 0.3))
    order_rows, line_rows = [], []
    absent_day: dict[str, int] = {}
    n_order = 0
    for c in customers.itertuples():
        weekdays = set(rng.choice(6, size=int(rng.integers(2, 4)), replace=False).tolist())
        absent_day[c.customer_id] = int(rng.integers(0, 6))  # the day this customer is often not in
        for day in days:
            if day.weekday() not in weekdays:
                continue
            n_order += 1
            oid = f"O{n_order:06d}"
            order_rows.append({"order_id": oid, "customer_id": c.customer_id,
                               "order_date": min((day - timedelta(days=1)).date(), spec.as_of),
                               "delivery_date": day.date(), "status": "open"})
            for line_no, sku in enumerate(rng.choice(skus, size=int(rng.integers(2, 7)), replace=False,
                                                     p=popularity), 1):
                most = 2 if unit_kg[sku] > 8 else 6
                line_rows.append({"order_id": oid, "line_no": line_no, "sku": sku,
                                  "quantity": int(rng.integers(1, most + 1))})
    orders = pd.DataFrame(order_rows)
    lines = pd.DataFrame(line_rows)
    weight = lines.assign(kg=lines["quantity"] * lines["sku"].map(unit_kg)).groupby("order_id")["kg"].sum()
    stops = orders.merge(customers, on="customer_id")
    stops = stops.assign(weight=stops["order_id"].map(weight),
                         bearing=_bearing(stops["lat"].to_numpy(), stops["lon"].to_numpy()),
                         distance_km=haversine_km(cat.DEPOT[2], cat.DEPOT[3], stops["lat"].to_numpy(),
                                                  stops["lon"].to_numpy()),
                         window_min=stops["window_start"].map(parse_hhmm))
    stops = stops[stops["delivery_date"] <= spec.as_of]
    planned = pd.concat([_plan_day(g, vehicles) for _, g in stops.groupby("delivery_date")])
    planned = planned.sort_values(["delivery_date", "vehicle_id", "planned_minute"])

    delivery_rows = []
    status: dict[str, str] = {}
    for stop in planned.itertuples():
        when = pd.Timestamp(stop.delivery_date)
        planned_at = (when + pd.Timedelta(minutes=float(stop.planned_minute))).floor("min")
        attempt = 1
        while True:
            row = {"delivery_id": "", "order_id": stop.order_id, "vehicle_id": stop.vehicle_id, "attempt": attempt,
                   "planned_date": when.date(), "planned_arrival": planned_at, "actual_arrival": pd.NaT,
                   "outcome": "pending", "failure_reason": None}
            if when.date() >= spec.as_of:
                delivery_rows.append(row)
                status[stop.order_id] = "planned"
                break
            delay = rng.normal(4, 12) + (rng.exponential(35) if rng.random() < 0.08 else 0.0)
            actual = (planned_at + pd.Timedelta(minutes=float(delay))).floor("min")
            late = max(0.0, (actual - planned_at).total_seconds() / 60)
            window_end = parse_hhmm(stop.window_end)
            after_window = (actual - actual.normalize()).total_seconds() / 60 > window_end
            p_fail = (fail_rate[stop.segment] * (1 + 0.04 * late)
                      * (2.5 if when.weekday() == absent_day[stop.customer_id] else 1.0))
            p_fail *= 1.5 if after_window else 1.0
            failed = rng.random() < min(p_fail, 0.6)
            row.update(actual_arrival=actual, outcome="failed" if failed else "delivered",
                       failure_reason=str(rng.choice(cat.FAILURE_REASONS)) if failed else None)
            delivery_rows.append(row)
            status[stop.order_id] = row["outcome"]
            if not failed or attempt >= 2:
                break
            attempt += 1
            when = when + timedelta(days=1)
            planned_at = planned_at + pd.Timedelta(days=1)
    deliveries = pd.DataFrame(delivery_rows).sort_values(["planned_arrival", "vehicle_id"], kind="stable")
    deliveries["delivery_id"] = [f"D{i + 1:06d}" for i in range(len(deliveries))]
    deliveries["actual_arrival"] = pd.to_datetime(deliveries["actual_arrival"])
    orders["status"] = orders["order_id"].map(status).fillna("open")
    return orders, lines, deliveries.reset_index(drop=True)


def _bins(sites: pd.DataFrame) -> pd.DataFrame:
    rows = []
    zones = {**{a: "ambient" for a in range(1, 9)}, 9: "chilled", 10: "chilled", 11: "frozen"}
    for aisle, zone in zones.items():
        for bay in range(1, 11):
            for level in range(1, 4):
                rows.append({"bin_id": f"A{aisle:02d}-B{bay:02d}-L{level}", "site_id": sites["site_id"].iloc[0],
                             "zone": zone, "aisle": aisle, "bay": bay, "level": level,
                             "capacity_units": 400 if level == 1 else 250})
    return pd.DataFrame(rows)


def _inventory(rng: np.random.Generator, products: pd.DataFrame, bins: pd.DataFrame,
               on_hand: np.ndarray, spec: SampleSpec) -> pd.DataFrame:
    """Today's stock by bin and lot: each SKU's closing stock of the last day of history (``on_hand``), in one to
    three lots, some ageing, now and then a perishable one past its use-by date."""
    zone_of = {"ambient": "ambient", "chilled": "chilled", "fresh": "chilled", "frozen": "frozen"}
    free = {z: list(bins.loc[bins["zone"] == z, "bin_id"]) for z in ("ambient", "chilled", "frozen")}
    for z in free:
        rng.shuffle(free[z])
    rows = []
    for j, p in enumerate(products.itertuples()):
        zone = zone_of[p.temperature_class]
        bin_id = free[zone][j % len(free[zone])]
        perishable = not pd.isna(p.shelf_life_days)
        total = int(on_hand[j])
        n_lots = 1 if total < 4 else int(rng.integers(1, 4))
        for lot in range(n_lots):
            qty = total // n_lots + (total % n_lots if lot == 0 else 0)
            if qty <= 0:
                continue
            if perishable:  # mostly fresh lots; now and then one a day or two past its use-by date
                overdue = rng.random() < 0.04
                age = (int(p.shelf_life_days) + int(rng.integers(1, 3)) if overdue
                       else int(rng.integers(0, max(1, 0.8 * p.shelf_life_days))))
            else:
                age = int(rng.integers(0, 20 + 60 * lot))
            received = spec.as_of - timedelta(days=age)
            expiry = (received + timedelta(days=int(p.shelf_life_days))) if not pd.isna(p.shelf_life_days) else None
            rows.append({"snapshot_date": spec.as_of, "bin_id": bin_id, "sku": p.sku,
                         "lot": f"L{received:%y%m%d}{lot}", "quantity": qty,
                         "received_date": received, "expiry_date": expiry})
    return pd.DataFrame(rows)


def _assets(rng: np.random.Generator, vehicles: pd.DataFrame,
            spec: SampleSpec) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Assets, their failure/service history (Weibull lifetimes) and daily sensor readings."""
    types = list(cat.ASSET_TYPES) + [("van", len(vehicles), 1.6, 650.0, 260.0, 1600.0, 45.0, 4.0)]
    assets, events, readings = [], [], []
    sensor_start = spec.as_of - timedelta(days=730)
    n = 0
    for a_type, count, shape, scale, prev_cost, fail_cost, down_cost, svc_hours in types:
        for k in range(count):
            n += 1
            asset_id = f"A{n:02d}"
            install = spec.as_of - timedelta(days=int(rng.integers(900, 2600)))
            assets.append({
                "asset_id": asset_id,
                "name": f"{a_type.title()} {k + 1}" if a_type != "van" else f"Van {vehicles['vehicle_id'].iloc[k]}",
                "type": a_type,
                "install_date": install,
                "vehicle_id": vehicles["vehicle_id"].iloc[k] if a_type == "van" else None,
                "preventive_cost": prev_cost,
                "failure_cost": fail_cost,
                "downtime_cost_per_hour": down_cost,
                "service_hours": svc_hours,
            })
            # renewal process: after each failure the asset is as good as new; services every ~1 year
            failures: list[date] = []
            t = install
            while True:
                life = int(np.ceil(scale * rng.weibull(shape)))
                fail_day = t + timedelta(days=life)
                if fail_day >= spec.as_of:
                    break
                failures.append(fail_day)
                t = fail_day
            for f in failures:
                events.append({"asset_id": asset_id, "date": f, "kind": "failure",
                               "downtime_hours": round(float(rng.uniform(4, 30)), 1),
                               "cost": round(fail_cost * float(rng.uniform(0.8, 1.3)), 2)})
            svc = install + timedelta(days=int(rng.integers(300, 400)))
            while svc < spec.as_of:
                events.append({"asset_id": asset_id, "date": svc, "kind": "preventive",
                               "downtime_hours": svc_hours, "cost": prev_cost})
                svc += timedelta(days=int(rng.integers(330, 400)))
            # sensors: a baseline with noise; drift over the 21 days before each failure
            days = pd.date_range(max(sensor_start, install), spec.as_of - timedelta(days=1), freq="D")
            drift = np.zeros(len(days))
            for f in failures:
                lead = (pd.Timestamp(f) - days).days.to_numpy()
                ramp = np.clip(1 - lead / 21, 0, 1) * (lead >= 0)
                drift = np.maximum(drift, ramp)
            if a_type in ("chiller", "freezer"):
                base = 3.0 if a_type == "chiller" else -20.0
                temp = base + rng.normal(0, 0.6, len(days)) + 6.0 * drift
                vib = 1.2 + rng.normal(0, 0.15, len(days)) + 1.5 * drift
            elif a_type == "compressor":
                temp = 45 + rng.normal(0, 2, len(days)) + 15 * drift
                vib = 2.5 + rng.normal(0, 0.3, len(days)) + 3.0 * drift
            else:
                temp = 70 + rng.normal(0, 3, len(days)) + 12 * drift
                vib = 2.0 + rng.normal(0, 0.3, len(days)) + 4.0 * drift
            hours = np.clip(rng.normal(8 if a_type in ("forklift", "van") else 20, 1.5, len(days)), 0, 24)
            hours[days.weekday >= 6] *= 0.3
            load = np.clip(rng.normal(60, 10, len(days)) + 10 * drift, 0, 100)
            readings.append(pd.DataFrame({
                "asset_id": asset_id,
                "ts": days + pd.Timedelta(hours=12),
                "temperature_c": _round(temp),
                "vibration_mm_s": _round(np.clip(vib, 0, None)),
                "run_hours": _round(hours),
                "load_pct": _round(load, 1),
            }))
    ev = pd.DataFrame(events).sort_values(["date", "asset_id"]).reset_index(drop=True)
    ev.insert(0, "event_id", [f"M{i + 1:05d}" for i in range(len(ev))])
    return pd.DataFrame(assets), ev, pd.concat(readings, ignore_index=True)


def generate(spec: SampleSpec | None = None) -> dict[str, pd.DataFrame]:
    """Generate every user table of the sample business, keyed by table name."""
    spec = spec or SampleSpec()
    def rng(part: int) -> np.random.Generator:
        """An independent stream per part, so changing one part leaves the others' data as it was."""
        return np.random.default_rng([spec.seed, part])

    sites = pd.DataFrame([dict(zip(("site_id", "name", "lat", "lon", "address"),
                                   (cat.DEPOT[0], cat.DEPOT[1], cat.DEPOT[2], cat.DEPOT[3], cat.DEPOT[4])))])
    sites.insert(2, "kind", "warehouse")
    suppliers = pd.DataFrame([
        {"supplier_id": s[0], "name": s[1], "city": s[2], "lat": s[3], "lon": s[4], "certifications": s[5],
         "recyclable_packaging_share": s[6], "recovery_days": s[7]} for s in cat.SUPPLIERS
    ])
    products = _products(rng(1), spec.n_skus)
    demand = _demand(rng(2), products, spec)
    purchase_orders, sold, closing = _replenish(rng(5), products, demand, spec)
    sales = _sales(demand, sold, products)
    stock_history = _stock_history(products, demand.days, closing)
    customers = _customers(rng(3), spec.n_customers)
    vehicles = pd.DataFrame([
        dict(zip(("vehicle_id", "name", "type", "fuel", "capacity_kg", "capacity_m3", "gross_weight_kg",
                  "cost_per_km", "cost_per_hour", "range_km"), v)) for v in cat.VEHICLES
    ])
    vehicles["shift_start"] = "06:00"
    vehicles["shift_end"] = "15:00"
    vehicles["depot_id"] = cat.DEPOT[0]
    orders, order_lines, deliveries = _orders(rng(4), customers, products, vehicles, spec)
    bins = _bins(sites)
    inventory = _inventory(rng(6), products, bins, closing[-1], spec)
    assets, maintenance_events, sensor_readings = _assets(rng(7), vehicles, spec)
    cartons = pd.DataFrame([
        dict(zip(("carton_id", "name", "length_cm", "width_cm", "height_cm", "max_weight_kg", "tare_weight_kg",
                  "material", "cost"), c)) for c in cat.CARTONS
    ])
    return {
        "emission_factors": default_factors(),
        "sites": sites, "suppliers": suppliers, "products": products, "bins": bins, "inventory": inventory,
        "sales": sales, "stock_history": stock_history, "customers": customers, "vehicles": vehicles, "orders": orders,
        "order_lines": order_lines, "deliveries": deliveries, "purchase_orders": purchase_orders,
        "assets": assets, "maintenance_events": maintenance_events, "sensor_readings": sensor_readings,
        "cartons": cartons,
    }
