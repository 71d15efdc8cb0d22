"""Results: counts and shares, breakdowns, suppression below three organizations, who sees
which answers; exports (wide with codebook, long; CSV and XLSX)."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from surveys import results
from surveys.generate import generate_responses
from surveys.models import Answer, Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(partnership_version, make_organization, serviceontario, service_new_brunswick):
    """Submitted answers from five organizations: two in Ontario, one in New Brunswick, two
    federal; plus one pre-test response that must never count."""
    organizations = [
        serviceontario,
        make_organization("ontario-works", "ON"),
        service_new_brunswick,
        make_organization("service-canada", "CA"),
        make_organization("canada-post", "CA"),
    ]
    generate_responses(partnership_version, organizations, seed=7)
    pretest = generate_responses(partnership_version, [serviceontario], seed=8)
    Response.objects.filter(pk=pretest[0].pk).update(is_pretest=True)
    return organizations


def shares(result):
    table = result.tables[0]
    return {code: cells[0] for code, _label, cells in table.rows}


def expected_counts(question, code):
    return Answer.objects.filter(
        question=question, codes__contains=[code], response__is_pretest=False
    ).count()


def test_counts_and_shares_overall_match_the_answers(
    answered, analyst, partnership_version, question
):
    items = {r.question.code: r for r in results.version_results(partnership_version, analyst)}
    shares_office = question("shares_office")
    cells = shares(items["shares_office"])
    yes = expected_counts(shares_office, "yes")
    assert cells["yes"].count == yes
    assert cells["yes"].share == pytest.approx(100 * yes / 5)
    assert cells["yes"].count + cells["no"].count == 5  # the pre-test response is left out
    # A grid: one table per row, each row answered by all five.
    assert len(items["types"].tables) == 7
    assert items["types"].tables[0].respondents[0].count == 5
    # Numbers summarised.
    label, stats = items["in_person_offices"].stats[0]
    assert stats["n"] == 5


def test_breakdown_by_level_and_jurisdiction(answered, analyst, partnership_version):
    by_level = {
        r.question.code: r for r in results.version_results(partnership_version, analyst, "level")
    }
    table = by_level["shares_office"].tables[0]
    assert [key for key, _label in table.groups] == ["", "federal", "provincial"]
    assert [cell.count for cell in table.respondents] == [5, 2, 3]
    by_j = {
        r.question.code: r
        for r in results.version_results(partnership_version, analyst, "jurisdiction")
    }
    assert [key for key, _ in by_j["shares_office"].tables[0].groups] == ["", "CA", "NB", "ON"]


def test_cells_of_fewer_than_three_organizations_are_suppressed_for_staff(
    answered, ontario_editor, analyst, partnership_version
):
    staff = {
        r.question.code: r
        for r in results.version_results(partnership_version, ontario_editor, "jurisdiction")
    }
    table = staff["shares_office"].tables[0]
    everyone, federal, nb, on = table.respondents
    assert everyone.count == 5 and not everyone.suppressed
    assert federal.suppressed and nb.suppressed and on.suppressed
    assert all(cells[1].suppressed for _code, _label, cells in table.rows)
    # Analysts may see every organization: nothing suppressed.
    full = {
        r.question.code: r
        for r in results.version_results(partnership_version, analyst, "jurisdiction")
    }
    assert not any(cell.suppressed for cell in full["shares_office"].tables[0].respondents)


def test_text_answers_staff_see_only_their_own_organizations(
    answered, ontario_editor, analyst, partnership_version
):
    staff = {
        r.question.code: r for r in results.version_results(partnership_version, ontario_editor)
    }
    organizations = {org for org, _text in staff["respondent_role"].texts}
    assert organizations <= {"ServiceOntario", "Ontario Works"} and organizations
    full = {r.question.code: r for r in results.version_results(partnership_version, analyst)}
    assert len(full["respondent_role"].texts) == 5


def test_the_results_page_shows_chart_and_table(client, answered, analyst, partnership_version):
    client.force_login(analyst)
    page = client.get(f"/en/surveys/{partnership_version.pk}/results/?by=level")
    assert page.status_code == 200
    text = page.content.decode()
    assert '<svg viewBox="0 0 640' in text and '<table class="data-table">' in text
    assert "Share of respondents per answer" in text  # the chart's text alternative
    assert "Answers per row, stacked to 100 %" in text  # grids as stacked bars
    assert "provincial" in text


def test_the_results_page_suppresses_for_staff_and_refuses_the_roleless(
    client, answered, ontario_editor, make_user, partnership_version
):
    client.force_login(ontario_editor)
    text = client.get(
        f"/en/surveys/{partnership_version.pk}/results/?by=jurisdiction"
    ).content.decode()
    assert "suppressed" in text
    client.force_login(make_user("nobody"))
    assert client.get(f"/en/surveys/{partnership_version.pk}/results/").status_code == 403


def test_drafts_have_no_results_page(client, analyst, partnership_version):
    draft = partnership_version.new_draft()
    client.force_login(analyst)
    assert client.get(f"/en/surveys/{draft.pk}/results/").status_code == 404


def test_wide_csv_one_row_per_response(client, answered, analyst, partnership_version):
    client.force_login(analyst)
    response = client.get(f"/en/surveys/{partnership_version.pk}/export.wide.csv")
    assert response["Content-Disposition"].endswith('-wide.csv"')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 5  # no pre-test
    assert {"types.co-location", "drivers.one_stop", "drivers.other_text", "shares_office"} <= set(
        rows[0]
    )
    first = Response.objects.filter(is_pretest=False).order_by("pk").first()
    answer = Answer.objects.get(response=first, question__code="shares_office")
    assert rows[0]["shares_office"] == answer.codes[0]
    drivers = Answer.objects.get(response=first, question__code="drivers").codes
    assert rows[0]["drivers.one_stop"] == ("1" if "one_stop" in drivers else "0")


def test_long_csv_one_row_per_answer(client, answered, analyst, partnership_version):
    client.force_login(analyst)
    response = client.get(f"/en/surveys/{partnership_version.pk}/export.long.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    answers = Answer.objects.filter(response__is_pretest=False)
    expected = sum(max(len(a.codes), 1) for a in answers)
    assert len(rows) == expected
    assert {"response", "organization", "question", "row", "value", "label_en", "label_fr"} <= set(
        rows[0]
    )


def test_xlsx_has_responses_codebook_and_answers(
    client, answered, ontario_editor, partnership_version
):
    client.force_login(ontario_editor)
    response = client.get(f"/en/surveys/{partnership_version.pk}/export.xlsx")
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == ["responses", "codebook"]
    rows = list(workbook["responses"].iter_rows(values_only=True))
    # Staff export only their own organizations' responses.
    assert {row[1] for row in rows[1:]} == {"serviceontario", "ontario-works"}
    codebook = list(workbook["codebook"].iter_rows(values_only=True))
    assert codebook[0][:3] == ("column", "question", "kind")
    assert any(row[0] == "shares_office" and row[5] == "yes" for row in codebook)
    columns = {row[0] for row in codebook[1:]}
    assert set(rows[0][6:]) <= columns


def test_unknown_export_format_is_404(client, analyst, partnership_version):
    client.force_login(analyst)
    assert client.get(f"/en/surveys/{partnership_version.pk}/export.pdf").status_code == 404


def test_version_list(client, analyst, answered, partnership_version):
    client.force_login(analyst)
    text = re.sub(r"\s+", " ", client.get("/en/surveys/").content.decode())
    assert "Service delivery partnerships questionnaire" in text
    assert '<td class="number">5</td>' in text


def test_long_xlsx_and_text_cells_never_become_formulas(
    client, answered, analyst, partnership_version
):
    Answer.objects.filter(question__code="respondent_role").update(text="=HYPERLINK(1)")
    client.force_login(analyst)
    response = client.get(f"/en/surveys/{partnership_version.pk}/export.long.xlsx")
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == ["answers", "codebook"]
    rows = list(workbook["answers"].iter_rows(values_only=True))
    assert len(rows) - 1 == sum(max(len(a.codes), 1) for a in Answer.objects.filter(
        response__is_pretest=False))  # fmt: skip
    texts = [row[8] for row in rows if row[6] == "respondent_role"]
    assert texts == ["=HYPERLINK(1)"] * 5  # a string cell, not a formula
    wide = client.get(f"/en/surveys/{partnership_version.pk}/export.wide.csv")
    assert "'=HYPERLINK(1)" in wide.content.decode("utf-8-sig")
