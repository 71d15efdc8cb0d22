"""Reading a CSV of contacts to invite: every row checked before anything is sent."""

import csv

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from servicepoints.models import Organization

from .models import Invitation, Status

COLUMNS = ["organization", "contact_name", "email", "language"]


class InvitationFileError(Exception):
    """The file was refused; the message names the file, row, column and reason."""


def read_invitations(path, version):
    """The rows of a contacts file as keyword arguments for `invitations.invite`.

    Raises InvitationFileError listing every problem (file, row, column, reason).
    """
    if version.status not in (Status.PRETEST, Status.LAUNCHED):
        raise InvitationFileError(
            f"{path}: version {version.number} is {version.status}; invite to a pre-test or "
            "launched version."
        )
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [column for column in COLUMNS[:3] if column not in header]
            if missing:
                raise InvitationFileError(f"{path}: missing columns: {', '.join(missing)}.")
            records = list(reader)
    except (OSError, UnicodeDecodeError) as error:
        raise InvitationFileError(f"{path}: cannot be read ({error}).") from None
    organizations = {o.code: o for o in Organization.objects.all()}
    invited = set(
        Invitation.objects.filter(version=version).values_list("organization__code", "email")
    )
    languages = {code for code, _name in settings.LANGUAGES}
    problems, rows, seen = [], [], set()
    for number, record in enumerate(records, start=2):  # row 1 is the header
        where = f"{path}, row {number}"
        code = (record.get("organization") or "").strip()
        email = (record.get("email") or "").strip().lower()
        name = (record.get("contact_name") or "").strip()
        language = (record.get("language") or "en").strip().lower() or "en"
        organization = organizations.get(code)
        if organization is None:
            problems.append(
                f"{where}, column organization: no organization has the code {code!r}."
            )
        if not name:
            problems.append(f"{where}, column contact_name: empty.")
        try:
            validate_email(email)
        except ValidationError:
            problems.append(f"{where}, column email: {email!r} is not an email address.")
        if language not in languages:
            problems.append(f"{where}, column language: {language!r} is not en or fr.")
        if (code, email) in invited or (code, email) in seen:
            problems.append(f"{where}, column email: {email} is already invited for {code}.")
        seen.add((code, email))
        rows.append(
            {
                "organization": organization,
                "contact_name": name,
                "email": email,
                "language": language,
            }
        )
    if problems:
        raise InvitationFileError("File refused, nothing was sent:\n" + "\n".join(problems))
    return rows
