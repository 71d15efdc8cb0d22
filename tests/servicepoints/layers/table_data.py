"""Census areas with values for the table of areas (API and browser tests).

Four census subdivisions of 2021 side by side west of Ottawa, squares of 0.1° in a row from
-76.0° (so a box tells them apart), one far away in Vancouver, one of 2016 on top of the first
(another census year) and a census division over all of them (another level). Values are
chosen so that each order is different: income sorts Gamma, Alpha, Éden (Beta is suppressed),
population sorts Beta, Éden, Alpha (Gamma has none).
"""

from django.contrib.gis.geos import MultiPolygon, Polygon

from servicepoints.layers.models import Area, AreaLevel, Indicator, IndicatorValue

X = IndicatorValue.Status.SUPPRESSED
WEST, SOUTH = -76.0, 45.0


def square(west, south, size=0.1):
    return MultiPolygon(Polygon.from_bbox((west, south, west + size, south + size)), srid=4326)


def add_area(level, code, name_en, name_fr, geometry, year=2021):
    return Area.objects.create(
        level=AreaLevel.objects.get(code=level),
        year=year,
        code=code,
        name_en=name_en,
        name_fr=name_fr,
        geometry=geometry,
        province_code=code[:2],
    )


def build_table_areas():
    """{name: area, "income": indicator, "population": indicator}."""
    income = Indicator.objects.create(
        code="test-median-income",
        unit=Indicator.Unit.DOLLARS,
        name_en="Median income (test)",
        name_fr="Revenu médian (essai)",
    )
    population = Indicator.objects.create(
        code="test-population",
        unit=Indicator.Unit.COUNT,
        name_en="Population (test)",
        name_fr="Population (essai)",
    )
    areas = {
        "alpha": add_area("csd", "3506001", "Alpha", "Alpha-FR", square(WEST, SOUTH)),
        "beta": add_area("csd", "3506002", "Beta", "Bêta", square(WEST + 0.1, SOUTH)),
        "gamma": add_area("csd", "3506003", "Gamma", "Gamma-FR", square(WEST + 0.2, SOUTH)),
        "eden": add_area("csd", "3506004", "Éden", "Éden", square(WEST + 0.3, SOUTH)),
        "vancouver": add_area("csd", "5915022", "Vancouver", "Vancouver", square(-123.2, 49.2)),
        "alpha_2016": add_area(
            "csd", "3506001", "Alpha 2016", "Alpha 2016", square(WEST, SOUTH), year=2016
        ),
        "division": add_area("cd", "3506", "Ottawa", "Ottawa", square(WEST, SOUTH, 0.5)),
    }  # fmt: skip
    values = [
        (income, "alpha", 2021, 50_000.0, ""),
        (income, "alpha", 2016, 40_000.0, ""),
        (income, "beta", 2021, None, X),
        (income, "gamma", 2021, 70_000.0, ""),
        (income, "eden", 2021, 45_500.5, ""),
        (income, "vancouver", 2021, 90_000.0, ""),
        # Population of 2016 only: the 2021 table shows the latest year before the census.
        (population, "alpha", 2016, 100.0, ""),
        (population, "beta", 2016, 300.0, ""),
        (population, "eden", 2016, 200.0, ""),
        # A later year does not win over an earlier one.
        (population, "alpha", 2026, 999.0, ""),
    ]
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=indicator, area=areas[key], year=year, value=value, status=status)
        for indicator, key, year, value, status in values
    )
    return {**areas, "income": income, "population": population}
