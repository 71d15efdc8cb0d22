"""`python manage.py invite_organizations VERSION FILE --base-url URL`: invitations from a CSV."""

from django.core.management.base import BaseCommand, CommandError

from surveys import invitations
from surveys.importing import InvitationFileError, read_invitations
from surveys.models import QuestionnaireVersion


class Command(BaseCommand):
    help = (
        "Invite contacts to a questionnaire version from a CSV file with the columns "
        "organization (the organization's code), contact_name, email and language (en or fr). "
        "Every row is checked first: a file with an error is refused whole, naming the row, "
        "column and reason, and nothing is sent. "
        "Example: python manage.py invite_organizations 1 contacts.csv --base-url "
        "https://snm.example"
    )

    def add_arguments(self, parser):
        parser.add_argument("version", type=int, help="The version's id (see the admin).")
        parser.add_argument("file", help="The CSV file of contacts.")
        parser.add_argument("--base-url", required=True, help="The site's address for links.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file, send nothing.")

    def handle(self, *args, version, file, base_url, dry_run=False, **options):
        try:
            chosen = QuestionnaireVersion.objects.get(pk=version)
        except QuestionnaireVersion.DoesNotExist:
            raise CommandError(f"No questionnaire version {version}.") from None
        try:
            rows = read_invitations(file, chosen)
        except InvitationFileError as error:
            raise CommandError(str(error)) from None
        if dry_run:
            self.stdout.write(f"{len(rows)} invitations checked. Dry run: nothing was sent.")
            return
        for row in rows:
            invitations.invite(version=chosen, base_url=base_url, **row)
        self.stdout.write(f"Sent {len(rows)} invitations.")
