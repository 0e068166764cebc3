"""Line-level sales exports (one row per order line or till line) added up into daily ``sales`` rows.

Two layouts are recognised from their headers (see docs/line-level-exports.md): Shopify's orders export
and a generic till export. Each line counts on the calendar day of its timestamp as written in the file:
a Shopify ``2026-10-02 00:31:09 +0100`` is 2 October, the shop's local day, never converted to UTC.
Per (date, sku) the lines give

- quantity: the sum of their units;
- price: the revenue-weighted unit price actually charged, ``sum(quantity × unit price − line discount) /
  sum(quantity)`` (a line discount is for the whole line), or the mean unit price if the units add up to 0;
- promotion: True if any line was promoted (compare-at price above the price, a line discount, a discount
  code on its order, or a till promotion flag).

Cancelled or voided lines, lines of refunded orders, lines without a SKU (shipping, gift cards, deposits)
and lines with a negative quantity or price (returns) are skipped and counted. Numbers are read in each
column's own convention (:mod:`opscore.io.numbers`); a column that reads two ways comes back as a question.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime

import numpy as np
import pandas as pd

from opscore.io.numbers import NumberAmbiguity, NumberFormat
from opscore.io.validation import FALSE, Problem, cells_and_text, number_column, row_problems, text_column
from opscore.store.schema import Column, Kind

TABLE = "sales"
"""The table the daily rows are for; problems and number questions name it."""
SALES_COLUMNS = ("date", "sku", "quantity", "price", "promotion")

CANCELLED = "cancelled or voided"
REFUNDED = "from refunded orders"
NO_SKU = "without a SKU"
NEGATIVE = "with a negative quantity or price (returns)"
SKIP_REASONS = (CANCELLED, REFUNDED, NO_SKU, NEGATIVE)
"""Why a line is skipped, in order of precedence (a line is counted under the first that applies)."""
REFUNDED_STATUSES = frozenset({"refunded", "voided"})
"""Shopify ``Financial Status`` values of orders whose money went back (``partially_refunded`` lines are kept:
the export does not say which line was refunded)."""
NO_WORDS = FALSE | {"nein", "-"}
"""Flag cells that mean "no" (besides empty cells); any other text in a flag column means "yes"."""
ORDER_LEVEL = ("timestamp", "channel", "cancelled", "status", "discount_code")
"""Fields an export may write on an order's (receipt's) first line only; later lines of the order inherit them."""
_STAMP = re.compile(
    r"^(?:(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})|(?P<d2>\d{1,2})(?P<sep>[./-])(?P<m2>\d{1,2})(?P=sep)(?P<y2>\d{4}))"
    r"(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})?)?$")
"""A date (``YYYY-MM-DD``, or day first: ``DD.MM.YYYY``, ``DD/MM/YYYY``, ``DD-MM-YYYY``), optionally a time of
day and a UTC offset (read and ignored: the day as written counts)."""
STAMP_HINT = "use YYYY-MM-DD HH:MM, DD.MM.YYYY HH:MM or DD/MM/YYYY HH:MM, day first"


@dataclass(frozen=True)
class LineLayout:
    """Which file column holds what in a line-level export (headers exactly as in the file)."""

    name: str
    """The export, as shown to users: "Shopify orders export" or "Till export"."""
    lines: str
    """What its rows are called: "order lines" or "till lines"."""
    timestamp: str
    """Date and time of the line (or the date alone); only the calendar day as written is used."""
    sku: str
    quantity: str
    """Units on the line, a whole number; negative on a return."""
    unit_price: str
    """Price of one unit before the line discount."""
    discount: str | None = None
    """Amount off the whole line (not per unit); its sign is ignored (tills often write -1,00)."""
    compare_at: str | None = None
    """Regular price; a unit price below it marks the line as promoted."""
    promotion: str | None = None
    """Promotion flag: empty, 0, no, false, nein or - mean no; anything else (1, yes, a promotion name) yes."""
    channel: str | None = None
    order: str | None = None
    """Order or receipt number, to carry fields written on an order's first line only to its other lines."""
    cancelled: str | None = None
    """Filled (a cancellation time, 1, yes, ...) on cancelled or voided lines."""
    status: str | None = None
    """Shopify ``Financial Status``: lines of ``refunded`` and ``voided`` orders are skipped."""
    discount_code: str | None = None
    """Discount code of the order: a filled code marks every line of the order as promoted."""

    @property
    def columns(self) -> tuple[str, ...]:
        """The file columns read, in the order of the fields."""
        return tuple(v for f in fields(self)[2:] if (v := getattr(self, f.name)) is not None)


SHOPIFY = {"order": "name", "timestamp": "created_at", "sku": "lineitem_sku", "quantity": "lineitem_quantity",
           "unit_price": "lineitem_price", "compare_at": "lineitem_compare_at_price", "discount": "lineitem_discount",
           "discount_code": "discount_code", "cancelled": "cancelled_at", "status": "financial_status",
           "channel": "source"}
"""Shopify orders export (Admin > Orders > Export, "CSV for Excel, Numbers, or other spreadsheet programs"):
field -> header, normalised (lower case, words joined by ``_``). The first five are required."""
TILL = {
    "timestamp": ("timestamp", "date_time", "datetime", "transaction_date", "transaction_datetime", "sold_at",
                  "zeitstempel", "zeitpunkt", "datum_uhrzeit", "buchungszeit"),
    "date": ("date", "sale_date", "business_date", "datum", "belegdatum"),
    "time": ("time", "transaction_time", "sale_time", "uhrzeit", "zeit"),
    "sku": ("sku", "item_code", "plu", "product_code", "article", "article_number", "artikelnr", "artikelnummer",
            "artikel_nr", "artikel"),
    "quantity": ("qty", "quantity", "units", "menge", "anzahl", "stuck", "stueck"),
    "unit_price": ("unit_price", "price", "price_each", "einzelpreis", "stuckpreis", "stueckpreis", "preis", "vk"),
    "discount": ("discount", "line_discount", "discount_amount", "rabatt", "nachlass"),
    "promotion": ("promo", "promotion", "on_promotion", "promo_flag", "aktion", "angebot"),
    "channel": ("channel", "sales_channel", "store", "shop", "location", "outlet", "till", "register", "kanal",
                "verkaufskanal", "filiale", "kasse"),
    "order": ("transaction_id", "transaction", "receipt", "receipt_no", "receipt_number", "ticket", "order_id",
              "bon", "bon_nr", "bonnummer", "beleg", "beleg_nr", "belegnummer"),
    "cancelled": ("void", "voided", "cancelled", "canceled", "storno", "storniert"),
}
"""Generic till export: field -> accepted headers, normalised, the first present wins. A file is a till export if
it has a SKU, a quantity, a unit price and either a timestamp column or a date column with a time or receipt column
beside it (a date alone with SKU, quantity and price is a daily file, imported as it is)."""


def _key(header: object) -> str:
    """A header as compared: no case, accents, spaces or punctuation ('Bon-Nr.' -> 'bon_nr', 'Stück' -> 'stuck')."""
    plain = unicodedata.normalize("NFKD", str(header)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")


def detect_layout(columns: Iterable[object]) -> LineLayout | None:
    """The line-level layout the headers ``columns`` show (case, accents, spaces and punctuation ignored), or None."""
    names: dict[str, str] = {}
    for column in columns:
        names.setdefault(_key(column), str(column))
    if all(SHOPIFY[f] in names for f in ("order", "timestamp", "sku", "quantity", "unit_price")):
        return LineLayout("Shopify orders export", "order lines",
                          **{f: names.get(h) for f, h in SHOPIFY.items()})  # type: ignore[arg-type]
    found = {f: next((names[a] for a in aliases if a in names), None) for f, aliases in TILL.items()}
    stamp = found.pop("timestamp") or (found["date"] if found["time"] or found["order"] else None)
    del found["date"], found["time"]
    if stamp is None or not (found["sku"] and found["quantity"] and found["unit_price"]):
        return None
    return LineLayout("Till export", "till lines", stamp, **found)  # type: ignore[arg-type]


@dataclass(frozen=True)
class SkippedLines:
    """Lines left out of the daily rows for one reason."""

    reason: str
    rows: tuple[int, ...]
    """Spreadsheet rows (header = 1)."""


@dataclass(frozen=True, eq=False)
class LineAggregation:
    """Lines added up into daily sales rows, with what was skipped, what is wrong and what must be chosen."""

    layout: LineLayout
    sales: pd.DataFrame
    """Exactly the ``sales`` table's columns, one row per (date, sku), sorted; empty unless :attr:`ok`."""
    lines_read: int
    lines_used: int
    """Lines added into :attr:`sales` (0 unless :attr:`ok`)."""
    skipped: tuple[SkippedLines, ...] = ()
    channels: tuple[str, ...] = ()
    """Channels of the used lines, sorted (empty when the file has no channel column)."""
    problems: tuple[Problem, ...] = ()
    """Every problem found, each naming the spreadsheet row, the file column and a fix."""
    questions: tuple[NumberAmbiguity, ...] = ()
    """Number columns (by file column) that read two ways: answer each in ``number_formats`` and add up again."""
    notices: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems and not self.questions

    @property
    def rows(self) -> int:
        return len(self.sales)

    @property
    def days(self) -> int:
        return int(self.sales["date"].nunique())

    @property
    def skus(self) -> int:
        return int(self.sales["sku"].nunique())

    @property
    def lines_skipped(self) -> int:
        return sum(len(s.rows) for s in self.skipped)

    def summary(self) -> str:
        """One sentence: how many lines became how many daily rows, and what was skipped (or why nothing was)."""
        if self.problems:
            return (f"Nothing was added up: {len(self.problems)} problem(s) found in the {self.layout.lines}. "
                    f"First: {self.problems[0]}")
        if self.questions:
            return ("Nothing was added up yet: choose a decimal point or a decimal comma for column(s) "
                    + ", ".join(q.column for q in self.questions) + ".")
        parts = [_count(self.days, "day"), _count(self.skus, "SKU")]
        if self.layout.channel is not None:
            parts.append(_count(len(self.channels), "channel"))
        text = (f"{self.lines_read:,} {self.layout.lines} became {_count(self.rows, 'daily sales row')} "
                f"({', '.join(parts)})")
        if not self.skipped:
            return text + "; no lines skipped."
        reasons = ", ".join(f"{len(s.rows):,} {s.reason}" for s in self.skipped)
        return f"{text}; {_count(self.lines_skipped, 'line')} skipped: {reasons}."


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _carry(values: pd.Series, order: pd.Series) -> pd.Series:
    """Empty cells filled with the first filled cell of the same order (lines without an order number keep theirs)."""
    return values.where(values.notna(), values.groupby(order).transform("first"))


def _day(value: object) -> date | None:
    """The calendar day of a timestamp cell as written (a UTC offset is ignored), or None if it is not one."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = _STAMP.match(value) if isinstance(value, str) else None
    if match is None or int(match["H"] or 0) > 23 or int(match["M"] or 0) > 59 or int(match["S"] or 0) > 59:
        return None
    try:
        return date(int(match["y"] or match["y2"]), int(match["m"] or match["m2"]), int(match["d"] or match["d2"]))
    except ValueError:
        return None


def _days(cells: pd.Series) -> pd.Series:
    """:func:`_day` of each cell (computed once per distinct cell) as datetime64 days; NaT where not a date."""
    codes, distinct = pd.factorize(cells)
    days = np.array([_day(v) for v in distinct] + [None], dtype=object)[codes]
    return pd.Series(pd.to_datetime(pd.Series(days, index=cells.index, dtype=object)), index=cells.index)


def _yes(text: pd.Series) -> pd.Series:
    """True where a flag cell says yes (see :data:`NO_WORDS`)."""
    return text.notna() & ~text.str.lower().isin(NO_WORDS)


def aggregate_lines(raw: pd.DataFrame, layout: LineLayout,
                    number_formats: Mapping[str, NumberFormat] | None = None,
                    known_skus: Collection[str] | None = None, as_of: date | None = None) -> LineAggregation:
    """Add the lines of ``raw`` (cells as read by :func:`opscore.io.read_file`) up into daily sales rows.

    ``number_formats`` maps a file column to its convention where the column's values leave it open
    (see :attr:`LineAggregation.questions`). With ``known_skus`` (the workspace's products) and ``as_of`` (its
    date), a line with an unknown SKU or sold after that date is a problem named by its row in the file, not by
    the daily row it would become. Every problem in the file is reported in one pass.
    """
    frame = raw.reset_index(drop=True)
    empty = pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), "sku": pd.Series(dtype=object),
                          "quantity": pd.Series(dtype="int64"), "price": pd.Series(dtype=float),
                          "promotion": pd.Series(dtype=bool)})
    missing = [c for c in layout.columns if c not in frame.columns]
    if missing:
        return LineAggregation(layout, empty, len(frame), 0, problems=(Problem(
            TABLE, None, ", ".join(missing), f"is not in the file; a {layout.name} needs it (check the header row)"),))
    formats = number_formats or {}
    problems: list[Problem] = []
    notices: list[str] = []
    questions: list[NumberAmbiguity] = []
    order = cells_and_text(frame[layout.order])[1] if layout.order else None

    def text_of(field: str) -> tuple[pd.Series, pd.Series]:
        """(cells, text) of a field's column, carried over the order's lines for order-level fields."""
        cells, text = cells_and_text(frame[getattr(layout, field)])
        if order is not None and field in ORDER_LEVEL:
            return _carry(cells, order), _carry(text, order)
        return cells, text

    def number(field: str, kind: Kind, rows: pd.Index) -> pd.Series | None:
        """A number column read on ``rows`` in its convention; None while the convention is an open question."""
        column = getattr(layout, field)
        cells, text = cells_and_text(frame.loc[rows, column])
        result = number_column(cells, text, Column(column, kind), TABLE, formats.get(column))
        problems.extend(result.problems)
        notices.extend(result.notices)
        if result.ambiguity is not None:
            questions.append(result.ambiguity)
            return None
        return result.values.astype(float)

    reason = pd.Series(None, index=frame.index, dtype=object)

    def skip(mask: pd.Series, label: str) -> None:
        reason[mask & reason.isna()] = label

    if layout.cancelled:
        skip(_yes(text_of("cancelled")[1]), CANCELLED)
    if layout.status:
        skip(text_of("status")[1].str.lower().isin(REFUNDED_STATUSES), REFUNDED)
    sku_text = text_of("sku")[1]
    skip(sku_text.isna(), NO_SKU)
    rows = frame.index[reason.isna()]
    quantity = number("quantity", "int", rows)
    unit = number("unit_price", "float", rows)
    discount = number("discount", "float", rows) if layout.discount else pd.Series(0.0, index=rows)
    compare = number("compare_at", "float", rows) if layout.compare_at else pd.Series(np.nan, index=rows)
    if quantity is not None and unit is not None:
        skip(((quantity < 0) | (unit < 0)).reindex(frame.index, fill_value=False), NEGATIVE)
    used = frame.index[reason.isna()]
    for field in ("quantity", "unit_price"):
        blank = frame.index[reason.isna() & text_of(field)[1].isna()]
        problems.extend(row_problems(TABLE, blank, getattr(layout, field), "is empty; every line with a SKU needs one"))
    stamp_cells, stamp_text = text_of("timestamp")
    days = _days(stamp_cells.loc[used])
    problems.extend(row_problems(TABLE, used[stamp_text.loc[used].isna()], layout.timestamp,
                              "is empty; every line needs the date it was sold"))
    problems.extend(row_problems(TABLE, used[days.isna() & stamp_text.loc[used].notna()], layout.timestamp,
                              f"is not a date and time this import reads ({STAMP_HINT})", stamp_text))
    sku = text_column(sku_text.loc[used], layout.sku, TABLE)
    problems.extend(sku.problems)
    notices.extend(sku.notices)
    if known_skus is not None:
        unknown = used[(sku.values.notna() & ~sku.values.isin(set(known_skus))).to_numpy()]
        problems.extend(row_problems(TABLE, unknown, layout.sku, "is not in products; add it there first (import "
                                     "products) or fix the code", sku_text))
    if as_of is not None:
        late = used[(pd.to_datetime(days) > pd.Timestamp(as_of)).to_numpy()]
        problems.extend(row_problems(TABLE, late, layout.timestamp, f"is after the workspace date {as_of:%d %b %Y}; "
                                     "sales cannot lie in the future (change the as-of date on the Workspaces page if "
                                     "it is out of date)", stamp_text))
    if layout.discount and discount is not None and quantity is not None and unit is not None:
        over = used[(discount.abs() > quantity * unit + 1e-9).loc[used].to_numpy()]
        problems.extend(row_problems(TABLE, over, layout.discount, "is more than the line's quantity × unit price; "
                                  "write the amount taken off the whole line", text_of("discount")[1]))
    skipped = tuple(sorted((SkippedLines(r, tuple(int(i) + 2 for i in frame.index[reason.eq(r)]))
                            for r in SKIP_REASONS if reason.eq(r).any()),
                           key=lambda s: -len(s.rows)))
    if problems or questions or quantity is None or unit is None or discount is None or compare is None:
        return LineAggregation(layout, empty, len(frame), 0, skipped, problems=tuple(problems),
                               questions=tuple(questions), notices=tuple(notices))
    promoted = (compare.loc[used] > unit.loc[used]) | discount.loc[used].fillna(0.0).ne(0.0)
    if layout.promotion:
        promoted |= _yes(text_of("promotion")[1]).loc[used]
    if layout.discount_code:
        promoted |= text_of("discount_code")[1].loc[used].notna()
    lines = pd.DataFrame({"date": days, "sku": sku.values, "quantity": quantity.loc[used], "unit": unit.loc[used],
                          "revenue": quantity.loc[used] * unit.loc[used] - discount.loc[used].abs().fillna(0.0),
                          "promotion": promoted.astype(bool)})
    # a fixed order before summing: floating-point sums then do not depend on the order of the file's rows
    lines = lines.sort_values(list(lines.columns), kind="mergesort")
    daily = lines.groupby(["date", "sku"], sort=True).agg(quantity=("quantity", "sum"), revenue=("revenue", "sum"),
                                                           unit=("unit", "mean"), promotion=("promotion", "any"))
    daily["price"] = np.where(daily["quantity"] > 0, daily["revenue"] / daily["quantity"].where(daily["quantity"] > 0),
                              daily["unit"])
    sales = daily.reset_index()[list(SALES_COLUMNS)].astype({"quantity": "int64", "price": float, "promotion": bool})
    channels: tuple[str, ...] = ()
    if layout.channel:
        channels = tuple(sorted(set(text_of("channel")[1].loc[used].dropna())))
    return LineAggregation(layout, sales, len(frame), len(used), skipped, channels, notices=tuple(notices))
