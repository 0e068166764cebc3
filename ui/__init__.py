"""Streamlit-side helpers shared by pages: workspace state, caching, common widgets."""
