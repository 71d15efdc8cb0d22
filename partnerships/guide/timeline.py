"""The roadmap's timeline as positions for a server-rendered SVG (no script, no colour needed:
status is told by the marker's shape and by its label, and the table beside repeats it)."""

from datetime import date

from .models import MilestoneStatus

WIDTH = 960
LEFT = 20  # stream names and milestone labels start here
AXIS_LEFT = 420  # the years' scale
RIGHT = 30
ROW = 26
TOP = 40

# status: marker shape (see templates/partnerships/guide/_timeline.svg.html and its legend)
SHAPES = {
    "done": "square",
    "in_progress": "diamond",
    "planned": "circle",
    "delayed": "triangle",
    "cancelled": "cross",
}


def _fraction(day, first, last):
    start, end = date(first, 1, 1), date(last + 1, 1, 1)
    return (day - start).days / (end - start).days


def build(streams):
    """Rows for the streams and their milestones, x positions on a scale of whole years."""
    milestones = [m for s in streams for m in s.milestones.all()]
    if not milestones:
        return None
    first = min(m.date.year for m in milestones)
    last = max((m.end_date or m.date).year for m in milestones)
    span = WIDTH - AXIS_LEFT - RIGHT

    def x(day):
        return round(AXIS_LEFT + span * _fraction(day, first, last), 1)

    years = [
        {"label": year, "x": x(date(year, 1, 1)), "mid": x(date(year, 7, 1))}
        for year in range(first, last + 1)
    ]
    rows, y = [], TOP
    for stream in streams:
        y += ROW
        rows.append({"kind": "stream", "y": y, "stream": stream})
        for milestone in stream.milestones.all():
            y += ROW
            if milestone.year_only:
                # A year: the marker in the middle of its year, a period over whole years.
                if milestone.end_date and milestone.end_date.year > milestone.date.year:
                    start = x(date(milestone.date.year, 1, 1))
                    end = x(date(milestone.end_date.year, 12, 31))
                else:
                    start, end = x(date(milestone.date.year, 7, 1)), None
            else:
                start = x(milestone.date)
                end = x(milestone.end_date) if milestone.end_date else None
            rows.append(
                {
                    "kind": "milestone",
                    "y": y,
                    "milestone": milestone,
                    "x": start,
                    "end_x": end,
                    "shape": SHAPES.get(milestone.status, "circle"),
                }
            )
    return {
        "width": WIDTH,
        "height": y + ROW,
        "axis_left": AXIS_LEFT,
        "axis_right": WIDTH - RIGHT,
        "left": LEFT,
        "top": TOP,
        "years": years,
        "rows": rows,
        "legend": [
            ({"shape": SHAPES[code], "x": 80 + 140 * i}, label)
            for i, (code, label) in enumerate(MilestoneStatus.choices)
        ],
    }
