"""Interviews and themes: who reads which interviews, coding text answers, theme frequencies
and the findings per partnership type the guide will show."""

import datetime

import pytest

from surveys.findings import findings_for_partnership_type, theme_frequencies
from surveys.generate import generate_responses
from surveys.models import Answer, Interview, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def interviews(serviceontario, service_new_brunswick, data_admin, partnership_version):
    one_stop = Theme.objects.get(code="one-stop")
    guidelines = Theme.objects.get(code="national-guidelines")
    ontario = Interview.objects.create(
        date=datetime.date(2027, 2, 3), organization=serviceontario, interviewer=data_admin,
        participants="Regional director\nOffice manager, Picton", guide=partnership_version,
        notes="Picton office: adjoining counters.",
        quotes="Clients like one stop.\n\nHours differ between partners.",
    )  # fmt: skip
    ontario.themes.set([one_stop, guidelines])
    brunswick = Interview.objects.create(
        date=datetime.date(2027, 2, 10), organization=service_new_brunswick,
        participants="Director, service delivery",
    )  # fmt: skip
    brunswick.themes.set([one_stop])
    return ontario, brunswick


def test_staff_see_their_own_organizations_interviews(client, ontario_editor, interviews):
    client.force_login(ontario_editor)
    page = client.get("/en/surveys/interviews/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "ServiceOntario — 2027-02-03" in text
    assert "Service New Brunswick" not in text
    assert "<blockquote>Hours differ between partners.</blockquote>" in text


def test_analysts_see_every_interview(client, analyst, interviews):
    client.force_login(analyst)
    text = client.get("/en/surveys/interviews/").content.decode()
    assert "ServiceOntario" in text and "Service New Brunswick" in text


def test_interviews_need_a_role(client, make_user, interviews):
    client.force_login(make_user("nobody"))
    assert client.get("/en/surveys/interviews/").status_code == 403
    assert client.get("/en/surveys/themes/").status_code == 403


def test_coding_a_text_answer_then_theme_frequencies(
    client, data_admin, analyst, interviews, partnership_version, serviceontario
):
    generate_responses(partnership_version, [serviceontario], seed=4)
    answer = Answer.objects.filter(question__code="respondent_role").get()
    theme = Theme.objects.get(code="staff-understand-agreement")
    client.force_login(data_admin)
    url = f"/en/surveys/{partnership_version.pk}/answers/respondent_role/"
    page = client.get(url).content.decode()
    assert answer.text in page and 'name="themes"' in page
    response = client.post(f"{url}{answer.pk}/themes/", {"themes": [theme.pk], "page": "1"})
    assert response.status_code == 302
    assert list(answer.themes.all()) == [theme]
    counts = {t.code: (t.interview_count, t.answer_count) for t in theme_frequencies(analyst)}
    assert counts["one-stop"] == (2, 0)
    assert counts["staff-understand-agreement"] == (0, 1)
    client.force_login(analyst)
    text = client.get("/en/surveys/themes/").content.decode()
    assert "Co-location succeeds when local staff understand the agreement" in text


def test_analysts_cannot_code(client, analyst, partnership_version, serviceontario):
    generate_responses(partnership_version, [serviceontario], seed=4)
    answer = Answer.objects.filter(question__code="respondent_role").get()
    client.force_login(analyst)
    url = f"/en/surveys/{partnership_version.pk}/answers/respondent_role/"
    assert 'name="themes"' not in client.get(url).content.decode()
    theme = Theme.objects.first()
    assert client.post(f"{url}{answer.pk}/themes/", {"themes": [theme.pk]}).status_code == 403
    assert not answer.themes.exists()


def test_coding_another_jurisdictions_answer_is_refused(
    client, make_user, partnership_version, service_new_brunswick
):
    from django.contrib.auth.models import Permission

    from servicepoints import roles

    coder = make_user("coder-on", roles.EDITORS, ["ON"])
    coder.user_permissions.add(Permission.objects.get(codename="change_answer"))
    generate_responses(partnership_version, [service_new_brunswick], seed=4)
    answer = Answer.objects.filter(question__code="respondent_role").get()
    client.force_login(coder)
    url = f"/en/surveys/{partnership_version.pk}/answers/respondent_role/{answer.pk}/themes/"
    assert client.post(url, {"themes": [Theme.objects.first().pk]}).status_code == 404
    assert not answer.themes.exists()


def test_findings_for_a_partnership_type(analyst, interviews):
    findings = findings_for_partnership_type("co-location", analyst)
    codes = [f["theme"].code for f in findings]
    assert codes[0] == "one-stop"  # two interviews
    assert set(codes) == {"one-stop", "national-guidelines", "staff-understand-agreement"}
    assert findings_for_partnership_type("digital-collaboration", analyst) == []
