"""The partnership questionnaire written for the council, and the pre-test's findings as themes.

`seed_partnership_questionnaire(apps)` runs in migration 0002 (historical models) and in
`manage.py load_survey_demo` (the real ones); it creates only what is missing. The content
is in `surveys.seed_content`.
"""

from django.utils import timezone

from .seed_content import PRETEST, SECTIONS, THEMES, fr

QUESTIONNAIRE_CODE = "partnership-questionnaire"

__all__ = ["QUESTIONNAIRE_CODE", "SECTIONS", "THEMES", "seed_partnership_questionnaire"]


def seed_partnership_questionnaire(apps):
    """Create the questionnaire (version 1, launched) and the themes if missing.

    Returns (questionnaires created, questions created, themes created).
    """
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    Version = apps.get_model("surveys", "QuestionnaireVersion")
    Section = apps.get_model("surveys", "Section")
    Question = apps.get_model("surveys", "Question")
    Choice = apps.get_model("surveys", "Choice")
    GridRow = apps.get_model("surveys", "GridRow")
    Theme = apps.get_model("surveys", "Theme")

    themes = 0
    for theme in THEMES:
        _theme, created = Theme.objects.get_or_create(
            code=theme["code"],
            defaults={**theme, "label_fr": fr(theme["label_fr"]), "source": PRETEST},
        )
        themes += created

    questionnaire, created = Questionnaire.objects.get_or_create(
        code=QUESTIONNAIRE_CODE,
        defaults={
            "title_en": "Service delivery partnerships questionnaire",
            "title_fr": "Questionnaire sur les partenariats de prestation de services",
        },
    )
    if not created and questionnaire.versions.exists():
        return 0, 0, themes
    version = Version.objects.create(
        questionnaire=questionnaire,
        number=1,
        intro_en=(
            "The council is preparing a guide to service delivery partnerships between "
            "federal, provincial, territorial and municipal organizations. Your answers tell it "
            "which partnerships exist, what helps and what gets in the way. It takes about 20 "
            "minutes; you can save and come back later with the same link."
        ),
        intro_fr=fr(
            "Le conseil prépare un guide des partenariats de prestation de services entre "
            "organisations fédérales, provinciales, territoriales et municipales. Vos réponses "
            "lui indiquent quels partenariats existent, ce qui les facilite et ce qui les "
            "freine. Comptez environ 20 minutes ; vous pouvez enregistrer et revenir plus tard "
            "avec le même lien."
        ),
    )
    by_code = {}
    questions = 0
    for position, section_data in enumerate(SECTIONS, start=1):
        section = Section.objects.create(
            version=version,
            position=position,
            title_en=section_data["title_en"],
            title_fr=fr(section_data["title_fr"]),
            intro_en=section_data.get("intro_en", ""),
            intro_fr=fr(section_data.get("intro_fr", "")),
        )
        for q_position, data in enumerate(section_data["questions"], start=1):
            condition = data["show_if"]
            question = Question.objects.create(
                section=section,
                position=q_position,
                code=data["code"],
                kind=data["kind"],
                text_en=data["text_en"],
                text_fr=data["text_fr"],
                help_en=data["help_en"],
                help_fr=data["help_fr"],
                required=data["required"],
                allows_other=data["allows_other"],
                min_value=data["min_value"],
                max_value=data["max_value"],
                show_if_question=by_code[condition[0]] if condition else None,
                show_if_values=condition[1] if condition else [],
            )
            by_code[data["code"]] = question
            questions += 1
            Choice.objects.bulk_create(
                Choice(question=question, position=i, code=code, label_en=en, label_fr=fr(fr_))
                for i, (code, en, fr_) in enumerate(data["choices"], start=1)
            )
            GridRow.objects.bulk_create(
                GridRow(question=question, position=i, code=code, label_en=en, label_fr=fr(fr_))
                for i, (code, en, fr_) in enumerate(data["rows"], start=1)
            )
    # Content first, then the launch (a launched version refuses new content).
    Version.objects.filter(pk=version.pk).update(status="launched", launched_at=timezone.now())
    return 1, questions, themes
