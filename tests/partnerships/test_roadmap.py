"""The roadmap: streams and milestones of the deck's annex B, the timeline with its table, the
admin refusing dates out of order."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from partnerships.models import Milestone, Stream

pytestmark = pytest.mark.django_db


def test_the_deck_annex_b_is_seeded():
    assert list(Stream.objects.values_list("code", flat=True)) == [
        "mapping-tool",
        "strategic-pilots",
        "partnership-guide",
        "questionnaire",
        "integrated-service-models",
    ]
    by_year = {}
    for m in Milestone.objects.all():
        by_year.setdefault(m.date.year, []).append(m.title_en)
    assert by_year[2015] == ["Data collected through the council"]
    assert by_year[2016] == ["Proof of concept shared with jurisdictions"]
    assert set(by_year[2017]) == {
        "Inventory of innovative pilots",
        "Questionnaire tested with New Brunswick and Ontario",
    }
    assert "Launch with all jurisdictions" in by_year[2018]
    gradual = Milestone.objects.get(title_en="Gradual implementation")
    assert gradual.end_date == date(2020, 12, 31)
    assert all(m.title_fr for m in Milestone.objects.all())


def test_the_roadmap_page_draws_the_timeline_beside_a_table(client, make_user):
    client.force_login(make_user("reader-test"))
    response = client.get(reverse("partnerships:roadmap"))
    assert response.status_code == 200
    text = response.text
    assert '<svg class="timeline-svg"' in text and 'role="img"' in text
    for year in range(2015, 2021):
        assert f">{year}<" in text
    # Status told by shape (legend) and by word in the table, not by colour.
    assert 'href="#mk-square"' in text and 'href="#mk-circle"' in text
    assert "<td>done</td>" in text and "<td>planned</td>" in text
    assert "<td>2018–2020</td>" in text
    assert text.count("<tr>") >= Milestone.objects.count() + 1
    assert 'href="/partnerships/guide/"' in text


def test_the_roadmap_in_french(client, make_user):
    client.force_login(make_user("reader-test"))
    response = client.get("/fr/partnerships/roadmap/")
    assert response.status_code == 200
    assert "Comprendre notre réseau\u00a0: l’outil de cartographie" in response.text
    assert "Mise en œuvre progressive" in response.text


def test_an_admin_edits_a_milestone_and_dates_out_of_order_are_refused(client, data_admin):
    milestone = Milestone.objects.get(title_en="Gradual implementation")
    client.force_login(data_admin)
    url = reverse("admin:partnerships_milestone_change", args=[milestone.pk])
    data = {
        "stream": milestone.stream_id,
        "title_en": milestone.title_en,
        "title_fr": milestone.title_fr,
        "date": "2018-01-01",
        "end_date": "2017-06-30",
        "year_only": "on",
        "status": "in_progress",
        "owner": "The council",
        "link": "/partnerships/",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["end_date"]
    assert "comes before" in errors["end_date"][0]
    milestone.refresh_from_db()
    assert (milestone.end_date, milestone.status) == (date(2020, 12, 31), "planned")

    response = client.post(url, {**data, "end_date": "2020-12-31", "link": "javascript:x()"})
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["link"]

    response = client.post(url, {**data, "end_date": "2020-12-31"})
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == "in_progress"


def test_the_database_refuses_dates_out_of_order_too():
    stream = Stream.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.create(
            stream=stream,
            title_en="Backwards",
            title_fr="À rebours",
            date=date(2019, 1, 1),
            end_date=date(2018, 1, 1),
        )


def test_an_editor_may_not_change_the_roadmap(client, ontario_editor):
    milestone = Milestone.objects.first()
    client.force_login(ontario_editor)
    url = reverse("admin:partnerships_milestone_change", args=[milestone.pk])
    response = client.post(url, {"title_en": "Changed"})
    assert response.status_code == 403
    milestone.refresh_from_db()
    assert milestone.title_en != "Changed"


def test_a_milestone_link_without_language_opens_in_the_readers_language(client, make_user):
    client.force_login(make_user("reader-test"))
    response = client.get("/partnerships/guide/")
    assert response.status_code == 302
    assert response["Location"] == "/en/partnerships/guide/"
    assert client.get(response["Location"]).status_code == 200


def test_the_streams_inline_refuses_dates_out_of_order_on_the_field(client, data_admin):
    stream = Stream.objects.get(code="integrated-service-models")
    (milestone,) = stream.milestones.all()
    client.force_login(data_admin)
    data = {
        "code": stream.code,
        "name_en": stream.name_en,
        "name_fr": stream.name_fr,
        "description_en": "",
        "description_fr": "",
        "order": stream.order,
        "milestones-TOTAL_FORMS": "1",
        "milestones-INITIAL_FORMS": "1",
        "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "1000",
        "milestones-0-id": milestone.pk,
        "milestones-0-stream": stream.pk,
        "milestones-0-title_en": milestone.title_en,
        "milestones-0-title_fr": milestone.title_fr,
        "milestones-0-date": "2020-01-01",
        "milestones-0-end_date": "2018-12-31",
        "milestones-0-status": "planned",
        "milestones-0-owner": "The council",
        "milestones-0-link": "",
    }
    url = reverse("admin:partnerships_stream_change", args=[stream.pk])
    response = client.post(url, data)
    assert response.status_code == 200
    (formset,) = response.context["inline_admin_formsets"]
    assert list(formset.formset.forms[0].errors) == ["end_date"]
    milestone.refresh_from_db()
    assert milestone.date == date(2018, 1, 1)
