"""The questionnaire builder's rules: lifecycle, frozen launched versions, draft copies,
skip-logic validation, pre-test answers kept apart and cleared, the seeded content."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from surveys.models import (
    Choice,
    FrozenVersionError,
    Kind,
    Question,
    QuestionnaireVersion,
    Response,
    Section,
    Status,
    Theme,
)

pytestmark = pytest.mark.django_db


def test_the_partnership_questionnaire_is_seeded_in_both_languages(partnership_version):
    assert partnership_version.status == Status.LAUNCHED
    titles = list(partnership_version.sections.values_list("title_en", flat=True))
    assert titles[:3] == [
        "About your organization",
        "Partnership types",
        "What drives and blocks partnerships",
    ]
    assert "Missing standards" in titles and "Rapid response" in titles
    codes = set(partnership_version.questions().values_list("code", flat=True))
    assert {"types", "drivers", "blockers", "practices", "standards", "readiness"} <= codes
    standards = partnership_version.questions().get(code="standards")
    assert {"hours", "ohs"} <= set(standards.rows.values_list("code", flat=True))
    readiness = partnership_version.questions().get(code="readiness")
    assert list(readiness.rows.values_list("label_en", flat=True)) == [
        "Political will",
        "Organisational readiness",
        "Resources and tools",
        "Client drivers (demand from clients)",
    ]
    situations = partnership_version.questions().get(code="rapid_response_situations")
    assert "mass_layoffs" in situations.codes()
    # Every text has its French, with French typography.
    for question in partnership_version.questions():
        assert question.text_fr and question.text_fr != question.text_en
    assert partnership_version.questions().get(code="respondent_role").text_fr.endswith("\u202f?")
    kinds = set(partnership_version.questions().values_list("kind", flat=True))
    assert kinds == {kind.value for kind in Kind}  # every kind of question is used


def test_the_pretest_findings_are_seeded_as_themes_linked_to_partnership_types():
    themes = {theme.code: theme for theme in Theme.objects.all()}
    assert set(themes) >= {
        "one-stop",
        "national-guidelines",
        "staff-understand-agreement",
        "rapid-response-guidelines",
    }
    assert "co-location" in themes["one-stop"].partnership_types
    assert "occupational health and safety" in themes["national-guidelines"].label_en
    assert themes["one-stop"].label_fr.startswith("Les clients apprécient")


def test_load_survey_demo_is_idempotent(capsys):
    call_command("load_survey_demo")
    assert "already present" in capsys.readouterr().out
    assert (
        QuestionnaireVersion.objects.filter(
            questionnaire__code="partnership-questionnaire"
        ).count()
        == 1
    )


def test_load_survey_demo_puts_the_questionnaire_back(capsys, partnership_version):
    Response.objects.all().delete()
    partnership_version.questionnaire.delete()
    Theme.objects.all().delete()
    call_command("load_survey_demo")
    out = capsys.readouterr().out
    assert "Partnership questionnaire created (24 questions)." in out
    assert "Interview themes: 4 created." in out


def test_a_launched_version_is_frozen(partnership_version):
    section = partnership_version.sections.first()
    section.title_en = "Changed"
    with pytest.raises(FrozenVersionError):
        section.save()
    question = section.questions.first()
    with pytest.raises(FrozenVersionError):
        question.delete()
    choice = Choice.objects.filter(question__section__version=partnership_version).first()
    with pytest.raises(FrozenVersionError):
        choice.save()


def test_editing_makes_a_new_draft_copy_with_its_skip_logic(partnership_version):
    draft = partnership_version.new_draft()
    assert (draft.number, draft.status) == (2, Status.DRAFT)
    assert draft.questions().count() == partnership_version.questions().count()
    practices = draft.questions().get(code="practices")
    assert practices.show_if_question.section.version == draft
    assert practices.show_if_question.code == "shares_office"
    assert practices.choices.count() == 10
    assert draft.questions().get(code="types").rows.count() == 7
    section = draft.sections.first()
    section.title_en = "About you"
    section.save()  # a draft can change
    assert partnership_version.sections.first().title_en == "About your organization"


def test_the_lifecycle_refuses_moves_backwards(partnership_version):
    with pytest.raises(ValidationError, match="cannot become"):
        partnership_version.move_to(Status.DRAFT)
    partnership_version.move_to(Status.CLOSED)
    assert partnership_version.closed_at is not None
    with pytest.raises(ValidationError):
        partnership_version.move_to(Status.LAUNCHED)


def test_skip_logic_must_point_to_an_earlier_section(partnership_version):
    draft = partnership_version.new_draft()
    first = draft.questions().get(code="respondent_role")
    later = draft.questions().get(code="interview_ok")
    first.show_if_question = later
    first.show_if_values = ["yes"]
    with pytest.raises(ValidationError, match="earlier section"):
        first.full_clean()
    text = draft.questions().get(code="comments")
    first.show_if_question = text
    with pytest.raises(ValidationError, match="single choice"):
        first.full_clean()


def test_question_codes_are_unique_in_a_version(partnership_version):
    draft = partnership_version.new_draft()
    section = draft.sections.first()
    duplicate = Question(
        section=section, code="shares_office", kind=Kind.YES_NO, text_en="x", text_fr="x"
    )
    with pytest.raises(ValidationError, match="Another question"):
        duplicate.full_clean()


def test_bounds_only_for_numbers(partnership_version):
    draft = partnership_version.new_draft()
    question = draft.questions().get(code="respondent_role")
    question.min_value = 1
    with pytest.raises(ValidationError, match="Only number questions"):
        question.full_clean()


def test_pretest_answers_are_cleared_without_touching_the_launch(
    partnership_version, invite, serviceontario, service_new_brunswick
):
    from surveys.generate import generate_responses

    draft = partnership_version.new_draft()
    draft.move_to(Status.PRETEST)
    generate_responses(draft, [serviceontario], seed=1)
    Response.objects.filter(version=draft).update(is_pretest=True)
    generate_responses(draft, [service_new_brunswick], seed=2)  # not pre-test
    assert draft.clear_pretest_answers() == 1
    assert list(Response.objects.filter(version=draft).values_list("organization", flat=True)) == [
        service_new_brunswick.pk
    ]


def test_a_new_section_in_a_draft_is_allowed(partnership_version):
    draft = partnership_version.new_draft()
    Section.objects.create(version=draft, position=99, title_en="Extra", title_fr="Extra")
    assert draft.sections.count() == partnership_version.sections.count() + 1
