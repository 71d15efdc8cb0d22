"""The partnership guide: seeded chapters, safe Markdown, pages live from the records with the
reader's rights, the admin refusing unsafe Markdown, and the PDFs."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from partnerships.guide import markup
from partnerships.guide.content import chapters
from partnerships.models import GuideChapter, Outcome, PartnershipType

pytestmark = pytest.mark.django_db

HOSTILE = (
    "Intro <script>alert('x')</script>\n\n"
    '[click](javascript:alert(1)) <a href="#" onclick="steal()">here</a> '
    '<img src="x" onerror="alert(2)"> **bold**'
)


def test_markdown_is_rendered_and_sanitised():
    html = markup.render(HOSTILE)
    assert "<strong>bold</strong>" in html
    for bad in ("<script", "alert(", "javascript:", "onclick", "onerror", "<img"):
        assert bad not in html
    assert markup.unsafe_parts(HOSTILE) == ["<script>", "javascript:", "onclick=", "<img>"]
    assert markup.unsafe_parts("## Steps\n\n1. [Map](https://example.ca/) *now*") == []


def test_each_of_the_seven_types_has_a_seeded_chapter_in_both_languages():
    seeded = GuideChapter.objects.select_related("type").prefetch_related("practices")
    assert {c.type.code for c in seeded} == set(chapters())
    for chapter in seeded:
        for field in GuideChapter.MARKDOWN_FIELDS:
            text = getattr(chapter, field)
            assert len(text) > 300, (chapter.type.code, field)
            assert markup.unsafe_parts(text) == []
        assert "occupational health and safety" in chapter.standards_en.lower()
        assert "santé et sécurité au travail" in chapter.standards_fr.lower()
        assert chapter.practices.exists()
    picton = seeded.get(type__code="co-location")
    assert set(picton.practices.values_list("code", flat=True)) >= {
        "adjoining-counters",
        "single-entrance",
        "harmonised-hours",
    }


@pytest.fixture
def lessons(ottawa_partnership):
    ottawa_partnership.lessons_en = "Agree the queueing system before the counters."
    ottawa_partnership.lessons_fr = "Convenir de la file d’attente avant les comptoirs."
    ottawa_partnership.save()
    Outcome.objects.create(
        partnership=ottawa_partnership,
        name_en="Clients served a month",
        name_fr="Clients servis par mois",
        baseline="900",
        target="1200",
        actual="1150",
    )
    return ottawa_partnership


def test_a_chapter_shows_its_approach_and_the_partnerships_of_its_type(client, analyst, lessons):
    client.force_login(analyst)
    response = client.get(reverse("partnerships:guide_chapter", args=["co-location"]))
    assert response.status_code == 200
    text = response.text
    assert "Find the opportunity" in text
    assert "Adjoining counter design" in text
    assert "Occupational health and safety" in text
    assert "Ottawa shared office" in text
    assert "Agree the queueing system before the counters." in text
    assert "Clients served a month" in text and "1150" in text
    # The questionnaire's pre-test findings linked to co-location (surveys' seeded themes).
    assert "Clients like the one-stop aspect of co-location" in text
    assert "Co-location succeeds when local staff understand the agreement" in text
    assert "Some jurisdictions have rapid-response" not in text  # linked to other types
    assert "Found in: Pre-test with ServiceOntario" in text and "Carried by 0 interviews" in text
    # Another type's chapter does not list it.
    response = client.get(reverse("partnerships:guide_chapter", args=["virtual-service"]))
    assert "Ottawa shared office" not in response.text
    assert "No partnership of this type is recorded yet." in response.text
    assert "No findings of the questionnaire bear on this type yet" in response.text


def test_a_chapter_counts_the_interviews_that_carry_its_findings(client, analyst, serviceontario):
    from surveys.models import Interview, Theme

    interview = Interview.objects.create(
        date=datetime.date(2027, 2, 3), organization=serviceontario, participants="Director"
    )
    interview.themes.set([Theme.objects.get(code="one-stop")])
    client.force_login(analyst)
    text = client.get(reverse("partnerships:guide_chapter", args=["co-location"])).text
    one_stop = text.index("Clients like the one-stop aspect of co-location")
    assert "Carried by 1 interview, 0 coded answers" in text[one_stop:]


def test_a_reader_without_a_partnership_role_sees_the_text_but_no_record(
    client, make_user, lessons
):
    client.force_login(make_user("no-role-test"))
    response = client.get(reverse("partnerships:guide_chapter", args=["co-location"]))
    assert response.status_code == 200
    assert "Find the opportunity" in response.text
    assert "Ottawa shared office" not in response.text
    assert "Agree the queueing system" not in response.text
    assert "does not let you read the partnership records" in response.text


def test_the_guide_needs_a_signed_in_user(client):
    response = client.get(reverse("partnerships:guide_index"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_chapter_in_french(client, analyst, lessons):
    client.force_login(analyst)
    response = client.get("/fr/partnerships/guide/co-location/")
    assert response.status_code == 200
    assert "Repérer l’occasion" in response.text
    assert "Convenir de la file d’attente avant les comptoirs." in response.text
    assert "Clients servis par mois" in response.text
    assert 'lang="fr"' in response.text


def test_unknown_type_is_404(client, analyst):
    client.force_login(analyst)
    assert client.get("/en/partnerships/guide/no-such-type/").status_code == 404


def test_hostile_markdown_in_the_database_never_reaches_the_page(client, analyst):
    GuideChapter.objects.filter(type__code="co-location").update(steps_en=HOSTILE)
    client.force_login(analyst)
    response = client.get(reverse("partnerships:guide_chapter", args=["co-location"]))
    assert "<strong>bold</strong>" in response.text
    assert "alert(" not in response.text
    assert "onclick" not in response.text
    assert "javascript:" not in response.text


def _admin_post(chapter, **changes):
    data = {
        "type": chapter.type_id,
        "practices": list(chapter.practices.values_list("pk", flat=True)),
    }
    for field in GuideChapter.MARKDOWN_FIELDS:
        data[field] = getattr(chapter, field)
    data.update(changes)
    return data


def test_the_admin_refuses_markdown_with_script_on_its_field(client, data_admin):
    chapter = GuideChapter.objects.get(type__code="co-location")
    before = chapter.steps_fr
    client.force_login(data_admin)
    url = reverse("admin:partnerships_guidechapter_change", args=[chapter.pk])
    response = client.post(url, _admin_post(chapter, steps_fr=before + "\n\n" + HOSTILE))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["steps_fr"]
    assert "<script>" in errors["steps_fr"][0] and "onclick=" in errors["steps_fr"][0]
    chapter.refresh_from_db()
    assert chapter.steps_fr == before
    # Safe Markdown is saved.
    response = client.post(url, _admin_post(chapter, steps_fr=before + "\n\n**Nouveau**"))
    assert response.status_code == 302
    chapter.refresh_from_db()
    assert chapter.steps_fr.endswith("**Nouveau**")


def test_an_editor_may_not_change_the_guide(client, ontario_editor):
    chapter = GuideChapter.objects.get(type__code="co-location")
    before = chapter.steps_en
    client.force_login(ontario_editor)
    url = reverse("admin:partnerships_guidechapter_change", args=[chapter.pk])
    response = client.post(url, _admin_post(chapter, steps_en="Changed"))
    assert response.status_code == 403
    chapter.refresh_from_db()
    assert chapter.steps_en == before


def _pdf_text(data):
    reader = PdfReader(io.BytesIO(data))
    return reader, [page.extract_text() for page in reader.pages]


def test_the_whole_guide_as_a_pdf_with_contents_and_page_numbers(client, analyst, lessons):
    client.force_login(analyst)
    response = client.get(reverse("partnerships:guide_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    reader, pages = _pdf_text(response.content)
    assert len(pages) >= 1 + PartnershipType.objects.count()
    cover = pages[0]
    assert "Contents" in cover
    names = list(PartnershipType.objects.filter(guide_chapter__isnull=False))
    for partnership_type in names:
        assert partnership_type.name_en in cover
    # The table of contents gives the page where each chapter starts (target-counter).
    toc_numbers = [int(n) for n in re.findall(r"\.\s*(\d+)\s*$", cover, re.M)]
    assert len(toc_numbers) == len(names)
    assert toc_numbers[0] == 2
    for partnership_type, number in zip(names, toc_numbers, strict=True):
        assert partnership_type.name_en in pages[number - 1], (partnership_type.code, number)
    total = len(pages)
    assert f"Page 1 / {total}" in pages[0]
    assert f"Page {total} / {total}" in pages[-1]
    assert any("Ottawa shared office" in text for text in pages)


def test_one_type_as_a_pdf_in_french(client, analyst):
    client.force_login(analyst)
    response = client.get("/fr/partnerships/guide/virtual-service/guide.pdf")
    assert response.status_code == 200
    reader, pages = _pdf_text(response.content)
    assert len(pages) >= 2
    assert "Service virtuel" in pages[0]
    assert any("Prévoir un facilitateur" in text for text in pages)
    assert "Cohabitation" not in pages[0]


@pytest.fixture
def deck_cases(serviceontario, service_canada, service_new_brunswick):
    from django.core.management import call_command

    from servicepoints.models import Jurisdiction, Organization

    Organization.objects.create(
        code="gnwt",
        name_en="Government of the Northwest Territories",
        name_fr="Gouvernement des Territoires du Nord-Ouest",
        jurisdiction=Jurisdiction.objects.get(code="NT"),
    )
    call_command("load_partnerships", verbosity=0)


def test_each_deck_case_is_in_its_types_chapter(client, analyst, deck_cases):
    from partnerships.models import Partnership

    client.force_login(analyst)
    cases = list(Partnership.objects.select_related("type"))
    assert len(cases) == 8
    pages = {}
    for case in cases:
        code = case.type.code
        if code not in pages:
            pages[code] = client.get(reverse("partnerships:guide_chapter", args=[code])).text
        assert case.title_en.replace("'", "&#x27;") in pages[code], (code, case.title_en)
        for other, text in pages.items():
            if other != code:
                assert case.title_en.replace("'", "&#x27;") not in text
