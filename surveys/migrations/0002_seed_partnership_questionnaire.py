"""The council's partnership questionnaire (version 1, launched) and the pre-test's themes."""

from django.db import migrations


def seed(apps, schema_editor):
    from surveys.seed import seed_partnership_questionnaire

    seed_partnership_questionnaire(apps)


def unseed(apps, schema_editor):
    from surveys.seed import QUESTIONNAIRE_CODE, THEMES

    apps.get_model("surveys", "Theme").objects.filter(
        code__in=[theme["code"] for theme in THEMES]
    ).delete()
    apps.get_model("surveys", "Questionnaire").objects.filter(code=QUESTIONNAIRE_CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
