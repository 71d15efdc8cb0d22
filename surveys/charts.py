"""Bar charts drawn on the server as SVG (no chart library): what the templates draw.

Readable without colour: every bar carries its value as text, stacked segments are told
apart by a pattern as well as a shade, and the table beside each chart holds every number.
"""

WIDTH = 100  # per cent of the chart's value area
# Shades and patterns for the points of a scale, light to dark (contrast ≥ 3:1 with white
# for the darker half; the patterns separate the lighter ones).
SHADES = ["#d0e1f2", "#94c4df", "#4a98c9", "#1764ab", "#08306b", "#5a5a5a", "#9a9a9a"]
PATTERNS = ["none", "dots", "hatch", "none", "cross", "hatch", "dots"]


def bar_chart(table):
    """Bars of the first column (everyone) of a results table: [(label, share, count)]."""
    bars = []
    for _code, label, cells in table.rows:
        cell = cells[0]
        if cell.suppressed:
            return None
        share = cell.share or 0
        bars.append(
            {
                "label": label,
                "percent": f"{share:.0f}",
                "count": cell.count or 0,
                "y": 28 * len(bars),
                "width": round(3 * share),  # 300 px for 100 %
            }
        )
    return {"bars": bars, "height": 28 * len(bars) + 8}


def stacked_chart(tables):
    """One stacked bar per grid row, a segment per scale point (share of that row)."""
    if not tables:
        return None
    legend = [
        {"label": label, "shade": SHADES[i % len(SHADES)], "pattern": PATTERNS[i % len(PATTERNS)]}
        for i, (_code, label, _cells) in enumerate(tables[0].rows)
    ]
    rows = []
    for table in tables:
        offset = 0.0
        segments = []
        for i, (_code, label, cells) in enumerate(table.rows):
            cell = cells[0]
            if cell.suppressed:
                return None
            share = cell.share or 0
            segments.append(
                {
                    **legend[i],
                    "x": round(3.6 * offset),  # 360 px for 100 %
                    "width": round(3.6 * share),
                    "percent": f"{share:.0f}",
                    "label": label,
                }
            )
            offset += share
        rows.append({"label": table.row.label, "segments": segments, "y": 34 * len(rows)})
    return {"rows": rows, "legend": legend, "height": 34 * len(rows) + 8}
