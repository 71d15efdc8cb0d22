"""Answering by private link: pages per section, save and resume, skip logic, review, submit
once, and every refusal (unknown, expired, used links, bad answers) changing nothing."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from surveys.models import Answer, Response, Status

pytestmark = pytest.mark.django_db


def start_url(token, lang="en"):
    return f"/{lang}/questionnaire/{token}/"


def section_url(token, number, lang="en"):
    return f"/{lang}/questionnaire/{token}/section/{number}/"


@pytest.fixture
def invitation(invite, partnership_version, serviceontario):
    return invite(partnership_version, serviceontario)


def first_page(question, role="Director, service delivery", offices="12", shares="yes"):
    return {
        f"q{question('respondent_role').pk}": role,
        f"q{question('in_person_offices').pk}": offices,
        f"q{question('shares_office').pk}": shares,
        "action": "next",
    }


def test_the_link_needs_no_account_and_says_who_it_is_for(client, invitation):
    _invitation, token = invitation
    page = client.get(start_url(token))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Service delivery partnerships questionnaire" in text
    assert "For Alex Tremblay, ServiceOntario." in text
    assert page["Cache-Control"].startswith("max-age=0")  # never_cache: links stay private


def test_the_url_round_trips():
    url = reverse("surveys:response_section", kwargs={"token": "abc", "number": 2})
    assert url == "/en/questionnaire/abc/section/2/"


def test_saving_a_page_stores_typed_answers_and_moves_on(client, invitation, question):
    _invitation, token = invitation
    response = client.post(section_url(token, 1), first_page(question))
    assert response.status_code == 302
    assert response["Location"] == section_url(token, 2)
    saved = Response.objects.get()
    assert saved.submitted_at is None and not saved.is_pretest
    number = Answer.objects.get(question=question("in_person_offices"))
    assert number.number == 12
    assert Answer.objects.get(question=question("shares_office")).codes == ["yes"]


def test_resume_from_the_same_link_shows_saved_answers(client, invitation, question):
    _invitation, token = invitation
    client.post(section_url(token, 1), {**first_page(question), "action": "later"})
    client.cookies.clear()  # another day, another browser: only the link
    page = client.get(section_url(token, 1)).content.decode()
    assert 'value="Director, service delivery"' in page
    assert "3 of " in page  # progress counts the three answers


def test_a_required_question_left_empty_is_refused_with_its_message(client, invitation, question):
    _invitation, token = invitation
    data = first_page(question)
    data[f"q{question('respondent_role').pk}"] = ""
    response = client.post(section_url(token, 1), data)
    assert response.status_code == 400
    assert "This question is required." in response.content.decode()
    assert not Answer.objects.exists()


def test_save_and_finish_later_accepts_a_partial_page(client, invitation, question):
    _invitation, token = invitation
    data = {**first_page(question, role=""), "action": "later"}
    response = client.post(section_url(token, 1), data)
    assert response.status_code == 302
    assert Answer.objects.count() == 2


def test_a_number_outside_its_bounds_is_refused_and_earlier_answers_stay(
    client, invitation, question
):
    _invitation, token = invitation
    client.post(section_url(token, 1), first_page(question))
    response = client.post(section_url(token, 1), first_page(question, offices="99999"))
    assert response.status_code == 400
    assert "less than or equal to 5000" in response.content.decode()
    assert Answer.objects.get(question=question("in_person_offices")).number == 12


def test_an_answer_outside_the_choices_is_refused(client, invitation, question):
    _invitation, token = invitation
    response = client.post(section_url(token, 1), first_page(question, shares="maybe"))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Answer.objects.exists()


def test_a_question_of_another_version_is_refused(
    client, invitation, question, partnership_version
):
    _invitation, token = invitation
    draft = partnership_version.new_draft()
    foreign = draft.questions().get(code="respondent_role")
    data = {**first_page(question), f"q{foreign.pk}": "Director"}
    response = client.post(section_url(token, 1), data)
    assert response.status_code == 400
    assert "belongs to another questionnaire or version" in response.content.decode()
    assert not Answer.objects.exists()


def test_other_please_specify_needs_its_text(client, invitation, question):
    _invitation, token = invitation
    client.post(section_url(token, 1), first_page(question))
    drivers, blockers = question("drivers"), question("blockers")
    data = {f"q{drivers.pk}": ["one_stop", "other"], f"q{blockers.pk}": ["hours"]}
    response = client.post(section_url(token, 3), data)
    assert response.status_code == 400
    assert "Please say what “other” is." in response.content.decode()
    data[f"q{drivers.pk}-other"] = "Shared training"
    assert client.post(section_url(token, 3), data).status_code == 302
    answer = Answer.objects.get(question=drivers)
    assert answer.codes == ["one_stop", "other"] and answer.other_text == "Shared training"


def test_skip_logic_hides_a_section_and_the_server_ignores_its_answers(
    client, invitation, question
):
    _invitation, token = invitation
    client.post(section_url(token, 1), first_page(question, shares="no"))
    # "Shared offices" is skipped: section 4 is now "Missing standards".
    page = client.get(section_url(token, 4)).content.decode()
    assert "Missing standards" in page
    assert "Which practices do your shared offices use?" not in page
    # A stale form posting the hidden question saves nothing for it.
    practices = question("practices")
    stale = {f"q{practices.pk}": ["kiosk"], "action": "later"}
    client.post(section_url(token, 4), stale)
    assert not Answer.objects.filter(question=practices).exists()


def test_skip_logic_shows_the_section_when_the_answer_matches(client, invitation, question):
    _invitation, token = invitation
    client.post(section_url(token, 1), first_page(question, shares="yes"))
    page = client.get(section_url(token, 4)).content.decode()
    assert "Which practices do your shared offices use?" in page


def test_switching_language_mid_way_saves_the_page(client, invitation, question):
    _invitation, token = invitation
    data = {**first_page(question), "action": "language"}
    response = client.post(section_url(token, 1), data)
    assert response["Location"] == section_url(token, 1, "fr")
    page = client.get(response["Location"]).content.decode()
    assert "Quel est votre rôle dans votre organisation\u202f?" in page
    assert 'value="Director, service delivery"' in page


def answer_everything(client, token, question, partnership_version):
    """Answer every shown section through the pages (skip logic: no shared office, no rapid
    response), then return the review page."""
    from surveys import answering

    sections = answering.version_structure(partnership_version)
    values = {
        "respondent_role": "Director",
        "in_person_offices": "5",
        "shares_office": "no",
        "drivers": ["one_stop"],
        "blockers": ["hours", "ohs"],
        "national_guidelines": "5",
        "rapid_response": "no",
        "interview_ok": "yes",
    }
    number = 0
    for section in sections:
        shown = [q for q in section.questions.all()]
        if section.title_en in ("Shared offices", "Your rapid-response arrangements"):
            continue
        number += 1
        data = {"action": "next"}
        for q in shown:
            if q.kind == "grid":
                scale = q.choices.first().code
                for row in q.rows.all():
                    data[f"q{q.pk}-r{row.pk}"] = scale
            elif q.code in values:
                data[f"q{q.pk}"] = values[q.code]
        response = client.post(section_url(token, number), data)
        assert response.status_code == 302, response.content.decode()[:3000]
    return client.get(f"/en/questionnaire/{token}/review/")


def test_review_then_submit_once_then_read_only(client, invitation, question, partnership_version):
    _invitation, token = invitation
    review = answer_everything(client, token, question, partnership_version)
    assert review.status_code == 200
    assert "Required, not answered" not in review.content.decode()
    response = client.post(f"/en/questionnaire/{token}/review/")
    assert response.status_code == 302
    saved = Response.objects.get()
    assert saved.submitted_at is not None
    copy = client.get(start_url(token)).content.decode()
    assert "This is a read-only copy." in copy
    assert '<form method="post" class="survey-form"' not in copy
    # A second submit, and a late page save, are refused and change nothing.
    before = list(Answer.objects.order_by("pk").values_list("pk", "codes", "text", "number"))
    again = client.post(f"/en/questionnaire/{token}/review/")
    assert again.status_code == 409
    late = client.post(section_url(token, 1), first_page(question, role="Someone else"))
    assert late.status_code == 409
    assert "Already submitted" in late.content.decode()
    after = list(Answer.objects.order_by("pk").values_list("pk", "codes", "text", "number"))
    assert before == after
    assert Response.objects.get().submitted_at == saved.submitted_at


def test_submitting_with_a_required_question_missing_is_refused(client, invitation, question):
    _invitation, token = invitation
    client.post(section_url(token, 1), first_page(question))
    response = client.post(f"/en/questionnaire/{token}/review/")
    assert response.status_code == 400
    assert "Not submitted" in response.content.decode()
    assert Response.objects.get().submitted_at is None
    assert Answer.objects.count() == 3  # nothing lost


def test_an_unknown_link_gets_a_clear_page_and_creates_nothing(client):
    response = client.get(start_url("not-a-real-token"))
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()
    assert not Response.objects.exists()


def test_an_expired_link_is_refused(client, invitation):
    stored, token = invitation
    stored.expires_at = timezone.now() - timedelta(days=1)
    stored.save()
    response = client.get(start_url(token))
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert not Response.objects.exists()


def test_a_closed_questionnaire_refuses_answers(client, invitation, partnership_version):
    _stored, token = invitation
    partnership_version.move_to(Status.CLOSED)
    response = client.get(start_url(token))
    assert response.status_code == 410
    assert "This questionnaire is closed" in response.content.decode()


@override_settings(SURVEY_TOKEN_FAILURE_LIMIT=3)
def test_guessing_tokens_is_rate_limited_per_address(client, invitation):
    _stored, token = invitation
    for attempt in range(3):
        assert client.get(start_url(f"guess-{attempt}")).status_code == 404
    # Barred now, even with the right token (a guess cannot be confirmed).
    response = client.get(start_url(token))
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    other_address = client.get(start_url(token), REMOTE_ADDR="192.0.2.7")
    assert other_address.status_code == 200


def test_tokens_are_stored_only_as_hashes(invitation):
    stored, token = invitation
    assert len(token) >= 43
    assert token not in stored.token_hash
    assert len(stored.token_hash) == 64


def test_pretest_answers_are_marked_apart(client, invite, partnership_version, serviceontario):
    draft = partnership_version.new_draft()
    draft.move_to(Status.PRETEST)
    _stored, token = invite(draft, serviceontario)
    client.get(start_url(token))
    assert Response.objects.get().is_pretest
    assert "This is a pre-test" in client.get(start_url(token)).content.decode()
