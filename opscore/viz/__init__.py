"""Figure builders (plotly, folium) shared by the app's pages and the notebooks."""
