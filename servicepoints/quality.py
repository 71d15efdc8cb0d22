"""Data quality of a jurisdiction's service points: completeness, verification, refreshes.

Everything is counted in PostgreSQL with conditional aggregates (`COUNT(*) FILTER (WHERE …)`)
over the points the user may read, grouped by organization and kind in one statement; Python
only adds up those few grouped rows and divides. Closed points are left out of completeness and
verification: nobody needs to complete or verify them.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from .models import (
    DataSource,
    ImportChange,
    ImportRun,
    Kind,
    Level,
    Organization,
    ServicePoint,
    Status,
)

# "Not verified in 12 months": never verified, or last verified more than this many days before
# today (a point verified exactly 365 days ago is still within the 12 months).
STALE_AFTER_DAYS = 365
# Every completeness check, in the order of the tables; the first four make the headline figure.
CHECKS = ("hours", "languages", "photo", "services", "phone", "website", "postal_code")
CORE_CHECKS = CHECKS[:4]
CHECK_LABELS = {
    "hours": _("Opening hours"),
    "languages": _("Service languages"),
    "photo": _("Photo"),
    "services": _("At least one service"),
    "phone": _("Phone"),
    "website": _("Website"),
    "postal_code": _("Postal code"),
}


def check_conditions():
    """The condition a point meets for each check of CHECKS."""
    with_services = ServicePoint.services.through.objects.values("servicepoint_id")
    return {
        "hours": ~Q(opening_hours=""),
        "languages": ~Q(languages=[]),
        "photo": ~Q(photo=""),
        # An uncorrelated IN: PostgreSQL hashes the links once instead of probing per point.
        "services": Q(pk__in=with_services),
        "phone": ~Q(phone=""),
        "website": ~Q(website=""),
        "postal_code": ~Q(postal_code=""),
    }


def stale_before(today):
    """The first day that still counts as verified within the last 12 months."""
    return today - timedelta(days=STALE_AFTER_DAYS)


def stale_condition(today):
    return Q(last_verified__isnull=True) | Q(last_verified__lt=stale_before(today))


def active_points(user, jurisdiction):
    """The points of the jurisdiction's organizations that the user may read, closed ones
    left out."""
    return (
        ServicePoint.objects.visible_to(user)
        .filter(organization__jurisdiction=jurisdiction)
        .exclude(status=Status.CLOSED)
    )


@dataclass(frozen=True)
class Share:
    """`count` of `total`, with its percentage (None when there is nothing to count)."""

    count: int
    total: int

    @property
    def percent(self):
        return None if not self.total else 100 * self.count / self.total


@dataclass
class Tally:
    """Completeness counts of a group of points: an organization, a kind, a jurisdiction."""

    label: str
    key: object = None
    total: int = 0
    counts: dict = field(default_factory=dict)

    def add(self, row):
        self.total += row["total"]
        for name in (*CHECKS, "stale"):
            self.counts[name] = self.counts.get(name, 0) + row[name]

    def share(self, name):
        return Share(self.counts.get(name, 0), self.total)

    @property
    def shares(self):
        """One Share per completeness check, in the order of CHECKS."""
        return [self.share(key) for key in CHECKS]

    @property
    def labelled_shares(self):
        """(label, Share) per completeness check, in the order of CHECKS."""
        return [(CHECK_LABELS[key], self.share(key)) for key in CHECKS]

    @property
    def stale(self):
        return self.share("stale")

    @property
    def score(self):
        """The headline figure: the share of the four core checks met, over all points."""
        met = sum(self.counts.get(name, 0) for name in CORE_CHECKS)
        return Share(met, self.total * len(CORE_CHECKS))


def tally_rows(points, today, *group_by):
    """One grouped statement: per group, the points and how many pass each check."""
    aggregates = {key: Count("pk", filter=q) for key, q in check_conditions().items()}
    return (
        points.order_by()
        .values(*group_by)
        .annotate(
            total=Count("pk"), stale=Count("pk", filter=stale_condition(today)), **aggregates
        )
    )


def jurisdiction_summaries(user, jurisdictions, today):
    """A Tally per jurisdiction (keyed by pk) of the points the user may read, in one query."""
    points = (
        ServicePoint.objects.visible_to(user)
        .filter(organization__jurisdiction__in=jurisdictions)
        .exclude(status=Status.CLOSED)
    )
    tallies = {j.pk: Tally(label=j.name, key=j) for j in jurisdictions}
    for row in tally_rows(points, today, "organization__jurisdiction"):
        tallies[row["organization__jurisdiction"]].add(row)
    return tallies


@dataclass
class QualityReport:
    """Everything the data-quality page of one jurisdiction shows, except the paged list."""

    jurisdiction: object
    overall: Tally
    by_organization: list
    by_kind: list
    other_governments: int | None
    sources: list
    without_source: int


def jurisdiction_report(user, jurisdiction, today):
    """Completeness by organization and kind, verification, and refreshes per data source.

    One grouped statement over the active points (by organization, kind and data source)
    gives every count of the page; the other statements read a handful of rows.
    """
    organizations = {
        o.pk: Tally(label=o.name, key=o)
        for o in Organization.objects.visible_to(user).filter(jurisdiction=jurisdiction)
    }
    kinds, per_source = {}, {}
    overall = Tally(label=_("All organizations"))
    points = active_points(user, jurisdiction)
    for row in tally_rows(points, today, "organization", "kind", "data_source"):
        overall.add(row)
        organizations[row["organization"]].add(row)
        kind = row["kind"]
        kinds.setdefault(kind, Tally(label=Kind(kind).label, key=kind)).add(row)
        source = row["data_source"]
        per_source[source] = per_source.get(source, 0) + row["total"]
    other_governments = None
    if jurisdiction.level in (Level.PROVINCIAL, Level.TERRITORIAL):
        other_governments = (
            ServicePoint.objects.visible_to(user)
            .filter(province=jurisdiction)
            .exclude(organization__jurisdiction=jurisdiction)
            .exclude(status=Status.CLOSED)
            .count()
        )
    without_source = per_source.pop(None, 0)
    return QualityReport(
        jurisdiction=jurisdiction,
        overall=overall,
        by_organization=sorted(organizations.values(), key=lambda t: str(t.label).casefold()),
        by_kind=sorted(kinds.values(), key=lambda t: str(t.label).casefold()),
        other_governments=other_governments,
        sources=source_refreshes(per_source),
        without_source=without_source,
    )


@dataclass
class SourceRefresh:
    """A data source with points here, how many, and its last applied import (or None)."""

    source: DataSource
    point_count: int
    last_run: ImportRun | None

    @property
    def changes(self):
        """(label, number) of what the last run did, keyed in its counts like ImportChange."""
        counts = self.last_run.counts if self.last_run else {}
        return [
            (label, counts[action])
            for action, label in ImportChange.Action.choices
            if isinstance(counts.get(action), int)
        ]


def source_refreshes(point_counts):
    """A SourceRefresh per data source of `point_counts` ({data source pk: points}), by title.

    The last refresh is the newest applied import of the source: runs that were never applied,
    failed or were undone are not what the points hold.
    """
    # DISTINCT ON (data_source): the newest applied run of each source, in one statement.
    runs = {
        run.data_source_id: run
        for run in ImportRun.objects.filter(
            data_source__in=list(point_counts), status=ImportRun.Status.APPLIED
        )
        .select_related("applied_by")
        .order_by("data_source_id", F("applied_at").desc(nulls_last=True), "-pk")
        .distinct("data_source_id")
    }
    return [
        SourceRefresh(source, point_counts[source.pk], runs.get(source.pk))
        for source in DataSource.objects.filter(pk__in=list(point_counts)).order_by("title")
    ]


# The orders of the "not verified" list: oldest first puts never-verified points at the top.
NOT_VERIFIED_SORTS = {
    "last_verified": [F("last_verified").asc(nulls_first=True), "pk"],
    "-last_verified": [F("last_verified").desc(nulls_last=True), "-pk"],
}


def not_verified(user, jurisdiction, today, sort="last_verified"):
    """Active points not verified in the last 12 months, ready to be paged."""
    order = NOT_VERIFIED_SORTS.get(sort, NOT_VERIFIED_SORTS["last_verified"])
    return (
        active_points(user, jurisdiction)
        .filter(stale_condition(today))
        .select_related("organization")
        .only(
            "pk",
            "name_en",
            "name_fr",
            "kind",
            "community",
            "last_verified",
            "organization__name_en",
            "organization__name_fr",
        )
        .order_by(*order)
    )
