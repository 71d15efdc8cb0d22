"""The dashboard's cards: what each counts, over the points the map's filters select among
those the user may read.

A `Selection` is one request's question (the user, the filters, the coverage standard); each
card's `build(selection)` answers it with a `tables.Table`. The three "points by" cards share
one grouped statement (by jurisdiction and kind, a few hundred rows at most); coverage,
underserved communities and completeness call their modules (`coverage.coverage`,
`underserved.underserved`, `quality`'s grouped counts), which do their work in SQL.
"""

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicepoints import quality
from servicepoints.models import Jurisdiction, Kind, Level, ServicePoint, Status

from ..coverage import coverage
from ..models import CoverageStandard
from ..underserved import underserved
from .tables import Column, Table

DEFAULT_STANDARD = "service-canada-50km"
UNDERSERVED_ROWS = 20


@dataclass(frozen=True)
class Card:
    """A card of the dashboard: its key (in addresses and preferences), title and builder."""

    key: str
    title: str
    build: object


class Selection:
    """The points a request selects: the map's filters (PointFilter's cleaned data) among the
    points `user` may read; `nothing` when a filter of the map was emptied (every box of a
    group unticked: the map draws nothing, and so does the dashboard)."""

    def __init__(self, user, params, *, nothing=False, standard=None):
        self.user = user
        self.params = params
        self.nothing = nothing
        self.standard = standard or CoverageStandard.objects.filter(code=DEFAULT_STANDARD).first()
        self.today = timezone.localdate()

    @cached_property
    def points(self):
        return ServicePoint.objects.visible_to(self.user).filter_by(self.params)

    @cached_property
    def counts(self):
        """[(jurisdiction code, level, kind, points)], one grouped statement."""
        if self.nothing:
            return []
        rows = (
            self.points.order_by()
            .values_list(
                "organization__jurisdiction__code", "organization__jurisdiction__level", "kind"
            )
            .annotate(n=Count("pk"))
        )
        return list(rows)

    @cached_property
    def total(self):
        return sum(row[3] for row in self.counts)

    @cached_property
    def jurisdictions(self):
        """{code: Jurisdiction} of those the user may read."""
        return {j.code: j for j in Jurisdiction.objects.visible_to(self.user)}


def _share_columns(first):
    return [Column(first), Column(_("Points"), numeric=True), Column(_("Share (%)"), True, "%")]


def _share(count, total):
    return round(100 * count / total, 1) if total else None


def _counted_by(selection, key_of, label_of, caption, first_column):
    totals = {}
    for row in selection.counts:
        key = key_of(row)
        totals[key] = totals.get(key, 0) + row[3]
    total = selection.total
    table = Table(caption=caption, columns=_share_columns(first_column), chart=1)
    ordered = sorted(totals.items(), key=lambda item: (-item[1], str(label_of(item[0]))))
    table.rows = [[label_of(key), count, _share(count, total)] for key, count in ordered]
    table.footer = [[_("Total"), total, 100.0 if total else None]]
    if not table.rows:
        table.empty = _nothing_text()
    return table


def _nothing_text():
    return _("No service point matches the filters.")


def by_jurisdiction(selection):
    def label(code):
        jurisdiction = selection.jurisdictions.get(code)
        return f"{jurisdiction.name} ({code})" if jurisdiction else code

    return _counted_by(
        selection,
        lambda row: row[0],
        label,
        _("Service points by jurisdiction"),
        _("Jurisdiction"),
    )


def by_level(selection):
    return _counted_by(
        selection,
        lambda row: row[1],
        lambda code: str(capfirst(Level(code).label)),
        _("Service points by level of government"),
        _("Level of government"),
    )


def by_kind(selection):
    return _counted_by(
        selection,
        lambda row: row[2],
        lambda code: str(capfirst(Kind(code).label)),
        _("Service points by kind"),
        _("Kind"),
    )


def coverage_by_province(selection):
    """Population within the standard's distance of a selected in-person point, per
    province and territory, against the standard's target share."""
    standard = selection.standard
    within = standard.distance_km if standard else 50.0
    target = standard.target_share if standard else None
    columns = [
        Column(_("Province or territory")),
        Column(_("Population"), numeric=True),
        Column(_("Within %(km)s km") % {"km": f"{within:g}"}, numeric=True),
        Column(_("Share within (%)"), True, "%"),
        Column(_("Target (%)"), numeric=True),
        Column(_("Meets the standard")),
    ]
    caption = _("Population within %(km)s km of a service point, by province and territory") % {
        "km": f"{within:g}"
    }
    table = Table(caption=caption, columns=columns, chart=3, target=target)
    if selection.nothing:
        table.empty = _nothing_text()
        return table
    result = coverage(selection.params, within_km=within, bands=(), points=selection.points)

    def line(reach):
        meets = None if reach.share is None or target is None else reach.share >= target
        return [reach.name, reach.population, reach.covered, reach.share, target, meets]

    table.rows = [line(reach) for reach in result.provinces]
    if result.national:
        table.footer = [line(result.national)]
    if result.level is None:
        table.empty = _(
            "No census areas with a population are loaded: coverage cannot be measured."
        )
        return table
    table.notes.append(
        _(
            "%(points)s in-person points (open ones unless a status is chosen; call and "
            "processing centres never count), population of the %(level)s areas of %(year)s "
            "at a point inside each. Straight-line distance on the sphere."
        )
        % {"points": f"{result.points:,}", "level": result.level, "year": result.year}
    )
    if standard and standard.by_road:
        table.notes.append(
            _(
                "The standard “%(name)s” is measured by road: a straight line is shorter, so "
                "these shares are an upper bound."
            )
            % {"name": standard.name}
        )
    if result.national and result.national.areas_without_population:
        table.notes.append(
            _("%(count)s areas without a population value are left out, not counted as 0.")
            % {"count": f"{result.national.areas_without_population:,}"}
        )
    return table


def underserved_communities(selection):
    """The first communities beyond the standard's distance, by population × vulnerability."""
    within = selection.standard.distance_km if selection.standard else 50.0
    columns = [
        Column(_("Community")),
        Column(_("Rank"), numeric=True),
        Column(_("Province or territory")),
        Column(_("Population"), numeric=True),
        Column(_("Distance to the nearest point (km)"), numeric=True),
        Column(_("Nearest point")),
        Column(_("Vulnerability rank (0–1)"), numeric=True),
        Column(_("Score (population × rank)"), numeric=True),
    ]
    caption = _("Underserved communities: beyond %(km)s km, the highest scores first") % {
        "km": f"{within:g}"
    }
    table = Table(caption=caption, columns=columns)
    if selection.nothing:
        table.empty = _nothing_text()
        return table
    result = underserved(
        selection.params, within_km=within, limit=UNDERSERVED_ROWS, points=selection.points
    )
    table.rows = [
        [
            c.name, c.rank, c.province, c.population, c.distance_km, c.nearest_point,
            c.vulnerability_rank, c.score,
        ]
        for c in result.communities
    ]  # fmt: skip
    if not table.rows:
        table.empty = _("No community is farther than %(km)s km from a selected point.") % {
            "km": f"{within:g}"
        }
    table.notes.append(
        _(
            "%(shown)s of %(total)s communities beyond the distance; %(unscored)s have no "
            "digital vulnerability index or no population and are listed after the others, "
            "without a score."
        )
        % {
            "shown": f"{len(table.rows):,}",
            "total": f"{result.total:,}",
            "unscored": f"{result.total - result.scored:,}",
        }
    )
    return table


def completeness(selection):
    """Completeness of the selected active points (closed ones left out, as on the
    data-quality pages), by jurisdiction; the chart is the share of each check overall."""
    labels = [quality.CHECK_LABELS[key] for key in quality.CHECKS]
    columns = [
        Column(_("Jurisdiction")),
        Column(_("Active points"), numeric=True),
        *(Column(_("%(check)s (%%)") % {"check": label}, True, "%") for label in labels),
        Column(_("Not verified in 12 months (%)"), True, "%"),
    ]
    table = Table(caption=_("Data completeness of the active points (%)"), columns=columns)
    if selection.nothing:
        table.empty = _nothing_text()
        return table
    points = selection.points.exclude(status=Status.CLOSED)
    tallies, overall = {}, quality.Tally(label=_("Total"))
    for row in quality.tally_rows(points, selection.today, "organization__jurisdiction__code"):
        code = row["organization__jurisdiction__code"]
        tallies.setdefault(code, quality.Tally(label=code, key=code)).add(row)
        overall.add(row)

    def line(label, tally):
        shares = [*tally.shares, tally.stale]
        return [label, tally.total, *(_rounded(share.percent) for share in shares)]

    ordered = sorted(tallies.values(), key=lambda tally: -tally.total)
    names = selection.jurisdictions
    table.rows = [
        line(f"{names[t.key].name} ({t.key})" if t.key in names else t.key, t) for t in ordered
    ]
    table.footer = [line(_("Total"), overall)]
    if not table.rows:
        table.empty = _nothing_text()
    return table


def _rounded(value):
    return None if value is None else round(value, 1)


def channel_demand(selection):
    """Channel demand and its forecast: one row per line of business of the call and
    processing centres the user may read (forecast/api.py's cached forecasts), the chart the
    calls forecast for the next 12 months, the back-test beside the seasonal-naive guess."""
    from ..forecast.api import cached_forecasts
    from ..forecast.models import ChannelStatistic

    columns = [
        Column(_("Line of business")),
        Column(_("Status")),
        Column(_("Last month known")),
        Column(_("Calls handled, last 12 months known"), numeric=True),
        Column(_("Calls forecast, next 12 months"), numeric=True),
        Column(_("95 % interval of the first month")),
        Column(_("Back-test MAPE, model (%)"), numeric=True),
        Column(_("Back-test MAPE, seasonal naive (%)"), numeric=True),
        Column(_("Model beats the naive guess")),
    ]
    table = Table(caption=_("Channel demand and forecast"), columns=columns, chart=4)
    if selection.nothing:
        table.empty = _nothing_text()
        return table
    visible = ChannelStatistic.objects.filter(service_point__in=selection.points)
    if not visible.exists():
        table.empty = _(
            "No channel statistics for the selected points: the demand of call and processing "
            "centres and its forecast show here once their statistics are imported."
        )
        return table
    statuses = {
        "active": _("active"),
        "discontinued": _("discontinued"),
        "regrouped": _("regrouped"),
        "stopped": _("no recent statistics"),
    }
    names = set(visible.values_list("line__name", flat=True))
    for line in (line for line in cached_forecasts(selection.user) if line["line"] in names):
        known = [row["calls_handled"] for row in line["series"][-12:]]
        forecast, test = line["forecast"], line["backtest"] or {}
        first = forecast[0] if forecast else None
        interval = first and f"{first['lower']:,.0f}–{first['upper']:,.0f} ({first['month']})"
        model, naive = test.get("mape_model"), test.get("mape_naive")
        table.rows.append(
            [
                line["line"],
                statuses.get(line["status"], line["status"]),
                line["last_month"],
                sum(v for v in known if v is not None) if known else None,
                round(sum(month["value"] for month in forecast)) if forecast else None,
                interval,
                model,
                naive,
                None if model is None or naive is None else model < naive,
            ]
        )
    table.rows.sort(key=lambda row: -(row[4] or 0))
    with_test = [row for row in table.rows if row[8] is not None]
    table.notes.append(
        _(
            "Exponential smoothing (statsmodels ETS, chosen per line by AIC), its parameters "
            "estimated before the pandemic (March 2020); 95 %% prediction intervals. The model "
            "beats the seasonal-naive guess (the same month a year earlier) on %(better)s of "
            "the %(tested)s lines with a back-test on their last 12 known months. Discontinued "
            "and regrouped lines have no forecast."
        )
        % {"better": sum(1 for row in with_test if row[8]), "tested": len(with_test)}
    )
    return table


CARDS = [
    Card("jurisdictions", gettext_lazy("Points by jurisdiction"), by_jurisdiction),
    Card("levels", gettext_lazy("Points by level of government"), by_level),
    Card("kinds", gettext_lazy("Points by kind"), by_kind),
    Card(
        "coverage", gettext_lazy("Coverage by province against the standard"), coverage_by_province
    ),
    Card("underserved", gettext_lazy("Underserved communities"), underserved_communities),
    Card("completeness", gettext_lazy("Data completeness"), completeness),
    Card("channels", gettext_lazy("Channel demand and forecast"), channel_demand),
]
CARD_KEYS = [card.key for card in CARDS]
BY_KEY = {card.key: card for card in CARDS}


def arranged(preference):
    """[(Card, shown)] in the user's order; a card added since their last choice comes last,
    shown; a key no longer known is ignored."""
    order = [key for key in (preference.order if preference else []) if key in BY_KEY]
    order += [key for key in CARD_KEYS if key not in order]
    hidden = set(preference.hidden) if preference else set()
    return [(BY_KEY[key], key not in hidden) for key in order]
