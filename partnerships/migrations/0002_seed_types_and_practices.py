"""The seven partnership types and the eight practices of the council's 2017 deck."""

from django.db import migrations

from partnerships.reference import PRACTICES, TYPES


def seed(apps, schema_editor):
    PartnershipType = apps.get_model("partnerships", "PartnershipType")
    Practice = apps.get_model("partnerships", "Practice")
    for order, (code, (en, fr, about_en, about_fr)) in enumerate(TYPES.items(), start=1):
        PartnershipType.objects.get_or_create(
            code=code,
            defaults={
                "name_en": en,
                "name_fr": fr,
                "description_en": about_en,
                "description_fr": about_fr,
                "order": order * 10,
            },
        )
    for order, (code, (en, fr)) in enumerate(PRACTICES.items(), start=1):
        Practice.objects.get_or_create(
            code=code, defaults={"name_en": en, "name_fr": fr, "order": order * 10}
        )


def unseed(apps, schema_editor):
    apps.get_model("partnerships", "Practice").objects.filter(code__in=PRACTICES).delete()
    apps.get_model("partnerships", "PartnershipType").objects.filter(
        code__in=TYPES, partnerships=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
