"""`import_channel_statistics`: a contact centre's monthly statistics by line of business, from
a CSV or XLSX file read with pandas, into `ChannelStatistic` (the command and the admin screen
both call it).

The file has one row per line of business and month: `queue_group` (or `line_of_business`),
`month` (Jan…Dec, 1–12, or 2016-01 without a `year`), `year`, and at least one of
`calls_handled` and `avg_wait_minutes`; `calls_offered`, `calls_answered` and `service_level`
(percent) where it has them. Every problem names the file, row (the header is row 1), column
and reason; any error refuses the whole file and nothing changes (one transaction, checked
before any write). Rows are keyed on (point, line, month), so the same file again changes
nothing: every row "unchanged"."""

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from servicepoints.imports.issues import warning
from servicepoints.models import Organization, ServicePoint

from . import lines as linemod
from .models import CHANNEL_KINDS, ChannelStatistic, EndReason, LineName, LineOfBusiness
from .reading import (
    COUNTS,
    MEASURES,
    cell_error,
    file_error,
    find_columns,
    parse_measures,
    parse_months,
    read_frame,
)


@dataclass
class ChannelImportResult:
    file: str
    point: str = ""
    rows: int = 0
    lines: int = 0
    new_lines: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    issues: list = field(default_factory=list)

    @property
    def refused(self):
        return any(issue.is_error for issue in self.issues)


def channel_point(organization_code, point=None, *, name=""):
    """The call or processing centre that the statistics belong to: `point` (an id or external
    id) of the organization, or its only call or processing centre. (point, issue)."""
    organization = Organization.objects.filter(code=organization_code).first()
    if organization is None:
        return None, file_error(
            "unknown_organization",
            gettext_noop("%(file)s: there is no organization “%(organization)s”."),
            name,
            organization=organization_code,
        )
    candidates = ServicePoint.objects.filter(organization=organization, kind__in=CHANNEL_KINDS)
    if point:
        chosen = candidates.filter(external_id=point)
        if str(point).isdigit():
            chosen = chosen | candidates.filter(pk=int(point))
        found = chosen.first()
        if found is None:
            return None, file_error(
                "unknown_point",
                gettext_noop(
                    "%(file)s: %(organization)s has no call or processing centre “%(point)s”."
                ),
                name,
                organization=organization.name_en,
                point=point,
            )
        return found, None
    found = list(candidates.order_by("pk")[:11])
    if len(found) == 1:
        return found[0], None
    if not found:
        return None, file_error(
            "no_channel_point",
            gettext_noop(
                "%(file)s: %(organization)s has no call or processing centre in the registry; "
                "add one (a service point of kind “call centre”) and import again."
            ),
            name,
            organization=organization.name_en,
        )
    return None, file_error(
        "several_channel_points",
        gettext_noop(
            "%(file)s: %(organization)s has several call and processing centres (%(points)s); "
            "say which with --point ID."
        ),
        name,
        organization=organization.name_en,
        points=", ".join(f"{p.pk} {p.name_en}" for p in found[:10]),
    )


def import_channel_statistics(
    path,
    *,
    organization,
    point=None,
    renames=None,
    regroupings=None,
    user=None,
    name=None,
    dry_run=False,
):
    """Import the statistics file at `path` for `organization` (a code) at `point` (an id or
    external id; by default the organization's only call or processing centre).

    `renames` and `regroupings` ({old name: new name}) add to lines.RENAMES and REGROUPINGS.
    With `user`, the point must be one they may edit. Returns a ChannelImportResult; when it is
    `refused` nothing was changed (`dry_run`: nothing either way)."""
    path = Path(path)
    name = name or path.name
    result = ChannelImportResult(file=name)
    target, issue = channel_point(organization, point, name=name)
    if issue:
        result.issues.append(issue)
        return result
    result.point = target.name_en
    if user is not None and not ServicePoint.objects.editable_by(user).filter(pk=target.pk):
        result.issues.append(
            file_error(
                "not_allowed",
                gettext_noop("%(file)s: you may not change the statistics of “%(point)s”."),
                name,
                point=target.name_en,
            )
        )
        return result
    if not path.is_file():
        result.issues.append(
            file_error("no_file", gettext_noop("%(file)s: there is no such file."), str(path))
        )
        return result
    frame, issue = read_frame(path, name)
    if issue:
        result.issues.append(issue)
        return result
    result.rows = len(frame)
    if not result.rows:
        result.issues.append(file_error("empty", gettext_noop("%(file)s has no rows."), name))
        return result
    found = find_columns(frame, name, result.issues)
    if result.refused:
        return result
    names = frame[found["line"]]
    for row in frame.index[names == ""]:
        result.issues.append(
            cell_error(
                "missing_line",
                gettext_noop(
                    "%(file)s, row %(row)s, column “%(column)s”: the line of business is empty."
                ),
                name,
                row,
                found["line"],
                "",
            )
        )
    months = parse_months(frame, found, name, result.issues)
    values = parse_measures(frame, found, name, result.issues)
    renaming = linemod.Renames(renames, regroupings)
    parsed = names.map(linemod.parse)
    keys = parsed.map(lambda p: renaming.key(p.name))
    table = pd.DataFrame(
        {"raw": names, "key": keys, "parsed": parsed, "month": months, **values},
        index=frame.index,
    )
    valid = (table["raw"] != "") & table["month"].notna()
    twice = table[valid & table.duplicated(["key", "month"], keep=False)]
    for (_key, month), group in twice.groupby(["key", "month"]):
        first = group.index[0]
        for row in group.index[1:]:
            result.issues.append(
                cell_error(
                    "duplicate_month",
                    gettext_noop(
                        "%(file)s, row %(row)s, column “%(column)s”: “%(value)s” has %(month)s "
                        "already, on row %(first)s (renamed lines count as one)."
                    ),
                    name,
                    row,
                    found["line"],
                    table.at[row, "raw"],
                    month=f"{month:%Y-%m}",
                    first=first,
                )
            )
    if result.refused:
        return result
    with transaction.atomic():
        _write(table, target, renaming, result, name)
        if dry_run:
            transaction.set_rollback(True)
    return result


def _write(table, target, renaming, result, name):
    organization = target.organization
    existing = {
        line.key: line
        for line in LineOfBusiness.objects.filter(
            organization=organization, key__in=set(table["key"])
        )
    }
    lines = {}
    for key, group in table.sort_values("month").groupby("key", sort=True):
        latest = group.iloc[-1]
        line = existing.get(key) or LineOfBusiness(organization=organization, key=key)
        before = (line.name, line.ended, line.end_reason)
        line.name = latest["parsed"].name
        ends = group[group["parsed"].map(lambda p: p.discontinued or bool(p.see))]
        if len(ends):
            last = ends.iloc[-1]
            line.ended = last["month"].date()
            line.end_reason = (
                EndReason.REGROUPED if last["parsed"].see else (EndReason.DISCONTINUED)
            )
        if line.pk is None:
            line.save()
            result.new_lines += 1
        elif (line.name, line.ended, line.end_reason) != before:
            line.save(update_fields=["name", "ended", "end_reason"])
        lines[key] = line
        _keep_names(line, group)
    result.lines = len(lines)
    for key, line in lines.items():
        if line.end_reason != EndReason.REGROUPED:
            continue
        target_name = renaming.regrouped_into(line.name)
        successor = None
        if target_name:
            successor_key = renaming.key(target_name)
            successor = (
                lines.get(successor_key)
                or LineOfBusiness.objects.filter(
                    organization=organization, key=successor_key
                ).first()
            )
        if successor is None:
            see = table[table["key"] == key]["parsed"].map(lambda p: p.see).max()
            result.issues.append(
                warning(
                    "unknown_successor",
                    gettext_noop(
                        "%(file)s: “%(line)s” was regrouped into “%(see)s”, which is not a "
                        "line of the file; name it with --regroup OLD=NEW."
                    ),
                    file=name,
                    params={"file": name, "line": line.name, "see": see},
                )
            )
        elif line.successor_id != successor.pk:
            line.successor = successor
            line.save(update_fields=["successor"])
    _write_statistics(table, target, lines, result, name)


def _keep_names(line, group):
    spans = group.groupby(group["parsed"].map(lambda p: p.name))["month"].agg(["min", "max"])
    known = {n.name: n for n in line.names.all()}
    for text, (first, last) in spans.iterrows():
        first, last = first.date(), last.date()
        entry = known.get(text)
        if entry is None:
            LineName.objects.create(line=line, name=text, first_month=first, last_month=last)
        elif (min(entry.first_month, first), max(entry.last_month, last)) != (
            entry.first_month,
            entry.last_month,
        ):
            entry.first_month = min(entry.first_month, first)
            entry.last_month = max(entry.last_month, last)
            entry.save(update_fields=["first_month", "last_month"])


def _number(value, whole):
    if pd.isna(value):
        return None
    return int(value) if whole else float(value)


def _write_statistics(table, target, lines, result, name):
    stored = {
        (stat.line_id, stat.month): stat
        for stat in ChannelStatistic.objects.filter(
            service_point=target, line__in=list(lines.values())
        )
    }
    new, changed = [], []
    fields = ["name_in_file", *MEASURES]
    now = timezone.now()
    for row in table.itertuples():
        line = lines[row.key]
        values = {
            "name_in_file": row.raw,
            **{m: _number(getattr(row, m), m in COUNTS) for m in MEASURES},
        }
        month = row.month.date()
        stat = stored.get((line.pk, month))
        if stat is None:
            new.append(
                ChannelStatistic(
                    service_point=target, line=line, month=month, source_file=name, **values
                )
            )
        elif any(getattr(stat, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(stat, f, v)
            stat.source_file = name
            stat.imported_at = now  # bulk_update leaves auto_now alone; the API's cache key
            changed.append(stat)
    ChannelStatistic.objects.bulk_create(new)
    ChannelStatistic.objects.bulk_update(changed, [*fields, "source_file", "imported_at"])
    result.created, result.updated = len(new), len(changed)
    result.unchanged = len(table) - len(new) - len(changed)


def counts_text(result):
    return _(
        "%(file)s: %(rows)s rows, %(lines)s lines of business (%(new_lines)s new) at "
        "“%(point)s”: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."
    ) % {
        "file": result.file,
        "rows": result.rows,
        "lines": result.lines,
        "new_lines": result.new_lines,
        "point": result.point,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }
