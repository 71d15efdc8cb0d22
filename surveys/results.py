"""The results of a version: counts and shares per question, overall and by jurisdiction or
level, with small groups suppressed; built in SQL (GROUPING SETS) over submitted, launched
responses only (pre-test answers never count).

Suppression rule: a cell that rests on fewer than MIN_ORGANIZATIONS organizations is not
shown, unless the user may see every response (analysts, administrators).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from servicepoints.i18n import prefers_french
from servicepoints.models import Jurisdiction
from servicepoints.models.jurisdictions import Level, sees_all_jurisdictions

from . import answering
from .findings import TEXT_LIMIT, text_answers
from .models import CODED_KINDS, Kind

MIN_ORGANIZATIONS = 3
BREAKDOWNS = ("overall", "jurisdiction", "level")

# Respondents per question (and grid row) and group, with how many organizations they come
# from: one answer per response, question and row (a unique constraint), so count(*) counts
# respondents; organizations are counted over a first grouping by organization (hash
# aggregates, no DISTINCT sort). With a breakdown, GROUPING SETS give the groups and the
# overall figures (group NULL) in the same scan; an organization belongs to one group, so
# its rows add up.
_TOTALS_SQL = """
SELECT question_id, row_id, grp, sum(n)::int, count(*)::int
FROM (
    SELECT a.question_id, a.row_id, {group} AS grp, r.organization_id, count(*) AS n
    FROM surveys_answer a
    JOIN surveys_response r ON r.id = a.response_id
    {joins}
    WHERE r.version_id = %(version)s AND NOT r.is_pretest AND r.submitted_at IS NOT NULL
      AND cardinality(a.codes) > 0
    GROUP BY 1, 2, 3, 4
) per_organization
GROUP BY GROUPING SETS ((question_id, row_id, grp), (question_id, row_id))
"""
# How many respondents chose each code, per question (and grid row) and group.
_CODES_SQL = """
SELECT a.question_id, a.row_id, {group} AS grp, chosen.code, count(*)::int
FROM surveys_answer a
JOIN surveys_response r ON r.id = a.response_id
{joins}
CROSS JOIN LATERAL unnest(a.codes) AS chosen(code)
WHERE r.version_id = %(version)s AND NOT r.is_pretest AND r.submitted_at IS NOT NULL
GROUP BY GROUPING SETS (
    (a.question_id, a.row_id, {group}, chosen.code), (a.question_id, a.row_id, chosen.code)
)
"""
# The group of each response (its organization's jurisdiction), joined once per response in
# a small subquery rather than through two more hash probes per answer.
_JOINS = """JOIN (
        SELECT r2.id, jj.code, jj.level
        FROM surveys_response r2
        JOIN servicepoints_organization o ON o.id = r2.organization_id
        JOIN servicepoints_jurisdiction jj ON jj.id = o.jurisdiction_id
        WHERE r2.version_id = %(version)s
    ) j ON j.id = r.id"""

_NUMBER_SQL = """
SELECT a.question_id, {group} AS grp, count(*), count(DISTINCT r.organization_id),
       avg(a.number), percentile_cont(0.5) WITHIN GROUP (ORDER BY a.number),
       min(a.number), max(a.number), min(a.date), max(a.date)
FROM surveys_answer a
JOIN surveys_response r ON r.id = a.response_id
{joins}
WHERE r.version_id = %(version)s AND NOT r.is_pretest AND r.submitted_at IS NOT NULL
  AND (a.number IS NOT NULL OR a.date IS NOT NULL)
GROUP BY GROUPING SETS ((a.question_id, {group}), (a.question_id))
"""

# The overall figures alone come from the second grouping set ("grp" is then NULL).
_GROUP_COLUMN = {"overall": "NULL::text", "jurisdiction": "j.code", "level": "j.level"}


@dataclass
class Cell:
    count: int | None = None
    share: float | None = None  # 0–100
    suppressed: bool = False

    @property
    def percent(self):
        """The share as a whole percentage for display ("–" without respondents)."""
        return "–" if self.share is None else f"{self.share:.0f}"


@dataclass
class Table:
    """Rows (code, label) × groups: a Cell each, and each group's respondents."""

    question: object
    row: object = None
    groups: list = field(default_factory=list)  # (key, label)
    rows: list = field(default_factory=list)  # (code, label, [Cell per group])
    respondents: list = field(default_factory=list)  # Cell per group (share None)


@dataclass
class QuestionResult:
    question: object
    tables: list = field(default_factory=list)  # one per grid row, else one
    stats: list = field(default_factory=list)  # numbers and dates: (group label, dict|None)
    texts: list = field(default_factory=list)  # (organization, text)
    stacked: dict | None = None  # grids: the stacked-bar chart
    text_count: int = 0  # all the text answers the user may read (texts: the first ones)


def _groups(breakdown, present):
    if breakdown == "overall":
        return [("", None)]
    if breakdown == "level":
        return [("", None)] + [(key, label) for key, label in Level.choices if key in present]
    names = {j.code: j.name for j in Jurisdiction.objects.filter(code__in=present)}
    return [("", None)] + [(code, names[code]) for code in sorted(present)]


def _run(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def version_results(version, user, breakdown="overall"):
    """[QuestionResult] for every question of the version, as this user may see them."""
    if breakdown not in BREAKDOWNS:
        breakdown = "overall"
    sees_all = sees_all_jurisdictions(user)
    params = {"version": version.pk}
    totals = {}  # (question, row, group) -> (respondents, organizations)
    counts = {}  # (question, row, group, code) -> count
    present = set()
    parts = {
        "group": _GROUP_COLUMN[breakdown],
        "joins": _JOINS if breakdown != "overall" else "",
    }
    for question_id, row_id, group, respondents, orgs in _run(_TOTALS_SQL.format(**parts), params):
        if group is not None:
            present.add(group)
        totals[(question_id, row_id, group or "")] = (respondents, orgs)
    for question_id, row_id, group, code, count in _run(_CODES_SQL.format(**parts), params):
        counts[(question_id, row_id, group or "", code)] = count
    groups = _groups(breakdown, present)

    def cell(count, respondents, orgs):
        if not sees_all and orgs < MIN_ORGANIZATIONS:
            return Cell(suppressed=True)
        share = 100 * count / respondents if respondents else None
        return Cell(count=count, share=share)

    numbers = defaultdict(dict)
    sql = _NUMBER_SQL.format(**parts)
    for question_id, group, n, orgs, mean, median, low, high, first, last in _run(sql, params):
        numbers[question_id][group or ""] = {
            "n": n,
            "orgs": orgs,
            "mean": mean,
            "median": median,
            "min": low,
            "max": high,
            "first": first,
            "last": last,
        }
        if group is not None:
            present.add(group)
    if breakdown != "overall":
        groups = _groups(breakdown, present)

    sections = answering.version_structure(version)
    with_text = [
        q.pk
        for section in sections
        for q in section.questions.all()
        if q.kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT) or q.allows_other
    ]
    texts = defaultdict(list)
    counts_of_texts = {}
    first = (
        text_answers(version, user)
        .filter(question__in=with_text)
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("question_id")], order_by=F("pk").asc()),
            total=Window(Count("pk"), partition_by=[F("question_id")]),
        )
        .filter(rank__lte=TEXT_LIMIT)
    )
    french = prefers_french()
    for question_id, total, name_en, name_fr, text, other in first.values_list(
        "question_id",
        "total",
        "response__organization__name_en",
        "response__organization__name_fr",
        "text",
        "other_text",
    ):
        counts_of_texts[question_id] = total
        texts[question_id].append(((name_fr or name_en) if french else name_en, text or other))

    results = []
    for section in sections:
        for question in section.questions.all():
            result = QuestionResult(question=question)
            if question.kind in CODED_KINDS or question.kind == Kind.GRID:
                rows = list(question.rows.all()) if question.kind == Kind.GRID else [None]
                labels = (
                    [(c.code, c.label) for c in question.choices.all()]
                    if question.kind == Kind.GRID
                    else question.code_labels()
                )
                for row in rows:
                    row_id = row.pk if row else None
                    table = Table(question=question, row=row, groups=groups)
                    for key, _label in groups:
                        respondents, orgs = totals.get((question.pk, row_id, key), (0, 0))
                        table.respondents.append(
                            cell(respondents, respondents, orgs) if respondents else Cell(count=0)
                        )
                    for code, label in labels:
                        cells = []
                        for key, _label in groups:
                            respondents, orgs = totals.get((question.pk, row_id, key), (0, 0))
                            count = counts.get((question.pk, row_id, key, code), 0)
                            cells.append(cell(count, respondents, orgs) if respondents else Cell())
                        table.rows.append((code, label, cells))
                    result.tables.append(table)
            if question.kind in (Kind.NUMBER, Kind.DATE):
                for key, label in groups:
                    stats = numbers[question.pk].get(key)
                    if stats and not sees_all and stats["orgs"] < MIN_ORGANIZATIONS:
                        stats = "suppressed"
                    result.stats.append((label, stats))
            if question.kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT) or question.allows_other:
                result.texts = texts.get(question.pk, [])
                result.text_count = counts_of_texts.get(question.pk, 0)
            results.append(result)
    return results
