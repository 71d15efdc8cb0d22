"""Federal Canada and the 13 provinces and territories, with their official names."""

from django.db import migrations

JURISDICTIONS = [
    ("CA", "federal", "Government of Canada", "Gouvernement du Canada"),
    ("NL", "provincial", "Newfoundland and Labrador", "Terre-Neuve-et-Labrador"),
    ("PE", "provincial", "Prince Edward Island", "Île-du-Prince-Édouard"),
    ("NS", "provincial", "Nova Scotia", "Nouvelle-Écosse"),
    ("NB", "provincial", "New Brunswick", "Nouveau-Brunswick"),
    ("QC", "provincial", "Quebec", "Québec"),
    ("ON", "provincial", "Ontario", "Ontario"),
    ("MB", "provincial", "Manitoba", "Manitoba"),
    ("SK", "provincial", "Saskatchewan", "Saskatchewan"),
    ("AB", "provincial", "Alberta", "Alberta"),
    ("BC", "provincial", "British Columbia", "Colombie-Britannique"),
    ("YT", "territorial", "Yukon", "Yukon"),
    ("NT", "territorial", "Northwest Territories", "Territoires du Nord-Ouest"),
    ("NU", "territorial", "Nunavut", "Nunavut"),
]


def seed(apps, schema_editor):
    Jurisdiction = apps.get_model("servicepoints", "Jurisdiction")
    for code, level, name_en, name_fr in JURISDICTIONS:
        Jurisdiction.objects.update_or_create(
            code=code, defaults={"level": level, "name_en": name_en, "name_fr": name_fr}
        )


def unseed(apps, schema_editor):
    Jurisdiction = apps.get_model("servicepoints", "Jurisdiction")
    Jurisdiction.objects.filter(code__in=[row[0] for row in JURISDICTIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("servicepoints", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
