"""The questionnaire's commands: invitations from a CSV (refused whole on any error) and
reminders."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from surveys.models import Invitation

pytestmark = pytest.mark.django_db

BASE = "--base-url=https://snm.example"


@pytest.fixture(autouse=True)
def _in_memory_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def write(tmp_path, text):
    path = tmp_path / "contacts.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_invitations_from_a_file(
    tmp_path, capsys, partnership_version, serviceontario, service_new_brunswick
):
    path = write(
        tmp_path,
        "organization,contact_name,email,language\n"
        "serviceontario,Alex Tremblay,alex@so.example,en\n"
        "service-new-brunswick,Chantal Léger,Chantal@SNB.example,fr\n",
    )
    call_command("invite_organizations", partnership_version.pk, path, BASE)
    assert "Sent 2 invitations." in capsys.readouterr().out
    assert sorted(Invitation.objects.values_list("email", "language")) == [
        ("alex@so.example", "en"),
        ("chantal@snb.example", "fr"),
    ]
    assert len(mail.outbox) == 2


def test_a_file_with_errors_is_refused_whole_naming_row_and_column(
    tmp_path, partnership_version, serviceontario
):
    path = write(
        tmp_path,
        "organization,contact_name,email,language\n"
        "serviceontario,Alex Tremblay,alex@so.example,en\n"
        "no-such-org,Sam,sam@x.example,en\n"
        "serviceontario,,not-an-email,de\n",
    )
    with pytest.raises(CommandError) as refused:
        call_command("invite_organizations", partnership_version.pk, path, BASE)
    message = str(refused.value)
    assert (
        f"{path}, row 3, column organization: no organization has the code 'no-such-org'."
        in message
    )
    assert f"{path}, row 4, column contact_name: empty." in message
    assert f"{path}, row 4, column email: 'not-an-email' is not an email address." in message
    assert f"{path}, row 4, column language: 'de' is not en or fr." in message
    assert not Invitation.objects.exists() and not mail.outbox


def test_missing_columns_are_named(tmp_path, partnership_version):
    path = write(tmp_path, "organization,name\nserviceontario,Alex\n")
    with pytest.raises(CommandError, match="missing columns: contact_name, email"):
        call_command("invite_organizations", partnership_version.pk, path, BASE)


def test_reminders_command(capsys, partnership_version, serviceontario, invite):
    stored, _token = invite(partnership_version, serviceontario)
    Invitation.objects.filter(pk=stored.pk).update(sent_at="2027-01-05T10:00Z")
    call_command("send_survey_reminders", partnership_version.pk, BASE, "--dry-run")
    assert "Would remind 1 invitees." in capsys.readouterr().out
    assert not mail.outbox
    call_command("send_survey_reminders", partnership_version.pk, BASE)
    assert "Reminded 1 invitees." in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_unknown_version(tmp_path):
    with pytest.raises(CommandError, match="No questionnaire version 999"):
        call_command("send_survey_reminders", 999, BASE)
