"""Fixed reference lists for the sample business: a food and drink wholesaler in Leeds, UK.

Coordinates are approximate town centres (WGS84 degrees). Prices are in GBP.
"""

from __future__ import annotations

from dataclasses import dataclass

BUSINESS_NAME = "Aire Valley Provisions"
DEPOT = ("LDS", "Aire Valley Provisions, Stourton depot", 53.7760, -1.5280, "Stourton, Leeds LS10")


@dataclass(frozen=True)
class Item:
    """One catalogue line: its name (with pack size), trade selling price and packed weight.

    Prices are UK foodservice wholesale levels (GBP per unit, ex VAT, 2026); weights are the packed unit's
    gross kg (contents plus packaging).
    """

    name: str
    price: float
    weight_kg: float


@dataclass(frozen=True)
class CategorySpec:
    """A product group and how its SKUs behave."""

    code: str
    name: str
    temperature_class: str
    items: tuple[Item, ...]
    density_kg_per_l: float
    """Packed weight per litre of outer box, which sets a unit's dimensions."""
    shelf_life: tuple[int, int] | None
    """Days from receipt to use-by, or None for non-perishables."""
    supplier_ids: tuple[str, ...]
    season: str
    """'summer', 'winter', 'christmas' or 'flat': where the yearly peak lies."""


def _items(*rows: tuple[str, float, float]) -> tuple[Item, ...]:
    return tuple(Item(*row) for row in rows)


CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec("DAI", "Dairy", "chilled", _items(
        ("Whole milk 4 pint", 1.75, 2.40), ("Semi-skimmed milk 4 pint", 1.70, 2.40),
        ("Double cream 1 l", 5.20, 1.05), ("Salted butter 2 kg", 16.50, 2.05),
        ("Mature cheddar 5 kg", 32.00, 5.10), ("Mozzarella 2 kg", 14.50, 2.05),
        ("Greek yoghurt 1 kg", 3.60, 1.05), ("Free-range eggs 30", 7.50, 2.00),
        ("Creme fraiche 2 l", 8.40, 2.10), ("Parmesan 1 kg", 17.50, 1.02),
        ("Oat milk 1 l", 1.80, 1.05), ("Halloumi 1 kg", 11.00, 1.02),
    ), 0.80, (7, 40), ("S1", "S2"), "flat"),
    CategorySpec("FRU", "Fruit and veg", "fresh", _items(
        ("Iceberg lettuce", 0.95, 0.60), ("Vine tomatoes 6 kg", 14.00, 6.30),
        ("Red onions 10 kg", 8.50, 10.20), ("Maris Piper potatoes 25 kg", 14.50, 25.20),
        ("Lemons 80", 16.00, 10.20), ("Avocados 20", 18.00, 4.40),
        ("Mixed peppers 5 kg", 11.50, 5.30), ("Baby spinach 1 kg", 6.50, 1.10),
        ("Mushrooms 2.5 kg", 7.20, 2.70), ("Fresh basil 100 g", 1.60, 0.12),
        ("Strawberries 2.27 kg", 9.50, 2.50), ("Carrots 10 kg", 7.00, 10.20),
        ("Cucumbers 12", 7.80, 4.50), ("Garlic 1 kg", 6.00, 1.05),
    ), 0.45, (3, 12), ("S3",), "summer"),
    CategorySpec("MEA", "Meat and fish", "chilled", _items(
        ("Chicken breast 5 kg", 36.00, 5.10), ("Beef mince 2.5 kg", 19.50, 2.60),
        ("Back bacon 2.27 kg", 15.50, 2.35), ("Pork sausages 60", 17.00, 3.50),
        ("Salmon fillets 2 kg", 29.00, 2.10), ("Cod loins 2 kg", 32.00, 2.10),
        ("Lamb shoulder 3 kg", 33.00, 3.10), ("Smoked salmon 1 kg", 26.00, 1.05),
        ("Cooked ham 2 kg", 15.00, 2.10), ("Chorizo 1 kg", 11.50, 1.05),
    ), 0.80, (5, 14), ("S4", "S5"), "christmas"),
    CategorySpec("BAK", "Bakery", "fresh", _items(
        ("Sourdough loaf", 3.20, 0.80), ("Brioche buns 48", 13.50, 3.00),
        ("Croissants 24", 9.60, 1.55), ("Tortilla wraps 72", 14.00, 4.60),
        ("Ciabatta 12", 8.50, 3.35), ("Bloomer loaf", 2.60, 0.80),
        ("Pitta bread 60", 8.00, 3.70), ("Crumpets 48", 6.50, 2.75),
    ), 0.20, (3, 6), ("S6",), "flat"),
    CategorySpec("DRY", "Dry goods", "ambient", _items(
        ("Plain flour 16 kg", 12.50, 16.10), ("Basmati rice 10 kg", 19.00, 10.10),
        ("Penne pasta 3 kg", 4.20, 3.05), ("Spaghetti 3 kg", 4.20, 3.05),
        ("Chopped tomatoes 2.5 kg", 3.40, 2.75), ("Rapeseed oil 20 l", 34.00, 19.40),
        ("Olive oil 5 l", 38.00, 4.90), ("Baked beans 2.6 kg", 3.60, 2.85),
        ("Caster sugar 5 kg", 5.80, 5.05), ("Sea salt 1 kg", 2.40, 1.05),
        ("Black pepper 500 g", 7.50, 0.55), ("Stock cubes 120", 9.50, 1.35),
        ("Mayonnaise 5 l", 11.00, 4.90), ("Tomato ketchup 5 l", 9.50, 5.90),
        ("Soy sauce 1.8 l", 6.00, 2.25), ("Porridge oats 3 kg", 4.80, 3.05),
        ("Chickpeas 2.5 kg", 3.80, 2.75), ("Coconut milk 2.5 kg", 6.50, 2.75),
    ), 0.75, (180, 720), ("S7", "S2"), "winter"),
    CategorySpec("DRI", "Drinks", "ambient", _items(
        ("Orange juice 1 l x 12", 13.50, 13.20), ("Apple juice 1 l x 12", 12.00, 13.20),
        ("Still water 500 ml x 24", 5.50, 12.50), ("Sparkling water 500 ml x 24", 6.00, 12.50),
        ("Cola 330 ml x 24", 13.00, 8.40), ("Lemonade 330 ml x 24", 9.50, 8.40),
        ("Coffee beans 1 kg", 16.00, 1.05), ("Tea bags 1100", 24.00, 3.80),
        ("Hot chocolate 2 kg", 13.00, 2.15), ("Oat barista 1 l x 6", 11.50, 6.50),
        ("Ginger beer 330 ml x 24", 12.00, 8.40), ("Elderflower presse 275 ml x 12", 12.50, 5.80),
    ), 0.85, (120, 540), ("S7", "S8"), "summer"),
    CategorySpec("FRO", "Frozen", "frozen", _items(
        ("Chips 2.5 kg x 4", 14.50, 10.20), ("Garden peas 2 kg", 4.20, 2.05),
        ("Vanilla ice cream 4 l", 8.50, 2.40), ("Chocolate ice cream 4 l", 9.00, 2.40),
        ("Frozen berries 1 kg", 5.20, 1.05), ("Puff pastry 2.5 kg", 7.80, 2.60),
        ("Hash browns 2.5 kg", 5.50, 2.60), ("Prawns 1 kg", 12.50, 1.05),
        ("Yorkshire puddings 72", 8.00, 1.60), ("Onion rings 1 kg", 3.80, 1.05),
    ), 0.55, (180, 540), ("S8",), "summer"),
    CategorySpec("DIS", "Disposables and cleaning", "ambient", _items(
        ("Takeaway boxes 250", 32.00, 5.00), ("Coffee cups 12 oz 1000", 55.00, 11.50),
        ("Napkins 2000", 14.00, 4.00), ("Blue roll 6", 12.00, 3.30),
        ("Cling film 300 m", 6.50, 1.60), ("Foil 450 mm", 11.00, 1.80),
        ("Nitrile gloves 100", 4.50, 0.45), ("Dish detergent 5 l", 7.50, 5.20),
        ("Sanitiser 5 l", 12.00, 4.60), ("Bin liners 200", 13.00, 3.50),
        ("Paper straws 250", 3.20, 0.35), ("Catering foil trays 500", 36.00, 6.00),
    ), 0.25, None, ("S7",), "flat"),
)

# supplier_id, name, city, lat, lon, certifications, recyclable share, recovery days,
# and behaviour: on-time probability, mean lead time (days), lead-time sd, in-full probability, defect rate
SUPPLIERS: tuple[tuple[str, str, str, float, float, str, float, int, float, float, float, float, float], ...] = (
    ("S1", "Dales Dairy Co-operative", "Skipton", 53.9620, -2.0170, "BRCGS;Red Tractor",
     0.80, 7, 0.96, 2, 0.4, 0.97, 0.002),
    ("S2", "Pennine Foods Wholesale", "Huddersfield", 53.6458, -1.7850, "BRCGS", 0.55, 10, 0.88, 3, 1.0, 0.93, 0.006),
    ("S3", "Vale of York Growers", "York", 53.9590, -1.0815, "LEAF Marque;Red Tractor;ISO 14001",
     0.90, 5, 0.92, 1, 0.3, 0.90, 0.015),
    ("S4", "Calder Valley Butchers", "Halifax", 53.7210, -1.8630, "BRCGS;Red Tractor",
     0.60, 7, 0.94, 2, 0.5, 0.95, 0.004),
    ("S5", "Humber Seafoods", "Grimsby", 53.5675, -0.0800, "MSC;BRCGS", 0.50, 14, 0.80, 2, 0.9, 0.88, 0.010),
    ("S6", "Kirkgate Bakery", "Leeds", 53.7970, -1.5390, "SALSA", 0.95, 3, 0.98, 1, 0.2, 0.97, 0.003),
    ("S7", "Northern Cash and Carry Supplies", "Manchester", 53.4808, -2.2426, "ISO 9001",
     0.45, 21, 0.78, 6, 2.5, 0.90, 0.004),
    ("S8", "Trans-Pennine Frozen and Drinks", "Warrington", 53.3900, -2.5970, "ISO 9001;ISO 14001",
     0.70, 14, 0.85, 5, 1.8, 0.92, 0.002),
)

# Towns around Leeds used to place customers: name, lat, lon, weight
TOWNS: tuple[tuple[str, float, float, float], ...] = (
    ("Leeds city centre", 53.7997, -1.5492, 5.0),
    ("Headingley", 53.8200, -1.5790, 2.0),
    ("Chapel Allerton", 53.8290, -1.5380, 1.5),
    ("Horsforth", 53.8410, -1.6380, 1.0),
    ("Pudsey", 53.7960, -1.6610, 1.0),
    ("Morley", 53.7400, -1.6000, 1.0),
    ("Wakefield", 53.6830, -1.4990, 2.0),
    ("Bradford", 53.7950, -1.7590, 2.0),
    ("Otley", 53.9050, -1.6910, 1.0),
    ("Wetherby", 53.9280, -1.3860, 1.0),
    ("Garforth", 53.7930, -1.3880, 1.0),
    ("Harrogate", 53.9920, -1.5410, 1.5),
)

# segment, share, window start, window end, first-attempt failure rate, service minutes (lo, hi)
SEGMENTS: tuple[tuple[str, float, str, str, float, tuple[float, float]], ...] = (
    ("restaurant", 0.35, "09:00", "11:30", 0.06, (8.0, 15.0)),
    ("cafe", 0.25, "06:30", "09:00", 0.04, (5.0, 10.0)),
    ("hotel", 0.10, "07:00", "12:00", 0.02, (10.0, 20.0)),
    ("school", 0.10, "07:30", "10:00", 0.03, (8.0, 15.0)),
    ("retailer", 0.12, "06:00", "10:00", 0.03, (6.0, 12.0)),
    ("care home", 0.08, "09:00", "14:00", 0.02, (8.0, 15.0)),
)

NAME_PARTS = (
    ("The", "Old", "Little", "Brew", "Corner", "Northern", "Riverside", "Golden", "Green", "Canal",
     "Market", "Station", "Mill", "Kirk", "Aire"),
    ("Kitchen", "Table", "Larder", "Deli", "Bistro", "Cafe", "House", "Grill", "Pantry", "Tavern",
     "Yard", "Rooms", "Eatery", "Store", "Bakehouse"),
)

FAILURE_REASONS = ("customer absent", "site closed", "access problem", "no safe place", "refused: damaged")

# vehicle_id, name, type, fuel, capacity kg, m3, gross weight kg, cost/km, cost/hour, range km
VEHICLES: tuple[tuple[str, str, str, str, float, float, float, float, float, float | None], ...] = (
    ("V1", "Transit 350 L3 (YD71 KLM)", "large van", "diesel", 1250.0, 11.0, 3500.0, 0.29, 15.5, 700.0),
    ("V2", "Transit 350 L3 (YE22 PRS)", "large van", "diesel", 1250.0, 11.0, 3500.0, 0.29, 15.5, 700.0),
    ("V3", "Transit Custom (YF19 TUV)", "medium van", "petrol", 1000.0, 6.0, 3000.0, 0.31, 15.5, 550.0),
    ("V4", "E-Transit (YG73 EVA)", "large van", "electric", 1100.0, 11.0, 4250.0, 0.12, 15.5, 200.0),
    ("V5", "Vivaro Electric (YH24 EVB)", "medium van", "electric", 950.0, 5.3, 3100.0, 0.11, 15.5, 180.0),
)

# carton_id, name, length, width, height (cm), max kg, tare kg, material, cost GBP
CARTONS: tuple[tuple[str, str, float, float, float, float, float, str, float], ...] = (
    ("C1", "Small box", 30.0, 20.0, 15.0, 10.0, 0.18, "board", 0.32),
    ("C2", "Medium box", 40.0, 30.0, 25.0, 18.0, 0.35, "board", 0.55),
    ("C3", "Large box", 60.0, 40.0, 40.0, 25.0, 0.70, "board", 0.95),
    ("C4", "Extra large box", 80.0, 60.0, 50.0, 30.0, 1.20, "board", 1.60),
    ("C5", "Flat tray", 60.0, 40.0, 12.0, 20.0, 0.45, "board", 0.48),
    ("C6", "Insulated box", 50.0, 35.0, 30.0, 20.0, 0.60, "plastics", 2.40),
    ("C7", "Returnable crate", 60.0, 40.0, 30.0, 30.0, 1.80, "PP", 0.20),
    ("C8", "Standard shipper", 60.0, 40.0, 40.0, 25.0, 0.70, "board", 0.95),
)

# asset type, count, Weibull shape, scale (days), preventive cost, failure cost, downtime cost/h, service hours
ASSET_TYPES: tuple[tuple[str, int, float, float, float, float, float, float], ...] = (
    ("chiller", 4, 2.2, 520.0, 180.0, 1400.0, 60.0, 3.0),
    ("freezer", 1, 2.0, 600.0, 200.0, 1800.0, 80.0, 3.0),
    ("forklift", 3, 1.8, 420.0, 150.0, 900.0, 35.0, 2.5),
    ("compressor", 2, 2.5, 700.0, 220.0, 2200.0, 90.0, 4.0),
)
