"""`python manage.py load_survey_demo`: the partnership questionnaire and its themes."""

from django.apps import apps
from django.core.management.base import BaseCommand

from surveys.seed import seed_partnership_questionnaire


class Command(BaseCommand):
    help = (
        "Create the council's partnership questionnaire (version 1, launched) and the "
        "pre-test's interview themes if they are missing (migration 0002 creates them; this "
        "puts them back after a reset). Safe to run again. "
        "Example: python manage.py load_survey_demo"
    )

    def handle(self, *args, **options):
        questionnaires, questions, themes = seed_partnership_questionnaire(apps)
        if questionnaires:
            self.stdout.write(f"Partnership questionnaire created ({questions} questions).")
        else:
            self.stdout.write("Partnership questionnaire already present.")
        self.stdout.write(f"Interview themes: {themes} created.")
