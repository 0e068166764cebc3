"""Fixed reference lists for the sample business: a food and drink wholesaler in Leeds, UK.

Coordinates are approximate town centres (WGS84 degrees). Prices are in GBP.
"""

from __future__ import annotations

from dataclasses import dataclass

BUSINESS_NAME = "Aire Valley Provisions"
DEPOT = ("LDS", "Aire Valley Provisions, Stourton depot", 53.7760, -1.5280, "Stourton, Leeds LS10")


@dataclass(frozen=True)
class CategorySpec:
    """A product group and how its SKUs behave."""

    code: str
    name: str
    temperature_class: str
    items: tuple[str, ...]
    price_range: tuple[float, float]
    """Selling price per unit, GBP."""
    weight_range: tuple[float, float]
    """kg per unit."""
    shelf_life: tuple[int, int] | None
    """Days from receipt to use-by, or None for non-perishables."""
    supplier_ids: tuple[str, ...]
    season: str
    """'summer', 'winter', 'christmas' or 'flat': where the yearly peak lies."""


CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec("DAI", "Dairy", "chilled",
                 ("Whole milk 4 pint", "Semi-skimmed milk 4 pint", "Double cream 1 l", "Salted butter 2 kg",
                  "Mature cheddar 5 kg", "Mozzarella 2 kg", "Greek yoghurt 1 kg", "Free-range eggs 30",
                  "Creme fraiche 2 l", "Parmesan 1 kg", "Oat milk 1 l", "Halloumi 1 kg"),
                 (1.6, 38.0), (0.5, 5.2), (7, 40), ("S1", "S2"), "flat"),
    CategorySpec("FRU", "Fruit and veg", "fresh",
                 ("Iceberg lettuce", "Vine tomatoes 6 kg", "Red onions 10 kg", "Maris Piper potatoes 25 kg",
                  "Lemons 80", "Avocados 20", "Mixed peppers 5 kg", "Baby spinach 1 kg", "Mushrooms 2.5 kg",
                  "Fresh basil 100 g", "Strawberries 2.27 kg", "Carrots 10 kg", "Cucumbers 12", "Garlic 1 kg"),
                 (1.2, 24.0), (0.1, 25.0), (3, 12), ("S3",), "summer"),
    CategorySpec("MEA", "Meat and fish", "chilled",
                 ("Chicken breast 5 kg", "Beef mince 2.5 kg", "Back bacon 2.27 kg", "Pork sausages 60",
                  "Salmon fillets 2 kg", "Cod loins 2 kg", "Lamb shoulder 3 kg", "Smoked salmon 1 kg",
                  "Cooked ham 2 kg", "Chorizo 1 kg"),
                 (9.0, 55.0), (1.0, 5.0), (5, 14), ("S4", "S5"), "christmas"),
    CategorySpec("BAK", "Bakery", "fresh",
                 ("Sourdough loaf", "Brioche buns 48", "Croissants 24", "Tortilla wraps 72", "Ciabatta 12",
                  "Bloomer loaf", "Pitta bread 60", "Crumpets 48"),
                 (1.8, 14.0), (0.4, 4.0), (3, 6), ("S6",), "flat"),
    CategorySpec("DRY", "Dry goods", "ambient",
                 ("Plain flour 16 kg", "Basmati rice 10 kg", "Penne pasta 3 kg", "Spaghetti 3 kg",
                  "Chopped tomatoes 2.5 kg", "Rapeseed oil 20 l", "Olive oil 5 l", "Baked beans 2.6 kg",
                  "Caster sugar 5 kg", "Sea salt 1 kg", "Black pepper 500 g", "Stock cubes 120",
                  "Mayonnaise 5 l", "Tomato ketchup 5 l", "Soy sauce 1.8 l", "Porridge oats 3 kg",
                  "Chickpeas 2.5 kg", "Coconut milk 2.5 kg"),
                 (2.0, 45.0), (0.5, 20.0), (180, 720), ("S7", "S2"), "winter"),
    CategorySpec("DRI", "Drinks", "ambient",
                 ("Orange juice 1 l x 12", "Apple juice 1 l x 12", "Still water 500 ml x 24",
                  "Sparkling water 500 ml x 24", "Cola 330 ml x 24", "Lemonade 330 ml x 24",
                  "Coffee beans 1 kg", "Tea bags 1100", "Hot chocolate 2 kg", "Oat barista 1 l x 6",
                  "Ginger beer 330 ml x 24", "Elderflower presse 275 ml x 12"),
                 (3.0, 32.0), (1.0, 13.0), (120, 540), ("S7", "S8"), "summer"),
    CategorySpec("FRO", "Frozen", "frozen",
                 ("Chips 2.5 kg x 4", "Garden peas 2 kg", "Vanilla ice cream 4 l", "Chocolate ice cream 4 l",
                  "Frozen berries 1 kg", "Puff pastry 2.5 kg", "Hash browns 2.5 kg", "Prawns 1 kg",
                  "Yorkshire puddings 72", "Onion rings 1 kg"),
                 (3.5, 28.0), (1.0, 10.0), (180, 540), ("S8",), "summer"),
    CategorySpec("DIS", "Disposables and cleaning", "ambient",
                 ("Takeaway boxes 250", "Coffee cups 12 oz 1000", "Napkins 2000", "Blue roll 6",
                  "Cling film 300 m", "Foil 450 mm", "Nitrile gloves 100", "Dish detergent 5 l",
                  "Sanitiser 5 l", "Bin liners 200", "Paper straws 250", "Catering foil trays 500"),
                 (3.0, 42.0), (0.5, 8.0), None, ("S7",), "flat"),
)

# supplier_id, name, city, lat, lon, certifications, recyclable share, recovery days,
# and behaviour: on-time probability, mean lead time (days), lead-time sd, in-full probability, defect rate
SUPPLIERS: tuple[tuple[str, str, str, float, float, str, float, int, float, float, float, float, float], ...] = (
    ("S1", "Dales Dairy Co-operative", "Skipton", 53.9620, -2.0170, "BRCGS;Red Tractor", 0.80, 7, 0.96, 2, 0.4, 0.97, 0.002),
    ("S2", "Pennine Foods Wholesale", "Huddersfield", 53.6458, -1.7850, "BRCGS", 0.55, 10, 0.88, 3, 1.0, 0.93, 0.006),
    ("S3", "Vale of York Growers", "York", 53.9590, -1.0815, "LEAF Marque;Red Tractor;ISO 14001", 0.90, 5, 0.92, 1, 0.3, 0.90, 0.015),
    ("S4", "Calder Valley Butchers", "Halifax", 53.7210, -1.8630, "BRCGS;Red Tractor", 0.60, 7, 0.94, 2, 0.5, 0.95, 0.004),
    ("S5", "Humber Seafoods", "Grimsby", 53.5675, -0.0800, "MSC;BRCGS", 0.50, 14, 0.80, 2, 0.9, 0.88, 0.010),
    ("S6", "Kirkgate Bakery", "Leeds", 53.7970, -1.5390, "SALSA", 0.95, 3, 0.98, 1, 0.2, 0.97, 0.003),
    ("S7", "Northern Cash and Carry Supplies", "Manchester", 53.4808, -2.2426, "ISO 9001", 0.45, 21, 0.78, 6, 2.5, 0.90, 0.004),
    ("S8", "Trans-Pennine Frozen and Drinks", "Warrington", 53.3900, -2.5970, "ISO 9001;ISO 14001", 0.70, 14, 0.85, 5, 1.8, 0.92, 0.002),
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
