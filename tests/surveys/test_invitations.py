"""Invitations by email (Django's in-memory backend here), reminders, response rates."""

import re

import pytest
from django.core import mail

from surveys import invitations
from surveys.models import Invitation, Response, hash_token

pytestmark = pytest.mark.django_db

BASE = "https://snm.example"


@pytest.fixture(autouse=True)
def _in_memory_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def link_in(message):
    return re.search(r"https://snm\.example(/\S+)", message.body).group(1)


def test_an_invitation_mails_a_private_link_that_works(
    client, partnership_version, serviceontario
):
    invitation = invitations.invite(
        version=partnership_version,
        organization=serviceontario,
        contact_name="Alex Tremblay",
        email="alex@serviceontario.example",
        base_url=BASE,
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alex@serviceontario.example"]
    assert message.subject == "Invitation: Service delivery partnerships questionnaire"
    path = link_in(message)
    token = path.split("/")[3]
    assert Invitation.objects.get(pk=invitation.pk).token_hash == hash_token(token)
    assert client.get(path).status_code == 200
    assert invitation.sent_at is not None


def test_a_french_contact_gets_a_french_message_and_link(
    partnership_version, service_new_brunswick
):
    invitations.invite(
        version=partnership_version,
        organization=service_new_brunswick,
        contact_name="Chantal Léger",
        email="chantal@snb.example",
        language="fr",
        base_url=BASE,
    )
    message = mail.outbox[0]
    assert link_in(message).startswith("/fr/questionnaire/")
    assert "Questionnaire sur les partenariats de prestation de services" in message.subject
    assert "Bonjour Chantal Léger," in message.body  # needs /tmp/fr/surveys.json merged


def test_reminders_go_only_to_those_who_have_not_submitted(
    client, partnership_version, serviceontario, service_new_brunswick
):
    done = invitations.invite(
        version=partnership_version,
        organization=serviceontario,
        contact_name="A",
        email="a@so.example",
        base_url=BASE,
    )
    invitations.invite(
        version=partnership_version,
        organization=service_new_brunswick,
        contact_name="B",
        email="b@snb.example",
        base_url=BASE,
    )
    old_path = link_in(mail.outbox[1])
    Response.objects.create(
        invitation=done,
        version=partnership_version,
        organization=serviceontario,
        submitted_at="2027-01-10T12:00Z",
    )
    mail.outbox.clear()
    assert invitations.send_reminders(partnership_version, BASE) == 1
    assert [m.to for m in mail.outbox] == [["b@snb.example"]]
    assert mail.outbox[0].subject.startswith("Reminder:")
    # The reminder's fresh link works; the old one no longer does.
    assert client.get(link_in(mail.outbox[0])).status_code == 200
    assert client.get(old_path).status_code == 404
    assert Invitation.objects.get(email="b@snb.example").reminders == 1


def test_response_rates_per_jurisdiction_and_organization(
    client, analyst, partnership_version, serviceontario, service_new_brunswick, invite
):
    from surveys.generate import generate_responses

    generate_responses(partnership_version, [serviceontario], seed=3)
    invite(partnership_version, service_new_brunswick)
    client.force_login(analyst)
    page = client.get(f"/en/surveys/{partnership_version.pk}/response-rates/")
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", page.content.decode())
    assert re.search(
        r"<th scope=\"row\">NB</th><td class=\"number\">1</td>"
        r"<td class=\"number\">1</td><td class=\"number\">0</td>"
        r"<td class=\"number\">0</td><td class=\"number\">0 %</td>",
        text,
    )
    assert re.search(
        r"ServiceOntario</th><td>ON</td><td class=\"number\">1</td>"
        r"<td class=\"number\">1</td><td class=\"number\">1</td>"
        r"<td class=\"number\">100 %</td>",
        text,
    )


def test_editors_see_only_their_organizations_rates(
    client, ontario_editor, partnership_version, serviceontario, service_new_brunswick, invite
):
    invite(partnership_version, serviceontario)
    invite(partnership_version, service_new_brunswick)
    client.force_login(ontario_editor)
    text = client.get(f"/en/surveys/{partnership_version.pk}/response-rates/").content.decode()
    assert "ServiceOntario" in text
    assert "Service New Brunswick" not in text


def test_reading_rates_needs_a_role(client, make_user, partnership_version):
    client.force_login(make_user("nobody"))
    assert client.get(f"/en/surveys/{partnership_version.pk}/response-rates/").status_code == 403
