"""Sustainability: emission factors as data, footprints and greener what-ifs."""
