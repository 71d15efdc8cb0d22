"""The dashboard: its figures against SQL, the map's filters, who sees what, the exports and
the cards each user chooses."""

import csv
import io
import math

import pytest
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import translation
from openpyxl import load_workbook

from servicepoints.analysis.dashboard import build, cards, views
from servicepoints.analysis.dashboard.preferences import DashboardPreference
from servicepoints.analysis.forecast.importer import import_channel_statistics
from servicepoints.analysis.forecast.predict import forecast_all
from servicepoints.models import Kind, PopulatedPlace, ServicePoint, Status
from tests.servicepoints.analysis.channel_data import HEADER, contact_centre, monthly_rows, write  # noqa: F401
from tests.servicepoints.analysis.test_coverage import fsa

pytestmark = pytest.mark.django_db

URL = "/en/dashboard/"


@pytest.fixture(autouse=True)
def no_card_cache(settings):
    """Each test computes its cards (test transactions roll data versions back, so another
    test's cached cards could carry the same key); the cache's own tests switch it on."""
    settings.DASHBOARD_CACHE_SECONDS = 0


@pytest.fixture
def network(ontario_point, new_brunswick_point, federal_point, serviceontario, ontario):
    """Eleven points: Ontario's (one closed, one kiosk, two call centres), Service Canada's
    in Ottawa, New Brunswick's."""
    kinds = [Kind.KIOSK, Kind.CALL_CENTRE, Kind.CALL_CENTRE, Kind.CENTRE, Kind.CENTRE]
    kinds += [Kind.OUTREACH, Kind.CENTRE, Kind.CENTRE]
    for number, kind in enumerate(kinds):
        ServicePoint.objects.create(
            name_en=f"ServiceOntario {number}", name_fr=f"ServiceOntario {number}",
            organization=serviceontario, kind=kind, province=ontario,
            location=Point(-79.38 + number / 100, 43.65, srid=4326),
            status=Status.CLOSED if number == 3 else Status.OPEN,
            phone="+1 416 555 0100" if number % 2 else "",
        )  # fmt: skip
    return ServicePoint.objects.all()


def sql_counts(group, where="true", params=()):
    """{group value: points} straight from the tables: the reference for the cards."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT {group}, count(*) FROM servicepoints_servicepoint p
                JOIN servicepoints_organization o ON o.id = p.organization_id
                JOIN servicepoints_jurisdiction j ON j.id = o.jurisdiction_id
                WHERE {where} GROUP BY 1""",  # noqa: S608 -- the test's own SQL
            params,
        )
        return dict(cursor.fetchall())


def table(response, key):
    """The Table of one card of the page."""
    return next(t for card, t in response.context["cards"] if card.key == key)


def first_column(table_, column=1):
    return {row[0]: row[column] for row in table_.rows}


# Addresses and access


def test_urls_round_trip():
    with translation.override("en"):
        assert reverse("dashboard:dashboard") == "/en/dashboard/"
        assert reverse("dashboard:export", args=["kinds", "csv"]) == "/en/dashboard/kinds.csv"
        assert reverse("dashboard:preferences") == "/en/dashboard/preferences/"
    for language, path in (("en", "/en/dashboard/"), ("fr", "/fr/dashboard/")):
        with translation.override(language):
            assert resolve(path).func is views.dashboard


@pytest.mark.parametrize("path", [URL, "/en/dashboard/kinds.csv", "/en/dashboard/levels.xlsx"])
def test_anonymous_visitors_are_sent_to_log_in(client, network, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/en/accounts/login/?next={path}"


def test_anonymous_visitors_save_no_preference(client):
    response = client.post("/en/dashboard/preferences/", {"order": ["kinds"], "show": []})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not DashboardPreference.objects.exists()


def test_the_header_links_to_the_dashboard_from_the_map(client, analyst):
    client.force_login(analyst)
    page = client.get("/en/map/").content.decode()
    assert 'href="/en/dashboard/" data-keeps-filters' in page


def test_an_editor_counts_only_their_own_jurisdiction(client, ontario_editor, network):
    client.force_login(ontario_editor)
    response = client.get(URL)
    assert first_column(table(response, "jurisdictions")) == {"Ontario (ON)": 9}
    # Asking for another jurisdiction's points gives none, not its count.
    response = client.get(URL, {"jurisdiction": "NB"})
    assert table(response, "jurisdictions").rows == []
    assert "No service point matches the filters." in response.content.decode()
    lines = list(csv.reader(io.StringIO(export(client, "jurisdictions", "csv"))))
    assert [line[0] for line in lines[1:]] == ["Ontario (ON)", "Total"]


def test_a_user_without_a_role_or_jurisdiction_sees_no_point(client, make_user, network):
    client.force_login(make_user("nobody"))
    response = client.get(URL)
    assert response.status_code == 200
    assert table(response, "levels").rows == []


# Figures


def test_points_by_jurisdiction_level_and_kind_equal_sql_counts(client, analyst, network):
    client.force_login(analyst)
    response = client.get(URL)
    assert response.status_code == 200
    by_code = {
        code: count
        for label, count in first_column(table(response, "jurisdictions")).items()
        for code in [label.rsplit("(", 1)[1].rstrip(")")]
    }
    assert by_code == sql_counts("j.code") == {"ON": 9, "NB": 1, "CA": 1}
    levels = first_column(table(response, "levels"))
    assert levels == {"Provincial": 10, "Federal": 1}
    assert sql_counts("j.level") == {"provincial": 10, "federal": 1}
    kinds = first_column(table(response, "kinds"))
    assert kinds["Call centre"] == sql_counts("p.kind")["call_centre"] == 2
    assert sum(kinds.values()) == 11
    assert table(response, "kinds").footer == [["Total", 11, 100.0]]
    # The share column: 9 of 11.
    assert first_column(table(response, "jurisdictions"), 2)["Ontario (ON)"] == 81.8
    page = response.content.decode()
    assert '<th scope="row">Ontario (ON)</th><td class="number">9</td>' in page


def test_the_map_filters_choose_the_points(client, analyst, network):
    client.force_login(analyst)
    # The map's own address: its view and panels are ignored, its filters kept.
    response = client.get(
        URL + "?z=5&lat=45&lon=-75&panel=summary&kind=centre,kiosk&level=provincial"
    )
    expected = sql_counts("j.code", "p.kind IN ('centre', 'kiosk') AND j.level = 'provincial'")
    by_label = first_column(table(response, "jurisdictions"))
    assert by_label == {"Ontario (ON)": expected["ON"], "New Brunswick (NB)": expected["NB"]}
    page = response.content.decode()
    assert "<dt>Kind</dt><dd>in-person service centre, self-service kiosk</dd>" in page
    # The link back to the map keeps the filters.
    assert 'href="/en/map/?z=5&amp;lat=45&amp;lon=-75&amp;panel=summary&amp;kind=' in page


def test_a_group_unticked_on_the_map_matches_nothing(client, analyst, network):
    client.force_login(analyst)
    response = client.get(URL, {"level": ""})
    assert all(not t.rows for _card, t in response.context["cards"])
    assert "every box unticked" in response.content.decode()


def test_a_bad_filter_is_refused_naming_it(client, analyst, network):
    client.force_login(analyst)
    response = client.get(URL, {"kind": "spaceport"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "<code>kind</code>: Unknown value: spaceport." in page
    assert response.context["cards"] == []
    assert client.get("/en/dashboard/kinds.csv", {"kind": "spaceport"}).status_code == 400


def test_coverage_by_province_against_the_standard(
    client, analyst, ontario_point, new_brunswick_point
):
    """The coverage test's demand: Ottawa at the point, two areas 31 and 80 km east (one
    suppressed), Fredericton at New Brunswick's point."""
    fsa("K1P", -75.6972, 45.4215, 1000)
    fsa("K0A", -75.30, 45.4215, 200)
    fsa("K0B", -74.67, 45.4215, 30)
    fsa("K0C", -74.90, 45.4215, None)
    fsa("E3B", -66.6431, 45.9636, 4000, province="13")
    client.force_login(analyst)
    coverage = table(client.get(URL), "coverage")
    rows = {row[0]: row[1:] for row in coverage.rows}
    # population, within 50 km, share, target, meets the standard
    assert rows["Ontario"] == [1230, 1200, pytest.approx(97.56, abs=0.01), 90, True]
    assert rows["New Brunswick"] == [4000, 4000, 100.0, 90, True]
    assert coverage.footer[0][:3] == ["Canada", 5230, 5200]
    assert any("1 areas without a population value" in note for note in coverage.notes)
    # Only Service New Brunswick's points: Ontario misses the standard.
    coverage = table(client.get(URL, {"organization": "service-new-brunswick"}), "coverage")
    assert {row[0]: row[5] for row in coverage.rows}["Ontario"] is False


def test_underserved_communities_are_those_beyond_the_distance(
    client, analyst, ontario_point, ontario
):
    for name, lon in (("Near", -75.6), ("Far", -74.0)):
        PopulatedPlace.objects.create(
            name=name, province=ontario, location=Point(lon, 45.4215, srid=4326),
            population=500, gazetteer="test", external_id=name,
        )  # fmt: skip
    client.force_login(analyst)
    underserved = table(client.get(URL), "underserved")
    assert [row[0] for row in underserved.rows] == ["Far"]
    assert underserved.rows[0][4] == pytest.approx(132.5, abs=0.5)  # km to the Ottawa point


def test_completeness_of_the_active_points(client, analyst, network):
    client.force_login(analyst)
    completeness = table(client.get(URL), "completeness")
    ontario = next(row for row in completeness.rows if row[0] == "Ontario (ON)")
    # Ontario's active points (the closed one left out) and the share with a phone number.
    active = sql_counts("j.code", "p.status <> 'closed'")["ON"]
    with_phone = sql_counts("j.code", "p.status <> 'closed' AND p.phone <> ''")["ON"]
    phone = completeness.header().index("Phone (%)")
    assert ontario[1] == active == 8
    assert ontario[phone] == round(100 * with_phone / active, 1)
    assert completeness.footer[0][1] == 10


def test_the_channel_card_says_no_statistics_are_loaded(client, analyst, network):
    client.force_login(analyst)
    response = client.get(URL)
    assert table(response, "channels").rows == []
    assert "No channel statistics for the selected points" in response.content.decode()


def test_the_channel_card_shows_each_lines_forecast_and_back_test(
    client,
    analyst,
    new_brunswick_editor,
    network,
    contact_centre,  # noqa: F811
    tmp_path,
):
    def growing(i):
        return round((1000 + 20 * i) * (1 + 0.3 * math.cos(2 * math.pi * i / 12)))

    rows = monthly_rows("Growing line", 2016, 48, growing)
    rows += monthly_rows("Old line DISCONTINUED", 2016, 30, lambda i: 500)
    # The network's fixtures give ServiceOntario two call centres besides this one.
    path = write(tmp_path, HEADER + rows)
    result = import_channel_statistics(
        path, organization="serviceontario", point=str(contact_centre.pk)
    )
    assert result.created == 78, result.issues
    expected = {result.series.line.name: result.as_dict() for result in forecast_all()}
    client.force_login(analyst)
    channels = table(client.get(URL), "channels")
    by_line = {row[0]: row for row in channels.rows}
    assert set(by_line) == {"Growing line", "Old line"}
    growing_row, forecast = by_line["Growing line"], expected["Growing line"]
    assert growing_row[3] == sum(growing(i) for i in range(36, 48))
    assert growing_row[4] == round(sum(month["value"] for month in forecast["forecast"]))
    assert growing_row[6] == forecast["backtest"]["mape_model"]
    assert growing_row[7] == forecast["backtest"]["mape_naive"]
    assert growing_row[8] is True  # the model follows the growth, the naive guess lags a year
    assert by_line["Old line"][1] == "discontinued" and by_line["Old line"][4] is None
    assert channels.chart_data()["labels"][0] == "Growing line"
    # Another jurisdiction's editor reads none of ServiceOntario's statistics.
    client.force_login(new_brunswick_editor)
    assert table(client.get(URL), "channels").rows == []
    # The map's filters apply: service centres only, no call centre, no statistics.
    client.force_login(analyst)
    assert table(client.get(URL + "?kind=centre"), "channels").rows == []
    assert len(table(client.get(URL + "?kind=call_centre"), "channels").rows) == 2


# Exports


def export(client, key, extension, query=None):
    response = client.get(f"/en/dashboard/{key}.{extension}", query or {})
    assert response.status_code == 200
    assert f'filename="dashboard-{key}-' in response["Content-Disposition"]
    if extension == "csv":
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content


def test_csv_export_is_the_cards_table(client, analyst, network):
    client.force_login(analyst)
    lines = list(csv.reader(io.StringIO(export(client, "kinds", "csv", {"level": "provincial"}))))
    assert lines[0] == ["Kind", "Points", "Share (%)"]
    counts = sql_counts("p.kind", "j.level = 'provincial'")
    assert {line[0]: int(line[1]) for line in lines[1:-1]}["Call centre"] == counts["call_centre"]
    assert lines[-1] == ["Total", "10", "100"]


def test_xlsx_export_writes_numbers_as_numbers(client, analyst, network):
    client.force_login(analyst)
    book = load_workbook(io.BytesIO(export(client, "jurisdictions", "xlsx")))
    rows = list(book.active.iter_rows(values_only=True))
    assert book.active.title == "Service points by jurisdiction"
    assert rows[0] == ("Jurisdiction", "Points", "Share (%)")
    assert ("Ontario (ON)", 9, 81.8) in rows
    assert rows[-1] == ("Total", 11, 100)


def test_an_unknown_table_or_format_is_not_found(client, analyst):
    client.force_login(analyst)
    assert client.get("/en/dashboard/spaceports.csv").status_code == 404
    assert client.get("/en/dashboard/kinds.pdf").status_code == 404


# The cards each user chooses


def shown_keys(response):
    return [card.key for card, _table in response.context["cards"]]


def test_cards_hidden_and_moved_are_saved_for_the_user(client, analyst, ontario_editor, network):
    client.force_login(analyst)
    order = list(cards.CARD_KEYS)
    shown = [key for key in order if key != "underserved"]
    response = client.post(
        "/en/dashboard/preferences/",
        {"order": order, "show": shown, "move": "up:coverage", "query": "kind=centre"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/dashboard/?kind=centre#card-choice-coverage"
    saved = DashboardPreference.objects.get(user=analyst)
    assert saved.order[:4] == ["jurisdictions", "levels", "coverage", "kinds"]
    assert saved.hidden == ["underserved"]
    keys = shown_keys(client.get(URL))
    assert keys == ["jurisdictions", "levels", "coverage", "kinds", "completeness", "channels"]
    # Another user keeps every card in the first order.
    client.force_login(ontario_editor)
    assert shown_keys(client.get(URL)) == cards.CARD_KEYS


def test_moving_the_last_card_down_or_an_unknown_key_changes_nothing(client, analyst):
    client.force_login(analyst)
    client.post(
        "/en/dashboard/preferences/",
        {
            "order": ["spaceports", *cards.CARD_KEYS],
            "show": cards.CARD_KEYS,
            "move": "down:channels",
        },
    )
    saved = DashboardPreference.objects.get(user=analyst)
    assert saved.order == cards.CARD_KEYS and saved.hidden == []


def test_reset_shows_every_card_in_the_first_order(client, analyst):
    DashboardPreference.objects.create(user=analyst, order=["channels"], hidden=["kinds"])
    client.force_login(analyst)
    client.post("/en/dashboard/preferences/", {"order": ["channels"], "reset": "1"})
    saved = DashboardPreference.objects.get(user=analyst)
    assert saved.order == cards.CARD_KEYS and saved.hidden == []


def test_a_card_added_since_the_users_choice_comes_last_and_shown(analyst):
    preference = DashboardPreference(user=analyst, order=["channels", "kinds"], hidden=["kinds"])
    arranged = [(card.key, shown) for card, shown in cards.arranged(preference)]
    assert arranged[:2] == [("channels", True), ("kinds", False)]
    assert arranged[2:] == [
        (key, True) for key in cards.CARD_KEYS if key not in ("channels", "kinds")
    ]


def test_hidden_cards_are_not_computed(client, analyst, network, django_assert_max_num_queries):
    everything = DashboardPreference.objects.create(user=analyst, hidden=[])
    client.force_login(analyst)
    with django_assert_max_num_queries(60):
        client.get(URL)
    everything.hidden = list(cards.CARD_KEYS)
    everything.save()
    response = client.get(URL)
    assert response.context["cards"] == []
    assert "Every card is hidden" in response.content.decode()


def test_preferences_take_only_post(client, analyst):
    client.force_login(analyst)
    assert client.get("/en/dashboard/preferences/").status_code == 405


# Building: the cache and the threads


def test_cards_are_cached_until_the_data_changes(
    client, analyst, network, settings, serviceontario, ontario
):
    settings.DASHBOARD_CACHE_SECONDS = 600
    cache.clear()
    client.force_login(analyst)
    with CaptureQueriesContext(connection) as first:
        assert table(client.get(URL), "levels").footer[0][1] == 11
    with CaptureQueriesContext(connection) as second:
        assert table(client.get(URL), "levels").footer[0][1] == 11
    assert len(second) < len(first) - 5  # the cards' statements are not run again
    # A write bumps the data version (a trigger, same transaction): the cards are recounted.
    ServicePoint.objects.create(
        name_en="ServiceOntario Kingston", name_fr="ServiceOntario Kingston",
        organization=serviceontario, location=Point(-76.48, 44.23, srid=4326), province=ontario,
    )  # fmt: skip
    assert table(client.get(URL), "levels").footer[0][1] == 12
    # Another scope, another key: an editor never reads the analyst's cards.
    client.force_login(make_editor())
    assert table(client.get(URL), "levels").footer[0][1] == 10


def make_editor():
    from django.contrib.auth.models import Group

    from servicepoints import roles
    from servicepoints.models import Jurisdiction, Membership

    user = get_user_model().objects.create_user("editor-on-cache", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.EDITORS))
    Membership.objects.create(user=user, jurisdiction=Jurisdiction.objects.get(code="ON"))
    return user


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_cards_built_side_by_side_equal_those_built_in_turn(analyst, network):
    """Outside a transaction the cards run in threads, each on its own connection."""
    from servicepoints.filters import PointFilter

    assert not connection.in_atomic_block
    selection = cards.Selection(analyst, PointFilter.no_filters())
    side_by_side = build.build(cards.CARDS, selection)
    in_turn = {
        card.key: card.build(cards.Selection(analyst, PointFilter.no_filters()))
        for card in cards.CARDS
    }
    assert {k: t.rows for k, t in side_by_side.items()} == {k: t.rows for k, t in in_turn.items()}
    assert side_by_side["jurisdictions"].rows[0] == ["Ontario (ON)", 9, 81.8]


def test_an_import_of_channel_statistics_refreshes_the_cached_channel_card(
    client,
    analyst,
    network,
    contact_centre,  # noqa: F811
    settings,
    tmp_path,
):
    settings.DASHBOARD_CACHE_SECONDS = 600
    cache.clear()
    client.force_login(analyst)
    assert table(client.get(URL), "channels").rows == []
    path = write(tmp_path, HEADER + monthly_rows("New line", 2018, 30, lambda i: 100 + i))
    import_channel_statistics(path, organization="serviceontario", point=str(contact_centre.pk))
    assert [row[0] for row in table(client.get(URL), "channels").rows] == ["New line"]
