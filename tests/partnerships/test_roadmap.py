"""The roadmap: seeded from the deck's annex B, shown as a timeline and a table, edited in
the admin by data administrators."""

import pytest
from django.urls import reverse

from partnerships.models import Milestone, Stream

pytestmark = pytest.mark.django_db


def test_the_deck_s_annex_b_is_seeded():
    assert Stream.objects.count() == 5
    assert list(Milestone.objects.values_list("year", flat=True)) == [
        2015,
        2016,
        2017,
        2017,
        2018,
        2018,
        2020,
        2020,
    ]
    assert Milestone.objects.get(seed_key="2017-questionnaire-tested").stream.code == (
        "questionnaire"
    )


def test_the_page_shows_the_timeline_and_the_table(client, analyst):
    client.force_login(analyst)
    response = client.get(reverse("partnerships:roadmap"))
    assert response.status_code == 200
    assert response.text.count("Inventory of innovative pilots") == 2  # timeline and table
    assert "in progress" in response.text  # the status is written, not only coloured
    assert 'href="/en/partnerships/"' in response.text


def test_refused_without_a_role(client, make_user):
    client.force_login(make_user("nobody"))
    assert client.get(reverse("partnerships:roadmap")).status_code == 403


def test_a_data_administrator_adds_a_milestone(client, data_admin):
    client.force_login(data_admin)
    stream = Stream.objects.get(code="questionnaire")
    url = reverse("admin:partnerships_stream_change", args=[stream.pk])
    page = client.get(url)
    assert page.status_code == 200
    existing = stream.milestones.count()
    data = {
        "name_en": stream.name_en,
        "name_fr": stream.name_fr,
        "code": stream.code,
        "order": stream.order,
        "milestones-TOTAL_FORMS": str(existing + 1),
        "milestones-INITIAL_FORMS": str(existing),
        "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "1000",
    }
    for index, milestone in enumerate(stream.milestones.all()):
        data.update(
            {
                f"milestones-{index}-id": milestone.pk,
                f"milestones-{index}-stream": stream.pk,
                f"milestones-{index}-year": milestone.year,
                f"milestones-{index}-title_en": milestone.title_en,
                f"milestones-{index}-title_fr": milestone.title_fr,
                f"milestones-{index}-status": milestone.status,
            }
        )
    data.update(
        {
            f"milestones-{existing}-stream": stream.pk,
            f"milestones-{existing}-year": 2027,
            f"milestones-{existing}-title_en": "Questionnaire in every jurisdiction",
            f"milestones-{existing}-title_fr": "Questionnaire dans toutes les administrations",
            f"milestones-{existing}-status": "planned",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert stream.milestones.filter(year=2027).exists()


def test_an_editor_reads_the_roadmap_in_the_admin_but_may_not_change_it(client, ontario_editor):
    client.force_login(ontario_editor)
    stream = Stream.objects.get(code="questionnaire")
    url = reverse("admin:partnerships_stream_change", args=[stream.pk])
    response = client.post(
        url, {"name_en": "Taken over", "name_fr": "x", "code": stream.code, "order": 1}
    )
    assert response.status_code == 403
    stream.refresh_from_db()
    assert stream.name_en == "The questionnaire"
