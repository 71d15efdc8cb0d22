"""The admin screens that build questionnaires and send invitations."""

import pytest
from django.core import mail

from surveys.models import Invitation, Question, Questionnaire, QuestionnaireVersion, Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_memory_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_creating_a_questionnaire_gives_it_a_draft_version(client, data_admin):
    client.force_login(data_admin)
    response = client.post(
        "/en/admin/surveys/questionnaire/add/",
        {
            "code": "digital-services",
            "title_en": "Digital services",
            "title_fr": "Services numériques",
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    version = QuestionnaireVersion.objects.get(questionnaire__code="digital-services")
    assert (version.number, version.status) == (1, Status.DRAFT)


def test_a_launched_version_is_read_only_in_the_admin(client, data_admin, partnership_version):
    client.force_login(data_admin)
    url = f"/en/admin/surveys/questionnaireversion/{partnership_version.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="intro_en"' not in page.content.decode()  # shown, not editable
    question = partnership_version.questions().first()
    response = client.post(
        f"/en/admin/surveys/question/{question.pk}/change/", {"code": "changed", "kind": "number"}
    )
    assert response.status_code == 403
    assert Question.objects.get(pk=question.pk).code == question.code


def test_make_a_new_draft_version_from_the_admin(client, data_admin, partnership_version):
    client.force_login(data_admin)
    client.post(
        "/en/admin/surveys/questionnaireversion/",
        {"action": "make_new_draft", "_selected_action": [partnership_version.pk]},
    )
    draft = QuestionnaireVersion.objects.get(number=2)
    assert draft.status == Status.DRAFT
    page = client.get(
        f"/en/admin/surveys/questionnaireversion/{draft.pk}/change/"
    ).content.decode()
    assert 'name="sections-0-title_en"' in page  # the draft's sections are editable inline


def test_adding_an_invitation_sends_it(client, data_admin, partnership_version, serviceontario):
    client.force_login(data_admin)
    response = client.post(
        "/en/admin/surveys/invitation/add/",
        {
            "version": partnership_version.pk,
            "organization": serviceontario.pk,
            "contact_name": "Alex Tremblay",
            "email": "alex@so.example",
            "language": "en",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Invitation.objects.get().email == "alex@so.example"
    assert len(mail.outbox) == 1 and "/en/questionnaire/" in mail.outbox[0].body


def test_analysts_cannot_build_questionnaires(client, analyst):
    client.force_login(analyst)
    assert client.get("/en/admin/surveys/questionnaire/add/").status_code == 403
    assert client.get("/en/admin/surveys/questionnaire/").status_code == 200


def test_editors_see_only_their_organizations_invitations(
    client, ontario_editor, partnership_version, serviceontario, service_new_brunswick, invite
):
    from django.contrib.auth.models import Permission

    ontario_editor.user_permissions.add(Permission.objects.get(codename="view_invitation"))
    invite(partnership_version, serviceontario)
    invite(partnership_version, service_new_brunswick)
    client.force_login(ontario_editor)
    page = client.get("/en/admin/surveys/invitation/").content.decode()
    assert "ServiceOntario" in page and "Service New Brunswick" not in page


def test_questionnaire_list_in_admin(client, data_admin):
    client.force_login(data_admin)
    page = client.get("/en/admin/surveys/questionnaire/").content.decode()
    assert Questionnaire.objects.get().title_en in page
