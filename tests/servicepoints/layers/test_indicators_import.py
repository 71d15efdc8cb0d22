"""import_indicators: Census Profiles (2016 real, 2021 layout), long and wide tables."""

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from servicepoints.layers.importing.indicators import import_indicators
from servicepoints.layers.models import Area, AreaLevel, IndicatorValue
from servicepoints.models import DataVersion
from tests.conftest import shared_file

from .profiles import write_profile_2021

pytestmark = pytest.mark.django_db

HR_PROFILE = "census_2016_hr_profile_head5000.csv"


def area(level, code, year, name="", dguid=""):
    box = Polygon.from_bbox((-76.0, 45.0, -75.9, 45.1))
    return Area.objects.create(
        level=AreaLevel.objects.get(code=level),
        year=year,
        code=code,
        dguid=dguid,
        name_en=name or code,
        name_fr=name or code,
        geometry=MultiPolygon(box, srid=4326),
    )


def values_of(code):
    return {
        value.indicator.code: (value.value, value.status, value.quality_flag)
        for value in IndicatorValue.objects.filter(area__code=code).select_related("indicator")
    }


def texts(result):
    return [issue.text() for issue in result.issues]


def test_the_real_2016_profile_gives_the_published_figures_of_a_province():
    path = shared_file(HR_PROFILE)
    area("province", "10", 2016, "Newfoundland and Labrador")
    result = import_indicators(path, "province", geo_level="1")
    assert not result.refused, texts(result)
    assert result.layout == "census-profile-2016"
    got = values_of("10")
    # The published figures for Newfoundland and Labrador, 2016 (98-401-X2016058).
    assert got["population"] == (519716, "", "00000")
    assert got["total_private_dwellings"][0] == 265739
    assert got["occupied_private_dwellings"][0] == 218673
    assert got["median_income_individuals"][0] == 31754
    assert got["median_income_households"][0] == 67272
    assert got["participation_rate"][0] == 58.7
    assert got["employment_rate"][0] == 49.5
    assert got["unemployment_rate"][0] == 15.6
    assert got["low_income_share"][0] == 15.4
    # 65 and over (Member 24: 101,030) over the age groups' total (Member 8: 519,720), not
    # the rounded 19.4 % of Member 37 nor the low-income table's "65 years and over".
    assert got["seniors_share"][0] == pytest.approx(100 * 101030 / 519720, abs=1e-3)
    # Canada (GEO_LEVEL 0) and the health region cut short are left out, and said.
    assert not IndicatorValue.objects.exclude(area__code="10").exists()
    assert any("01 Canada" in text and "1011" in text for text in texts(result))


def test_a_re_import_of_the_same_profile_changes_nothing_not_even_the_data_version():
    path = shared_file(HR_PROFILE)
    area("province", "10", 2016)
    first = import_indicators(path, "province", geo_level="1")
    version = DataVersion.current("layers")
    again = import_indicators(path, "province", geo_level="1")
    assert (again.created, again.changed, again.unchanged) == (0, 0, first.created)
    assert DataVersion.current("layers") == version


def test_an_area_cut_short_at_the_end_of_the_file_is_never_read_as_a_whole_area():
    path = shared_file(HR_PROFILE)
    area("hr", "1011", 2016, "Eastern Regional Health Authority")
    result = import_indicators(path, "hr", geo_level="2")
    assert result.refused  # nothing is left to import
    codes = [issue.code for issue in result.issues]
    assert "incomplete_area" in codes
    incomplete = next(issue for issue in result.issues if issue.code == "incomplete_area")
    assert "505" in incomplete.text() and "2247" in incomplete.text()
    assert not IndicatorValue.objects.exists()


def test_keep_picks_the_characteristics_and_a_profile_year_is_checked(tmp_path):
    path = shared_file(HR_PROFILE)
    area("province", "10", 2016)
    result = import_indicators(path, "province", geo_level="1", keep=["population"])
    assert set(values_of("10")) == {"population"}
    wrong = import_indicators(path, "province", geo_level="1", year=2021)
    assert wrong.refused
    assert "2016" in texts(wrong)[0] and "2021" in texts(wrong)[0]
    assert result.created == 1


def profile_2021(tmp_path, **kwargs):
    areas = [
        ("2021A00053506008", "3506008", "2", "Ottawa", "0",
         {1: 1017449, 4: 434176, 5: 419683, 8: 1017450, 24: 165850, 113: 48800, 243: 91000,
          345: 9.5, 2014: 555600, 2015: 33300, 2228: 66.8, 2229: 60.3, 2230: 9.7}),
        ("2021A00052466023", "2466023", "2", "Montréal", "1",
         {1: 1762949, 4: 850000, 5: ("", "x"), 8: 1762950, 24: ("", "F"), 113: 35200,
          2228: 63.1}),
    ]  # fmt: skip
    return write_profile_2021(tmp_path / "98-401-X2021006_English_CSV_data.csv", areas, **kwargs)


def test_a_2021_profile_in_windows_1252_keeps_symbols_as_not_available(tmp_path):
    ottawa = area("csd", "3506008", 2021, "Ottawa", dguid="2021A00053506008")
    montreal = area("csd", "2466023", 2021, "Montréal")
    result = import_indicators(profile_2021(tmp_path), "csd")
    assert not result.refused, texts(result)
    assert result.layout == "census-profile-2021"
    got = values_of("3506008")
    assert got["population"] == (1017449, "", "0")
    assert got["median_income_households"][0] == 91000  # "household", the 2021 spelling
    assert got["seniors_share"][0] == pytest.approx(100 * 165850 / 1017450, abs=1e-3)
    assert got["no_diploma_share"][0] == pytest.approx(100 * 33300 / 555600, abs=1e-3)
    montreal_values = values_of("2466023")
    assert montreal_values["occupied_private_dwellings"] == (None, "x", "1")
    assert montreal_values["seniors_share"][:2] == (None, "F")  # its count is too unreliable
    assert montreal_values["unemployment_rate"][:2] == (None, "..")  # an empty cell
    assert not IndicatorValue.objects.filter(value=0).exists()
    assert montreal.name_en == "Montréal" and ottawa.pk


def test_a_characteristic_the_catalogue_lacks_is_read_by_its_number(tmp_path):
    area("csd", "3506008", 2021, dguid="2021A00053506008")
    area("csd", "2466023", 2021)
    result = import_indicators(
        profile_2021(tmp_path),
        "csd",
        keep=["population"],
        characteristics={"2": "population"},  # Population, 2016 instead of 2021
    )
    assert not result.refused, texts(result)
    assert values_of("3506008")["population"][1] == ".."  # no 2016 figure in the fixture


def test_a_bad_value_refuses_the_file_naming_row_and_column_in_both_languages(tmp_path):
    area("csd", "3506008", 2021)
    area("csd", "2466023", 2021)
    path = profile_2021(tmp_path)
    text = path.read_text(encoding="cp1252").replace(",66.8,", ",sixty,")
    path.write_text(text, encoding="cp1252")
    result = import_indicators(path, "csd")
    assert result.refused
    bad = next(issue for issue in result.issues if issue.code == "not_a_number")
    assert bad.row == 15 and bad.column == "C1_COUNT_TOTAL" and bad.value == "sixty"
    assert "98-401-X2021006_English_CSV_data.csv, row 15, column C1_COUNT_TOTAL" in bad.text()
    with translation.override("fr"):
        assert "ligne 15" in bad.text() and "sixty" in bad.text()
    assert not IndicatorValue.objects.exists()


def test_areas_not_loaded_refuse_the_file_unless_they_are_created(tmp_path):
    area("csd", "3506008", 2021)
    path = profile_2021(tmp_path)
    refused = import_indicators(path, "csd")
    assert refused.refused
    assert "2466023 Montréal" in texts(refused)[-1]
    assert not IndicatorValue.objects.exists()
    created = import_indicators(path, "csd", create_areas=True)
    assert not created.refused and created.areas_created == 1
    new = Area.objects.get(code="2466023")
    assert new.geometry is None and new.name_en == "Montréal" and new.province_code == "24"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_long_table_with_symbols_a_year_filter_and_unknown_indicators(tmp_path):
    area("fsa", "K1A", 2016)
    area("fsa", "K2P", 2016)
    path = write(
        tmp_path,
        "long.csv",
        "area_code,indicator,year,value\nK1A,population,2016,589\nK2P,population,2016,x\n"
        "K1A,population,2011,600\nK2P,unemployment_rate,2016,7.5\n",
    )
    result = import_indicators(path, "fsa", year=2016)
    assert not result.refused, texts(result)
    assert values_of("K1A") == {"population": (589, "", "")}
    assert values_of("K2P")["population"] == (None, "x", "")
    bad = write(tmp_path, "bad.csv", "area_code,indicator,year,value\nK1A,populaton,2016,5\n")
    refused = import_indicators(bad, "fsa")
    assert refused.refused
    assert "bad.csv, row 2, column indicator" in texts(refused)[0]
    assert "populaton" in texts(refused)[0]


def test_a_value_given_twice_is_an_error_naming_both_rows(tmp_path):
    area("fsa", "K1A", 2016)
    path = write(
        tmp_path,
        "twice.csv",
        "area_code,indicator,year,value\nK1A,population,2016,589\nK1A,population,2016,590\n",
    )
    result = import_indicators(path, "fsa")
    assert result.refused
    assert "rows 2, 3" in texts(result)[0]
    assert not IndicatorValue.objects.exists()


def test_the_real_fsa_table_loads_every_fsa_and_leaves_the_national_total_out():
    path = shared_file("census_2016_fsa_population_dwellings.csv")
    area("fsa", "M5V", 2016)
    refused = import_indicators(path, "fsa")
    assert refused.refused  # the other 1,640 FSAs are not loaded
    result = import_indicators(path, "fsa", create_areas=True)
    assert not result.refused, texts(result)
    assert result.layout == "wide"
    assert result.areas == 1641 and result.values == 3 * 1641
    assert values_of("M5V")["population"][0] == 49195
    assert values_of("M5V")["total_private_dwellings"][0] == 35058
    assert not Area.objects.filter(code="01").exists()
    assert any("01 Canada" in text for text in texts(result))


def test_a_wide_table_maps_its_columns_and_takes_its_year_from_a_column(tmp_path):
    path = shared_file("census_divisions_2021_population.csv")
    area("cd", "3506", 2021, "Ottawa", dguid="2021A00033506")
    result = import_indicators(
        path,
        "cd",
        keep=["population_density", "population"],
        columns={"population_density_per_km2": "population_density"},
        create_areas=True,
    )
    assert not result.refused, texts(result)
    assert result.year == 2021 and result.areas == 293 and result.areas_created == 292
    got = values_of("3506")
    assert got["population"][0] > 1_000_000 and 0 < got["population_density"][0] < 1000


def test_the_command_reports_and_refuses_with_a_command_error(tmp_path, capsys):
    area("fsa", "K1A", 2016)
    good = write(tmp_path, "good.csv", "area_code,indicator,year,value\nK1A,population,2016,5\n")
    call_command("import_indicators", str(good), "--level", "fsa")
    assert "1 created, 0 changed, 0 unchanged" in capsys.readouterr().out
    bad = write(tmp_path, "bad.csv", "area_code,indicator,year,value\nK1A,population,2016,?\n")
    with pytest.raises(CommandError, match="bad.csv was refused; nothing was changed"):
        call_command("import_indicators", str(bad), "--level", "fsa")
    assert "bad.csv, row 2, column value" in capsys.readouterr().err
    with pytest.raises(CommandError, match="--column wants LEFT=CODE"):
        call_command("import_indicators", str(good), "--level", "fsa", "--column", "x")


def upload(tmp_path, name, text):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_the_admin_screen_imports_and_shows_a_refusal_with_its_rows(admin_client, tmp_path):
    from django.urls import reverse

    area("fsa", "K1A", 2016)
    url = reverse("admin:layers_indicatorvalue_import")
    assert (
        url.encode() in admin_client.get(reverse("admin:layers_indicatorvalue_changelist")).content
    )
    bad = "area_code,indicator,year,value\nK1A,population,2016,589\nK9Z,population,2016,3\n"
    page = admin_client.post(url, {"file": upload(tmp_path, "fsa.csv", bad), "level": "fsa"})
    text = page.content.decode()
    assert "The file was refused; nothing was changed." in text
    assert "1 areas are not loaded at the level “fsa” for 2016: K9Z" in text
    assert not IndicatorValue.objects.exists()
    good = "area_code,indicator,year,value\nK1A,population,2016,589\nK1A,employment_rate,2016,x\n"
    page = admin_client.post(
        url,
        {"file": upload(tmp_path, "fsa.csv", good), "level": "fsa", "keep": ["population"]},
        follow=True,
    )
    assert "sa.csv: 1 values for 1 areas: 1 created, 0 changed" in page.content.decode()
    assert values_of("K1A") == {"population": (589, "", "")}


def test_the_admin_screen_needs_the_permission(client, analyst):
    from django.urls import reverse

    client.force_login(analyst)
    response = client.get(reverse("admin:layers_indicatorvalue_import"))
    assert response.status_code in (302, 403)
    assert not IndicatorValue.objects.exists()


def test_a_wide_table_in_a_workbook(tmp_path):
    from openpyxl import Workbook

    area("fsa", "K1A", 2016)
    area("fsa", "K2P", 2016)
    book = Workbook()
    sheet = book.active
    sheet.append(["Geographic code", "Population, 2016", "Unemployment rate"])
    sheet.append(["K1A", 589, "F"])
    sheet.append(["K2P", 19_000, 6.1])
    path = tmp_path / "fsa_2016.xlsx"
    book.save(path)
    result = import_indicators(path, "fsa")
    assert not result.refused, texts(result)
    assert result.layout == "wide" and result.year == 2016
    assert values_of("K1A") == {"population": (589, "", ""), "unemployment_rate": (None, "F", "")}
    assert values_of("K2P")["unemployment_rate"][0] == 6.1
