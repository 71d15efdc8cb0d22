"""The data-quality pages: exact counts on real PostGIS, the 12-month boundary, refreshes per
source, access by role, both languages."""

import re
from datetime import datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.contrib.gis.geos import Point
from django.urls import resolve, reverse
from django.utils import formats, timezone, translation

from servicepoints import quality, views
from servicepoints.models import (
    DataSource,
    ImportRun,
    Kind,
    Organization,
    Service,
    ServicePoint,
    Status,
)

pytestmark = pytest.mark.django_db

TORONTO = ZoneInfo("America/Toronto")


def squash(text):
    """Runs of ordinary white space as one space; no-break spaces (French) are kept."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


class Tables(HTMLParser):
    """The page's tables by caption: rows of whitespace-normalised cell texts."""

    def __init__(self, page):
        super().__init__()
        self.tables, self.links = {}, []
        self._rows = self._row = self._cell = self._caption = self._href = None
        self._in_caption = False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows = []
        elif tag == "caption":
            self._caption, self._in_caption = "", True
        elif tag == "tr" and self._rows is not None:
            self._row = []
        elif tag in ("th", "td") and self._row is not None:
            self._cell = ""
        elif tag == "a" and self._rows is not None:
            self._href = dict(attrs)["href"]

    def handle_data(self, data):
        if self._in_caption:
            self._caption += data
        elif self._cell is not None:
            self._cell += data
        if self._href is not None:
            self.links.append((self._href, data.strip()))
            self._href = None

    def handle_endtag(self, tag):
        if tag == "caption":
            self._caption, self._in_caption = squash(self._caption), False
        elif tag in ("th", "td") and self._cell is not None:
            self._row.append(squash(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._rows.append(self._row)
            self._row = None
        elif tag == "table":
            self.tables[self._caption] = self._rows
            self._rows = None


def table(page, caption):
    return Tables(page).tables[caption]


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def passports():
    return Service.objects.create(code="passports", name_en="Passports", name_fr="Passeports")


@pytest.fixture
def ontario_courts(ontario):
    return Organization.objects.create(
        code="ontario-court-services",
        name_en="Ontario Court Services",
        name_fr="Services aux tribunaux de l'Ontario",
        jurisdiction=ontario,
    )


@pytest.fixture
def ontario_open_data():
    return DataSource.objects.create(
        name="ontario-open-data",
        title="ServiceOntario locations",
        authority="Government of Ontario",
        licence="Open Government Licence – Ontario",
        url="https://data.ontario.ca/dataset/serviceontario-locations",
    )


@pytest.fixture
def courts_list():
    return DataSource.objects.create(
        name="court-addresses",
        title="Court addresses (demonstration)",
        authority="Ministry of the Attorney General",
        is_demonstration=True,
    )


def make_point(organization, province, name, **fields):
    # Queen's Park, Toronto: the location does not matter to these counts.
    return ServicePoint.objects.create(
        name_en=name,
        name_fr=name,
        organization=organization,
        location=Point(-79.3905, 43.6629, srid=4326),
        community="Toronto",
        province=province,
        **fields,
    )


@pytest.fixture
def ontario_points(
    serviceontario, ontario_courts, ontario, passports, today, ontario_open_data, courts_list
):
    """Five Ontario points whose completeness is known, one of them closed.

    ServiceOntario: a complete centre verified exactly 365 days ago (still within 12 months),
    a bare centre verified 366 days ago, a kiosk without languages never verified, a closed
    centre (left out). Ontario Court Services: a kiosk with hours, English, a photo, no
    services, verified today.
    """
    complete = make_point(
        serviceontario,
        ontario,
        "Complete centre",
        opening_hours="Mo-Fr 08:30-17:00",
        languages=["en", "fr"],
        photo="servicepoints/photos/complete.jpg",
        phone="416-326-1234",
        website="https://www.ontario.ca/serviceontario",
        postal_code="M7A 1A2",
        last_verified=today - timedelta(days=365),
        data_source=ontario_open_data,
        external_id="1",
    )
    complete.services.add(passports)
    bare = make_point(
        serviceontario,
        ontario,
        "Bare centre",
        languages=["en"],
        last_verified=today - timedelta(days=366),
        data_source=ontario_open_data,
        external_id="2",
    )
    kiosk = make_point(
        serviceontario, ontario, "Kiosk without languages", kind=Kind.KIOSK, opening_hours="24/7"
    )
    kiosk.services.add(passports)
    make_point(
        serviceontario,
        ontario,
        "Closed centre",
        status=Status.CLOSED,
        opening_hours="24/7",
        languages=["en"],
    ).services.add(passports)
    court = make_point(
        ontario_courts,
        ontario,
        "Court kiosk",
        kind=Kind.KIOSK,
        opening_hours="Mo-Fr 09:00-16:00",
        languages=["en"],
        photo="servicepoints/photos/court.jpg",
        last_verified=today,
        data_source=courts_list,
        external_id="c1",
    )
    return {"complete": complete, "bare": bare, "kiosk": kiosk, "court": court}


# Addresses


def test_urls_round_trip():
    with translation.override("en"):
        assert reverse("quality:jurisdiction_quality_list") == "/en/quality/"
        assert reverse("quality:jurisdiction_quality", args=["ON"]) == "/en/quality/ON/"
    with translation.override("fr"):
        assert reverse("quality:jurisdiction_quality_list") == "/fr/qualite/"
        assert reverse("quality:jurisdiction_quality", args=["ON"]) == "/fr/qualite/ON/"
    for language, path, view in (
        ("en", "/en/quality/", views.jurisdiction_quality_list),
        ("fr", "/fr/qualite/", views.jurisdiction_quality_list),
        ("fr", "/fr/quality/", views.jurisdiction_quality_list),
        ("fr", "/fr/quality/ON/", views.jurisdiction_quality),
    ):
        with translation.override(language):
            assert resolve(path).func is view, path


@pytest.mark.parametrize("path", ["/en/quality/", "/en/quality/ON/", "/fr/qualite/CA/"])
def test_anonymous_visitors_are_sent_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    language = path.split("/")[1]
    assert response["Location"] == f"/{language}/accounts/login/?next={path}"


def test_links_from_the_home_page_the_header_and_the_admin(client, data_admin):
    client.force_login(data_admin)
    home = client.get("/en/").content.decode()
    assert home.count('href="/en/quality/"') == 2  # the header's navigation and the page
    assert 'href="/en/quality/"' in client.get("/en/map/").content.decode()
    assert 'href="/en/quality/"' in client.get("/en/admin/").content.decode()


# Counts


def test_report_counts_in_sql(analyst, ontario, ontario_points, today):
    report = quality.jurisdiction_report(analyst, ontario, today)

    overall = report.overall
    assert overall.total == 4  # the closed centre is left out
    assert overall.counts == {
        "hours": 3,
        "languages": 3,
        "photo": 2,
        "services": 2,
        "phone": 1,
        "website": 1,
        "postal_code": 1,
        "stale": 2,
    }
    assert overall.score == quality.Share(10, 16)
    assert overall.score.percent == 62.5
    assert [(t.label, t.total) for t in report.by_organization] == [
        ("Ontario Court Services", 1),
        ("ServiceOntario", 3),
    ]
    assert [(t.key, t.total) for t in report.by_kind] == [("centre", 2), ("kiosk", 2)]


def test_page_shows_counts_and_percentages_per_organization_and_kind(
    client, analyst, ontario_points
):
    client.force_login(analyst)

    page = client.get("/en/quality/ON/").content.decode()

    assert table(page, "Active points with each piece of information")[1:] == [
        ["Opening hours", "75.0% (3 of 4)"],
        ["Service languages", "75.0% (3 of 4)"],
        ["Photo", "50.0% (2 of 4)"],
        ["At least one service", "50.0% (2 of 4)"],
        ["Phone", "25.0% (1 of 4)"],
        ["Website", "25.0% (1 of 4)"],
        ["Postal code", "25.0% (1 of 4)"],
        ["Not verified in 12 months", "50.0% (2 of 4)"],
    ]
    assert "Completeness: 62.5% (10 of 16 checks met" in page
    assert table(page, "Completeness by organization") == [
        [
            "Organization",
            "Active points",
            "Opening hours",
            "Service languages",
            "Photo",
            "At least one service",
            "Phone",
            "Website",
            "Postal code",
            "Not verified in 12 months",
        ],
        ["Ontario Court Services", "1"] + ["1 (100.0%)"] * 3 + ["0 (0.0%)"] * 4 + ["0 (0.0%)"],
        ["ServiceOntario", "3"]
        + ["2 (66.7%)", "2 (66.7%)", "1 (33.3%)", "2 (66.7%)"]
        + ["1 (33.3%)"] * 3
        + ["2 (66.7%)"],
        ["Total", "4"]
        + ["3 (75.0%)", "3 (75.0%)", "2 (50.0%)", "2 (50.0%)"]
        + ["1 (25.0%)"] * 3
        + ["2 (50.0%)"],
    ]
    by_kind = table(page, "Completeness by kind of service point")
    assert by_kind[0][0] == "Kind"
    assert by_kind[1:] == [
        ["In-person service centre", "2"]
        + ["1 (50.0%)", "2 (100.0%)", "1 (50.0%)", "1 (50.0%)"]
        + ["1 (50.0%)"] * 3
        + ["1 (50.0%)"],
        ["Self-service kiosk", "2"]
        + ["2 (100.0%)", "1 (50.0%)", "1 (50.0%)", "1 (50.0%)"]
        + ["0 (0.0%)"] * 3
        + ["1 (50.0%)"],
        by_kind[-1],
    ]
    assert by_kind[-1][:2] == ["Total", "4"]


def test_points_of_other_governments_in_the_province(
    client, analyst, ontario_points, federal_point
):
    client.force_login(analyst)

    page = client.get("/en/quality/ON/").content.decode()

    assert "Also located in this province or territory: 1 active point of another" in page
    # The federal point counts on the federal page, not Ontario's.
    federal = client.get("/en/quality/CA/").content.decode()
    assert "1 active service point of this jurisdiction" in federal


def test_a_jurisdiction_without_points(client, analyst):
    client.force_login(analyst)

    page = client.get("/en/quality/NU/").content.decode()

    assert "0 active service points" in page
    total = table(page, "Completeness by organization")[-1]
    assert total[:3] == ["Total", "0", "—no active points"]
    assert "No service points here yet." in page


# Not verified in 12 months


def test_not_verified_list_boundaries_and_order(client, analyst, ontario_points, today):
    client.force_login(analyst)
    points = ontario_points

    page = client.get("/en/quality/ON/").content.decode()

    cutoff = formats.date_format(today - timedelta(days=365), "DATE_FORMAT")
    assert f"2 active points were never verified or were last verified before {cutoff}." in page
    caption = "Points not verified in 12 months, page 1 of 1"
    rows = table(page, caption)
    # Oldest first: never verified, then 366 days ago; 365 days ago and today are not listed.
    assert [row[0] for row in rows[1:]] == ["Kiosk without languages", "Bare centre"]
    assert rows[1][-1] == "never"
    newest_first = client.get("/en/quality/ON/?sort=-last_verified").content.decode()
    assert [row[0] for row in table(newest_first, caption)[1:]] == [
        "Bare centre",
        "Kiosk without languages",
    ]
    assert 'aria-sort="descending"' in newest_first
    # Analysts cannot edit: names open the point on the map.
    links = dict((text, href) for href, text in Tables(page).links)
    assert links["Kiosk without languages"] == f"/en/map/?point={points['kiosk'].pk}"


def test_not_verified_list_is_paged(client, analyst, serviceontario, ontario, monkeypatch):
    for number in range(3):
        make_point(serviceontario, ontario, f"Never verified {number}")
    monkeypatch.setattr(views, "NOT_VERIFIED_PAGE_SIZE", 2)
    client.force_login(analyst)

    first = client.get("/en/quality/ON/").content.decode()
    second = client.get("/en/quality/ON/?page=2").content.decode()

    assert len(table(first, "Points not verified in 12 months, page 1 of 2")) == 3
    assert 'href="?sort=last_verified&amp;page=2#stale-title"' in first
    assert len(table(second, "Points not verified in 12 months, page 2 of 2")) == 2


def test_editors_get_links_to_the_admin(client, ontario_editor, ontario_points):
    client.force_login(ontario_editor)

    page = client.get("/en/quality/ON/").content.decode()

    links = dict((text, href) for href, text in Tables(page).links)
    bare = ontario_points["bare"]
    assert links["Bare centre"] == f"/en/admin/servicepoints/servicepoint/{bare.pk}/change/"
    assert "Each name opens the point in the administration." in page


# Last refresh per source


def run(source, status, applied_at=None, applied_by=None, **counts):
    return ImportRun.objects.create(
        data_source=source,
        file="imports/2026/01/locations.csv",
        file_name="locations.csv",
        checksum="0" * 64,
        status=status,
        applied_at=applied_at,
        applied_by=applied_by,
        counts=counts,
    )


def test_last_refresh_is_the_latest_applied_run(
    client, analyst, data_admin, ontario_points, ontario_open_data
):
    applied = ImportRun.Status.APPLIED
    run(ontario_open_data, applied, datetime(2026, 1, 10, 9, 0, tzinfo=TORONTO), data_admin)
    run(
        ontario_open_data,
        applied,
        datetime(2026, 3, 2, 14, 30, tzinfo=TORONTO),
        data_admin,
        created=4,
        updated=12,
        closed=1,
        errors=0,
    )
    # Newer, but their data is not what the points hold: never applied, or undone.
    run(ontario_open_data, ImportRun.Status.VALIDATED)
    run(ontario_open_data, ImportRun.Status.FAILED)
    run(
        ontario_open_data,
        ImportRun.Status.UNDONE,
        datetime(2026, 4, 1, 8, 0, tzinfo=TORONTO),
        data_admin,
    )
    client.force_login(analyst)

    page = client.get("/en/quality/ON/").content.decode()

    rows = table(page, "Data sources of these points and their last applied import")
    assert rows[0] == [
        "Data source",
        "Authority",
        "Licence",
        "Demonstration data",
        "Points",
        "Last refresh",
    ]
    assert rows[1] == ["Court addresses (demonstration)", "Ministry of the Attorney General"] + [
        "—",
        "yes",
        "1",
        "never refreshed by import",
    ]
    assert rows[2][:5] == [
        "ServiceOntario locations",
        "Government of Ontario",
        "Open Government Licence – Ontario",
        "no",
        "2",
    ]
    assert rows[2][5] == (
        f"March 2, 2026, 2:30 p.m. by {data_admin.username} New: 4; Changed: 12; "
        "Closed (missing from the file): 1"
    )
    # The kiosk; the closed centre has none either but is left out with the closed points.
    assert "1 point has no data source (entered by hand)." in page


# Access


def test_index_lists_only_what_the_user_may_read(
    client, ontario_editor, analyst, ontario_points, new_brunswick_point
):
    client.force_login(ontario_editor)

    page = client.get("/en/quality/").content.decode()

    rows = table(page, "Data quality by jurisdiction")
    assert rows[1:] == [["Ontario (ON)", "4", "62.5% (10 of 16)", "2 (50.0%)"]]

    client.force_login(analyst)
    rows = table(client.get("/en/quality/").content.decode(), "Data quality by jurisdiction")
    assert rows[1][0] == "Government of Canada (CA)"  # federal first
    assert len(rows) == 1 + 14
    # Languages only: no hours, photo or services.
    assert ["New Brunswick (NB)", "1", "25.0% (1 of 4)", "1 (100.0%)"] in rows


@pytest.mark.parametrize("code", ["NB", "CA", "XX"])
def test_editor_gets_404_for_another_jurisdiction(
    client, ontario_editor, new_brunswick_point, code
):
    client.force_login(ontario_editor)

    assert client.get(f"/en/quality/{code}/").status_code == 404


def test_editor_sees_only_points_they_may_read(
    client, ontario_editor, ontario_points, federal_point
):
    client.force_login(ontario_editor)

    page = client.get("/en/quality/ON/").content.decode()

    assert "4 active service points" in page
    # The federal point in Ottawa is not theirs to read: not even counted.
    assert "other governments" not in page and "another government" not in page


def test_data_administrators_see_every_jurisdiction(client, data_admin, new_brunswick_point):
    client.force_login(data_admin)

    assert client.get("/en/quality/NB/").status_code == 200
    assert client.get("/en/quality/CA/").status_code == 200


def test_queries_do_not_grow_with_the_points(
    client, analyst, ontario_points, serviceontario, ontario, django_assert_max_num_queries
):
    client.force_login(analyst)
    client.get("/en/quality/ON/")  # the session and the user are loaded once
    for number in range(20):
        make_point(serviceontario, ontario, f"More {number}", kind=Kind.MOBILE)

    with django_assert_max_num_queries(14):
        assert client.get("/en/quality/ON/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/en/quality/").status_code == 200


# French


def test_page_in_french(client, analyst, ontario_points, today):
    client.force_login(analyst)

    page = client.get("/fr/qualite/ON/").content.decode()

    assert '<html lang="fr">' in page
    assert "Qualité des données : Ontario" in page.replace("\xa0", " ")
    rows = table(page, "Points actifs ayant chaque renseignement")
    assert rows[1] == ["Heures d’ouverture", "75,0\xa0% (3 sur 4)"]
    assert rows[4] == ["Au moins un service", "50,0\xa0% (2 sur 4)"]
    by_organization = table(page, "Exhaustivité par organisation")
    assert by_organization[0][:3] == ["Organisation", "Points actifs", "Heures d’ouverture"]
    assert by_organization[1][:3] == ["ServiceOntario", "3", "2 (66,7\xa0%)"]  # sorted in French
    assert table(page, "Exhaustivité par type de point de service")[1][0] == "Borne libre-service"
    stale = table(page, "Points non vérifiés depuis 12 mois, page 1 sur 1")
    assert stale[1][-1] == "jamais"
    assert re.search(r"avant le \d{1,2} \w+ \d{4}", page)
    index = client.get("/fr/qualite/").content.decode()
    assert "Qualité des données par administration" in index
