"""Problems found in an imported file, reported with file, row, column, value and reason.

An `Issue` keeps its reason as an untranslated message id plus parameters, so a report stored
in the database is shown in the language of whoever reads it, not of whoever uploaded it.
Mark message ids with `gettext_noop` where they are written so `makemessages` finds them;
a parameter whose name ends in `_label` is a message id too, translated when shown.

`grouped()` folds the issues that say the same thing about the same value of the same column
into one line with its row count and first rows: the report on screen and the command's output
show those lines, the CSV keeps every row.
"""

import json
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext, gettext_noop, ngettext

ERROR = "error"
WARNING = "warning"
SEVERITY_LABELS = {ERROR: gettext_noop("error"), WARNING: gettext_noop("warning")}


@dataclass(frozen=True)
class Issue:
    """One problem. `row` is the number a person finds the row at (header = 1 in a CSV)."""

    severity: str
    code: str
    message: str  # an untranslated message id, interpolated with `params`
    file: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""
    params: dict = field(default_factory=dict)

    @property
    def is_error(self):
        return self.severity == ERROR

    def text(self):
        """The reason in the active language."""
        if not self.params:
            return gettext(self.message)
        return gettext(self.message) % translated(self.params)

    def severity_label(self):
        return gettext(SEVERITY_LABELS[self.severity])

    def as_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        return cls(**data)


def error(code, message, **kwargs):
    return Issue(ERROR, code, message, **kwargs)


def warning(code, message, **kwargs):
    return Issue(WARNING, code, message, **kwargs)


class ImportFileError(Exception):
    """The whole file is refused (unreadable, too large, unsafe). Nothing is imported.

    Carries one `Issue` whose row is None; `str()` gives the reason in the active language.
    """

    def __init__(self, code, message, *, file="", **params):
        self.issue = Issue(ERROR, code, message, file=file, params={"file": file, **params})
        super().__init__(message)

    def __str__(self):
        return self.issue.text()


def translated(params):
    """Parameters with their `_label` values (message ids) in the active language."""
    return {
        name: gettext(value) if name.endswith("_label") and value else value
        for name, value in params.items()
    }


# Rows listed after a grouped problem before "…".
LISTED_ROWS = 10
# Notes that differ row by row only in their detail (which postal area, which community): one
# line each in the grouped report, saying what they have in common; the rows keep the detail.
SUMMARIES = {
    "placed_at_postal_area": gettext_noop(
        "No coordinates: placed at the centre of their postal area (forward sortation area), "
        "which can be kilometres from the address."
    ),
    "placed_at_community": gettext_noop(
        "No coordinates: placed at the centre of their community, found in the gazetteer."
    ),
    "placed_by_mapping": gettext_noop(
        "No coordinates: placed where the source's community mapping says."
    ),
}


@dataclass
class IssueGroup:
    """Issues that say the same thing about the same value of one column, on several rows."""

    first: Issue
    rows: list = field(default_factory=list)
    # For an unknown value: {"field", "closest", ...} from value_mapping.collect_unknown(),
    # and the accepted values of its field as one line.
    unknown: dict | None = None
    accepted: str = ""

    @property
    def severity(self):
        return self.first.severity

    @property
    def code(self):
        return self.first.code

    @property
    def column(self):
        return self.first.column

    @property
    def value(self):
        return self.first.value

    @property
    def count(self):
        return len(self.rows)

    def severity_label(self):
        return self.first.severity_label()

    def listed_rows(self):
        listed = ", ".join(str(row) for row in self.rows[:LISTED_ROWS])
        return listed + ", …" if self.count > LISTED_ROWS else listed

    def rows_text(self):
        """ "192 rows: 2, 3, 4, …" ("row 7" for one), as the unknown values' lines say it."""
        if self.count == 1:
            return gettext("row %(row)s") % {"row": self.rows[0]}
        return ngettext("%(count)s row: %(rows)s", "%(count)s rows: %(rows)s", self.count) % {
            "count": self.count,
            "rows": self.listed_rows(),
        }

    def where(self):
        """ "row 2, phone", "3 rows (2, 5, 9), phone"; "" for the whole file."""
        if not self.rows:
            return ""
        if self.count == 1:
            rows = gettext("row %(row)s") % {"row": self.rows[0]}
        else:
            rows = ngettext(
                "%(count)s row (%(rows)s)", "%(count)s rows (%(rows)s)", self.count
            ) % {"count": self.count, "rows": self.listed_rows()}
        return f"{rows}, {self.column}" if self.column else rows

    def reason(self):
        """What is wrong, in the active language; for an unknown value, the whole line with
        its column, rows, the accepted values and the closest one."""
        from .value_mapping import describe_unknown

        if self.unknown is not None:
            return describe_unknown(self.unknown, self.rows_text(), self.accepted)
        return self.first.text()

    def text(self):
        """The line of the grouped report, in the active language."""
        where = "" if self.unknown is not None else self.where()
        if not where:
            return self.reason()
        return gettext("%(where)s: %(reason)s") % {"where": where, "reason": self.reason()}


def grouped(issues, unknown_values=()):
    """The issues folded into `IssueGroup`s, errors first, then in the order of their first
    row; file-wide issues (no row) stay one each. `unknown_values` (the run's) give the
    closest accepted values of each unknown value."""
    from .value_mapping import FIELD_OF_CODE, accepted_codes

    accepted = {}
    unknown = {
        (entry["column"], entry["value"], entry.get("province", "")): entry
        for entry in unknown_values
    }
    groups = {}
    for issue in issues:
        if issue.row is None:
            groups[("file", len(groups))] = IssueGroup(issue)
            continue
        if issue.code in SUMMARIES:
            key = (issue.severity, issue.code, issue.column)
        else:
            key = (
                issue.severity,
                issue.code,
                issue.column,
                issue.value,
                issue.message,
                json.dumps(issue.params, sort_keys=True, default=str),
            )
        group = groups.get(key)
        if group is None:
            if issue.code in SUMMARIES:
                issue = Issue(
                    issue.severity,
                    issue.code,
                    SUMMARIES[issue.code],
                    issue.file,
                    issue.row,
                    issue.column,
                )
            group = groups[key] = IssueGroup(issue)
            field = FIELD_OF_CODE.get(issue.code)
            if field is not None:
                group.unknown = unknown.get(
                    (issue.column, issue.value, issue.params.get("province", ""))
                )
                if group.unknown is not None:
                    if field not in accepted:
                        accepted[field] = accepted_codes(field)
                    group.accepted = accepted[field]
        group.rows.append(issue.row)
    return sorted(
        groups.values(),
        key=lambda group: (group.severity != ERROR, group.rows[0] if group.rows else 0),
    )
