"""Monthly series of the lines of business: calls handled per line and month, summed over the
call and processing centres a user may read, with each line's names, end and breaks."""

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from django.db.models import F, FloatField, Max, Sum

from servicepoints.models import ServicePoint

from .lines import collapse
from .models import ChannelStatistic, EndReason, LineOfBusiness

# The first month of the COVID-19 pandemic in the statistics (Ontario's emergency: 2020-03-17).
PANDEMIC_START = date(2020, 3, 1)


@dataclass
class LineSeries:
    line: LineOfBusiness
    calls: pd.Series  # float, a DatetimeIndex of month starts (freq MS); NaN where unknown
    wait: pd.Series
    names: list = field(default_factory=list)  # (name, first month, last month), oldest first
    organization_last: date | None = None  # the last month any line of the organization has

    @property
    def last_month(self):
        return self.calls.index[-1].date() if len(self.calls) else None

    @property
    def status(self):
        if self.line.end_reason:
            return self.line.end_reason
        if self.organization_last and self.last_month and self.last_month < self.organization_last:
            return "stopped"
        return "active"

    def breaks(self):
        """What interrupts the series: renames, the pandemic, the line's end (months YYYY-MM)."""
        found = []
        for (old, _first, _last), (new, first, _l) in zip(
            self.names, self.names[1:], strict=False
        ):
            found.append({"month": f"{first:%Y-%m}", "kind": "renamed", "from": old, "to": new})
        if len(self.calls) and self.calls.index[-1] >= pd.Timestamp(PANDEMIC_START):
            found.append({"month": f"{PANDEMIC_START:%Y-%m}", "kind": "pandemic"})
        if self.line.end_reason == EndReason.DISCONTINUED:
            found.append({"month": f"{self.line.ended:%Y-%m}", "kind": "discontinued"})
        elif self.line.end_reason == EndReason.REGROUPED:
            into = self.line.successor.name if self.line.successor else ""
            found.append({"month": f"{self.line.ended:%Y-%m}", "kind": "regrouped", "into": into})
        elif self.status == "stopped":
            found.append({"month": f"{self.last_month:%Y-%m}", "kind": "stopped"})
        return found


def lines_visible_to(user=None):
    """Lines with statistics at points the user may read (every line without a user)."""
    stats = ChannelStatistic.objects.all()
    if user is not None:
        stats = stats.filter(service_point__in=ServicePoint.objects.visible_to(user))
    return LineOfBusiness.objects.filter(pk__in=stats.values("line")).select_related(
        "organization", "successor"
    ), stats


def find_lines(name, user=None):
    """The lines called `name` now or before (spaces collapsed, any case)."""
    lines, _stats = lines_visible_to(user)
    wanted = collapse(name).lower()
    return [
        line
        for line in lines.prefetch_related("names")
        if line.name.lower() == wanted or any(n.name.lower() == wanted for n in line.names.all())
    ]


def load_series(user=None, lines=None):
    """Every line's monthly series (or those of `lines`), by name, in one query of sums."""
    all_lines, stats = lines_visible_to(user)
    if lines is not None:
        all_lines = all_lines.filter(pk__in=[line.pk for line in lines])
    chosen = {line.pk: line for line in all_lines.prefetch_related("names")}
    rows = (
        stats.filter(line__in=chosen)
        .values("line", "month")
        .annotate(
            calls=Sum("calls_handled"),
            # The average wait of the points, weighted by their calls.
            weighted=Sum(
                F("average_wait_minutes") * F("calls_handled"), output_field=FloatField()
            ),
        )
        .order_by("line", "month")
    )
    frame = pd.DataFrame.from_records(list(rows), columns=["line", "month", "calls", "weighted"])
    frame["wait"] = frame["weighted"] / frame["calls"].where(frame["calls"] > 0)
    ends = dict(
        stats.values("line__organization")
        .annotate(last=Max("month"))
        .values_list("line__organization", "last")
    )
    result = []
    for line in sorted(chosen.values(), key=lambda line: line.name.lower()):
        rows = frame[frame["line"] == line.pk]
        index = pd.DatetimeIndex(pd.to_datetime(rows["month"]))
        calls = pd.Series(rows["calls"].astype(float).to_numpy(), index=index).asfreq("MS")
        wait = pd.Series(rows["wait"].astype(float).to_numpy(), index=index).asfreq("MS")
        names = [(n.name, n.first_month, n.last_month) for n in line.names.all()]
        names.sort(key=lambda n: n[1])
        result.append(
            LineSeries(line, calls, wait, names, organization_last=ends.get(line.organization_id))
        )
    return result
