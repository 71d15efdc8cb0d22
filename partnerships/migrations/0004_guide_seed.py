"""The guide's seven chapters and the roadmap of the council's 2017 deck (annex B).

Only fills what is missing: a chapter or stream an admin already has is left as it is."""

from datetime import date

from django.db import migrations

from partnerships.guide.content import STREAMS, chapters


def seed(apps, schema_editor):
    PartnershipType = apps.get_model("partnerships", "PartnershipType")
    Practice = apps.get_model("partnerships", "Practice")
    GuideChapter = apps.get_model("partnerships", "GuideChapter")
    Stream = apps.get_model("partnerships", "Stream")
    Milestone = apps.get_model("partnerships", "Milestone")
    for code, text in chapters().items():
        type_ = PartnershipType.objects.filter(code=code).first()
        if type_ is None or GuideChapter.objects.filter(type=type_).exists():
            continue
        chapter = GuideChapter.objects.create(
            type=type_,
            steps_en=text["steps_en"],
            steps_fr=text["steps_fr"],
            standards_en=text["standards_en"],
            standards_fr=text["standards_fr"],
        )
        chapter.practices.set(Practice.objects.filter(code__in=text["practices"]))
    for order, (code, (en, fr, milestones)) in enumerate(STREAMS.items(), start=1):
        stream, created = Stream.objects.get_or_create(
            code=code, defaults={"name_en": en, "name_fr": fr, "order": order * 10}
        )
        if not created:
            continue
        for start, end, status, title_en, title_fr, owner, link in milestones:
            Milestone.objects.create(
                stream=stream,
                date=date.fromisoformat(start),
                end_date=date.fromisoformat(end) if end else None,
                year_only=True,
                status=status,
                title_en=title_en,
                title_fr=title_fr,
                owner=owner,
                link=link,
            )


def unseed(apps, schema_editor):
    apps.get_model("partnerships", "Stream").objects.filter(code__in=STREAMS).delete()
    apps.get_model("partnerships", "GuideChapter").objects.filter(
        type__code__in=chapters()
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0003_guide")]

    operations = [migrations.RunPython(seed, unseed)]
