"""The Supplier page's ranking settings: the method, its scaling and the criterion weights, set with sliders or the
AHP grid (:mod:`ui.ahp_grid`)."""

from __future__ import annotations

import streamlit as st

from opscore.suppliers import CRITERIA, RankingSettings, normalise_weights
from ui.ahp_grid import ahp_grid_weights
from ui.text import md

METHODS = {"topsis": "TOPSIS (closeness to the ideal supplier)", "weighted_sum": "Weighted sum (simple points)"}
SCALINGS = {"vector": "Vector (Hwang and Yoon)", "minmax": "Min-max"}
HOW_IT_WORKS = {
    "topsis": "Each criterion is scaled (vector: value / square root of the sum of squares; min-max: 0 = worst, 1 = "
              "best), multiplied by its weight, and each supplier's distance to an *ideal* supplier (best on "
              "everything) and an *anti-ideal* (worst on everything) is measured. Score = distance to the worst / "
              "(distance to the best + distance to the worst): 1 is the ideal. Hwang and Yoon (1981).",
    "weighted_sum": "Each criterion is scaled from 0 (worst supplier) to 1 (best supplier); the score is the "
                    "weighted sum of those points. Simple additive weighting, Hwang and Yoon (1981)."}
"""How each method scores a supplier, in words."""
KEYS = ("sup_method", "sup_norm", "sup_mode", *(f"w_{c.column}" for c in CRITERIA))
"""Widget keys of the ranking settings (kept while their tab is closed)."""


def ranking_settings() -> RankingSettings | None:
    """The method and scaling radios and the weights (sliders, rescaled to sum to one with a notice, or the AHP
    grid); None, with a warning, while the weights cannot be used."""
    c1, c2 = st.columns([2, 1])
    method = c1.radio("Method", list(METHODS), format_func=METHODS.get, horizontal=True, key="sup_method")
    normalization = "vector"
    if method == "topsis":
        normalization = c2.selectbox("Scaling", list(SCALINGS), key="sup_norm", format_func=SCALINGS.get)
    mode = st.radio("Set the weights", ["Sliders", "Pairwise comparison (AHP)"], horizontal=True, key="sup_mode")
    if mode == "Sliders":
        cols = st.columns(len(CRITERIA))
        raw = [col.slider(c.label, 0.0, 1.0, c.default_weight, 0.05, key=f"w_{c.column}")
               for col, c in zip(cols, CRITERIA)]
        try:
            w, notice = normalise_weights(raw)
        except ValueError as exc:
            st.warning(f"{md(exc)}.")
            return None
        if notice:
            st.info(notice)
    elif (w := ahp_grid_weights([c.label for c in CRITERIA], [c.default_weight for c in CRITERIA])) is None:
        return None
    return RankingSettings(tuple(float(x) for x in w), method, normalization)
