"""load_layers over the real boundary files of the shared data folder."""

import pytest
from django.contrib.gis.db.models import Extent
from django.core.management import call_command

from servicepoints.layers.models import Area, AreaShape, IndicatorValue
from tests.conftest import shared_file

pytestmark = pytest.mark.django_db

HR_PROFILE = "census_2016_hr_profile_head5000.csv"
CD_TABLE = "census_divisions_2021_population.csv"


@pytest.fixture
def data_dir(tmp_path):
    """A data folder with the real provinces, Yukon CSD and PEI FSA files only (linked)."""
    (tmp_path / "csd_boundaries_2021").mkdir()
    (tmp_path / "fsa_boundaries_2016").mkdir()
    for name in (
        "canada_provinces.geojson",
        "csd_boundaries_2021/yukon-csd.geojson",
        "fsa_boundaries_2016/pe.json",
    ):
        (tmp_path / name).symlink_to(shared_file(name))
    return tmp_path


def test_loads_what_is_there_says_what_is_missing_and_reruns_unchanged(data_dir, capsys):
    call_command("load_layers", "--data-dir", str(data_dir))
    out = capsys.readouterr().out
    assert "Skipped bc_census_divisions_2011_bcalbers_shp.zip: not found in" in out
    assert "canada_provinces.geojson: 13 areas (province, 2016): 13 created" in out
    assert "yukon-csd.geojson: 35 areas (csd, 2021): 35 created" in out
    assert "pe.json: 7 areas (fsa, 2016): 7 created" in out
    assert Area.objects.get(level__code="province", code="60").name_fr == "Yukon"
    assert Area.objects.get(level__code="fsa", code="C1A").province_code == "11"
    shapes = AreaShape.objects.count()
    assert shapes == 13 * 4 + 35 * 3 + 7 * 3
    call_command("load_layers", "--data-dir", str(data_dir))
    out = capsys.readouterr().out
    assert "13 areas (province, 2016): 0 created, 0 updated, 13 unchanged" in out
    assert "Display shapes" not in out and AreaShape.objects.count() == shapes


def test_real_bc_albers_shapefile(capsys):
    path = shared_file("bc_census_divisions_2011_bcalbers_shp.zip")
    call_command("import_areas", str(path), "--level", "cd")
    assert "29 areas (cd, 2011): 29 created" in capsys.readouterr().out
    xmin, ymin, xmax, ymax = Area.objects.filter(level__code="cd").aggregate(
        extent=Extent("geometry")
    )["extent"]
    assert (round(xmin, 2), round(ymin, 2), round(xmax, 2), round(ymax, 2)) == (
        -139.05, 48.31, -114.05, 60.0
    )  # fmt: skip


def test_loads_the_indicator_tables_beside_the_boundaries_and_reruns_unchanged(data_dir, capsys):
    tables = ("census_2016_fsa_population_dwellings.csv", CD_TABLE, HR_PROFILE)
    for name in tables:
        (data_dir / name).symlink_to(shared_file(name))
    call_command("load_layers", "--data-dir", str(data_dir), "-v", "0")
    out = capsys.readouterr().out
    # -v 0: the missing files, the derived boundaries and the totals only.
    assert "Skipped bc_census_divisions_2011_bcalbers_shp.zip: not found in" in out
    assert "values of" not in out
    # 1,641 FSAs × 3, 293 divisions × 2, and 12 for Newfoundland and Labrador.
    assert "Indicator values loaded: 5521." in out
    # Yukon is one census division (6001), made of the 35 subdivisions loaded.
    assert "1 areas (cd, 2021) got the union of their parts' boundaries." in out
    yukon = Area.objects.get(level__code="cd", year=2021, code="6001")
    subdivisions = Area.objects.filter(level__code="csd", code__startswith="6001")
    parts = sum(part.geometry.area for part in subdivisions)
    assert yukon.geometry.area == pytest.approx(parts, rel=1e-3)
    assert yukon.shapes.exists()
    assert not Area.objects.filter(level__code="cd", code="3506").exclude(geometry=None).exists()
    pei = IndicatorValue.objects.get(area__code="C1A", indicator__code="population")
    assert pei.value == 24839 and pei.area.geometry is not None  # the FSA has its boundary
    assert (
        IndicatorValue.objects.get(
            area__level__code="province", area__code="10", indicator__code="population"
        ).value
        == 519716
    )
    call_command("load_layers", "--data-dir", str(data_dir))
    out = capsys.readouterr().out
    assert "got the union" not in out
    assert "4923 values of occupied_private_dwellings, population, total_private_dwellings" in out
    assert "0 created, 0 changed, 4923 unchanged" in out
