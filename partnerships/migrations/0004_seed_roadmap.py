"""The roadmap's five streams and the milestones of the council's deck, annex B."""

from django.db import migrations

from partnerships.roadmap_seed import MILESTONES, STREAMS


def seed(apps, schema_editor):
    Stream = apps.get_model("partnerships", "Stream")
    Milestone = apps.get_model("partnerships", "Milestone")
    streams = {}
    for order, (code, (en, fr)) in enumerate(STREAMS.items(), start=1):
        streams[code], _created = Stream.objects.get_or_create(
            code=code, defaults={"name_en": en, "name_fr": fr, "order": order * 10}
        )
    for key, (stream, year, en, fr, status, link) in MILESTONES.items():
        Milestone.objects.get_or_create(
            seed_key=key,
            defaults={
                "stream": streams[stream],
                "year": year,
                "title_en": en,
                "title_fr": fr,
                "status": status,
                "owner": "Council",
                "link": link,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("partnerships", "Milestone").objects.filter(seed_key__in=MILESTONES).delete()
    apps.get_model("partnerships", "Stream").objects.filter(
        code__in=STREAMS, milestones=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0003_roadmap")]

    operations = [migrations.RunPython(seed, unseed)]
