"""Problems found in an imported file, reported with file, row, column, value and reason.

An `Issue` keeps its reason as an untranslated message id plus parameters, so a report stored
in the database is shown in the language of whoever reads it, not of whoever uploaded it.
Mark message ids with `gettext_noop` where they are written so `makemessages` finds them.
"""

from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext, gettext_noop

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
        return gettext(self.message) % self.params if self.params else gettext(self.message)

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
