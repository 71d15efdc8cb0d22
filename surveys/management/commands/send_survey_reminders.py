"""`python manage.py send_survey_reminders VERSION --base-url URL`: remind who has not answered."""

from django.core.management.base import BaseCommand, CommandError

from surveys import invitations
from surveys.models import Invitation, QuestionnaireVersion


class Command(BaseCommand):
    help = (
        "Email a reminder, with a fresh private link, to every invitee of a questionnaire "
        "version who has not submitted (the earlier link stops working; saved answers stay). "
        "Example: python manage.py send_survey_reminders 1 --base-url https://snm.example"
    )

    def add_arguments(self, parser):
        parser.add_argument("version", type=int, help="The version's id (see the admin).")
        parser.add_argument("--base-url", required=True, help="The site's address for links.")
        parser.add_argument("--dry-run", action="store_true", help="Count, send nothing.")

    def handle(self, *args, version, base_url, dry_run=False, **options):
        try:
            chosen = QuestionnaireVersion.objects.get(pk=version)
        except QuestionnaireVersion.DoesNotExist:
            raise CommandError(f"No questionnaire version {version}.") from None
        if dry_run:
            count = Invitation.objects.filter(version=chosen).awaiting_answer().count()
            self.stdout.write(f"Would remind {count} invitees. Dry run: nothing was sent.")
            return
        count = invitations.send_reminders(chosen, base_url)
        self.stdout.write(f"Reminded {count} invitees.")
