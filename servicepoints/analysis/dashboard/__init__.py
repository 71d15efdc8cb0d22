"""The dashboard (issue 14): one page of tables and charts following the analyst map's
filters, each card's table exported as CSV or XLSX, the cards shown and their order saved per
user.

- `cards.py`: the cards, their order and the figures of each (SQL through the named modules:
  `geojson`-style grouped counts, `coverage`, `underserved`, `quality`, and the channel
  statistics once they exist);
- `tables.py`: a card's figures as a table (the accessible source of its chart, and what the
  exports write);
- `build.py`: the chosen cards of a page, from the cache or computed side by side;
- `preferences.py`: the `DashboardPreference` model (registered in the analysis app);
- `views.py` and `urls.py`: the page, the exports and the preferences form (HTTP only).
"""
