"""Census Profile files in Statistics Canada's 2021 layout, written for the tests.

No real 2021 profile is small enough to keep (the shared folder has the 2016 layout only):
these follow the published layout of 98-401-X2021 CSVs (columns, a SYMBOL after each value,
indented characteristic names, Windows-1252 text).
"""

import csv

HEADER_2021 = [
    "CENSUS_YEAR", "DGUID", "ALT_GEO_CODE", "GEO_LEVEL", "GEO_NAME", "TNR_SF", "TNR_LF",
    "DATA_QUALITY_FLAG", "CHARACTERISTIC_ID", "CHARACTERISTIC_NAME", "CHARACTERISTIC_NOTE",
    "C1_COUNT_TOTAL", "SYMBOL", "C2_COUNT_MEN+", "SYMBOL", "C3_COUNT_WOMEN+", "SYMBOL",
    "C10_RATE_TOTAL", "SYMBOL", "C11_RATE_MEN+", "SYMBOL", "C12_RATE_WOMEN+", "SYMBOL",
]  # fmt: skip
SCHOOLING = (
    "Total - Highest certificate, diploma or degree for the population aged 25 to 64 years "
    "in private households - 25% sample data"
)
# (CHARACTERISTIC_ID, name as published, with its indentation)
CHARACTERISTICS_2021 = [
    (1, "Population, 2021"),
    (2, "Population, 2016"),
    (4, "Total private dwellings"),
    (5, "Private dwellings occupied by usual residents"),
    (6, "Population density per square kilometre"),
    (8, "Total - Age groups of the population - 100% data"),
    (9, "  0 to 14 years"),
    (24, "  65 years and over"),
    (113, "    Median total income in 2020 among recipients ($)"),
    (243, "  Median total income of household in 2020 ($)"),
    (345, "  Prevalence of low income based on the Low-income measure, after tax (LIM-AT) (%)"),
    (2014, SCHOOLING),
    (2015, "  No certificate, diploma or degree"),
    (2228, "  Participation rate"),
    (2229, "  Employment rate"),
    (2230, "  Unemployment rate"),
]


def write_profile_2021(path, areas, *, encoding="cp1252", characteristics=CHARACTERISTICS_2021):
    """`areas`: (dguid, alt code, geo level, name, flag, {characteristic id: cell}); a cell is
    a number or (“”, symbol). Characteristics without a cell get an empty value and `..`."""
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEADER_2021)
        for dguid, code, level, name, flag, cells in areas:
            for number, characteristic in characteristics:
                cell = cells.get(number, ("", ".."))
                value, symbol = cell if isinstance(cell, tuple) else (cell, "")
                writer.writerow(
                    [2021, dguid, code, level, name, 5.4, 6.1, flag, number, characteristic, "",
                     value, symbol, "", "...", "", "...", "", "...", "", "...", "", "..."]
                )  # fmt: skip
    return path
