"""Which columns of a boundary file hold the code, the names, the DGUID and the province.

Statistics Canada names its fields after the level: PRUID/PRENAME/PRFNAME, CDUID/CDNAME,
CSDUID/CSDNAME, CFSAUID, DAUID, HR_UID/ENGNAME/FRENAME, DGUID; a `PRNAME` holds both names as
"English / Français". Provinces files without a code (only a name) get the Standard
Geographical Classification code of the province named.
"""

import re
from dataclasses import dataclass

PREFIXES = {"province": "PR", "hr": "HR", "cd": "CD", "csd": "CSD", "fsa": "CFSA", "da": "DA"}
EXTRA_CODES = {
    "province": ["PR_UID"],
    "hr": ["HR_UID", "HRUID2018", "HRUID2017", "HRUID"],
    "fsa": ["FSA", "CFSA"],
}
# (SGC code, English, French, postal abbreviation) of the provinces and territories.
PROVINCES = [
    ("10", "Newfoundland and Labrador", "Terre-Neuve-et-Labrador", "NL"),
    ("11", "Prince Edward Island", "Île-du-Prince-Édouard", "PE"),
    ("12", "Nova Scotia", "Nouvelle-Écosse", "NS"),
    ("13", "New Brunswick", "Nouveau-Brunswick", "NB"),
    ("24", "Quebec", "Québec", "QC"),
    ("35", "Ontario", "Ontario", "ON"),
    ("46", "Manitoba", "Manitoba", "MB"),
    ("47", "Saskatchewan", "Saskatchewan", "SK"),
    ("48", "Alberta", "Alberta", "AB"),
    ("59", "British Columbia", "Colombie-Britannique", "BC"),
    ("60", "Yukon", "Yukon", "YT"),
    ("61", "Northwest Territories", "Territoires du Nord-Ouest", "NT"),
    ("62", "Nunavut", "Nunavut", "NU"),
]
PROVINCE_BY_NAME = {
    key.casefold(): row for row in PROVINCES for key in (row[0], row[1], row[2], row[3])
}
# Former and short names still found in boundary files.
for alias, code in (("Yukon Territory", "60"), ("Newfoundland", "10"), ("PEI", "11")):
    PROVINCE_BY_NAME[alias.casefold()] = next(row for row in PROVINCES if row[0] == code)
PROVINCE_BY_CODE = {row[0]: row for row in PROVINCES}
# The first letter of a postal code and the province it belongs to (X: NT or NU, left blank).
FSA_PROVINCES = {
    "A": "10", "B": "12", "C": "11", "E": "13", "G": "24", "H": "24", "J": "24", "K": "35",
    "L": "35", "M": "35", "N": "35", "P": "35", "R": "46", "S": "47", "T": "48", "V": "59",
    "Y": "60",
}  # fmt: skip
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")


@dataclass
class Fields:
    code: str | None
    name_en: str | None
    name_fr: str | None
    dguid: str | None
    province: str | None


def find(headers, candidates):
    by_key = {header.casefold(): header for header in headers}
    for candidate in candidates:
        if candidate.casefold() in by_key:
            return by_key[candidate.casefold()]
    return None


def detect(headers, level, *, code=None, name=None, name_fr=None):
    """The Fields of a file for `level`; given names win, unknown ones stay None."""
    prefix = PREFIXES.get(level, "")
    code = code or find(headers, [f"{prefix}UID", *EXTRA_CODES.get(level, [])])
    name = name or find(
        headers,
        [f"{prefix}ENAME", f"{prefix}NAME_EN", f"{prefix}NAME", "ENGNAME", "ENG_LABEL"]
        + ["NAME_EN", "NAME", "NOM_EN"],
    )
    name_fr = name_fr or find(
        headers, [f"{prefix}FNAME", f"{prefix}NAME_FR", "FRENAME", "FRE_LABEL", "NAME_FR", "NOM"]
    )
    province = find(headers, ["PRUID", "PR_UID"])
    return Fields(code, name, name_fr, find(headers, ["DGUID"]), province)


def split_names(name_en, name_fr):
    """("English", "Français") from a bilingual "English / Français" when no French is given."""
    if not name_fr and " / " in name_en:
        english, _, french = name_en.partition(" / ")
        return english.strip(), french.strip()
    return name_en, name_fr or name_en


def province_of(level, code, given):
    """The two-digit province code: the file's PRUID, else the SGC prefix or the FSA letter."""
    if given:
        return given[:2]
    if level == "fsa":
        return FSA_PROVINCES.get(code[:1].upper(), "")
    if code[:2].isdigit() and code[:2] in PROVINCE_BY_CODE:
        return code[:2]
    return ""


def year_from(texts):
    """The census year written in the first of `texts` (file name, folder) that has one."""
    for text in texts:
        found = _YEAR.findall(text)
        if found:
            return int(found[-1])
    return None


def code_candidates(level):
    return [f"{PREFIXES.get(level, '')}UID", *EXTRA_CODES.get(level, [])]


def records(table, level, found, issues):
    """(feature, code, name_en, name_fr, dguid, province, hex EWKB or None) per feature.

    A provinces file without codes gets them from the names; a name that is not a province's
    is an error naming the feature.
    """
    from django.utils.translation import gettext_noop

    from ...imports.issues import error

    index = {header: number for number, header in enumerate(table.headers)}

    def cell(row, column):
        return row[index[column]].strip() if column else ""

    for row, line, geometry in zip(table.rows, table.line_numbers, table.geometries, strict=True):
        name_en, name_fr = split_names(cell(row, found.name_en), cell(row, found.name_fr))
        code = cell(row, found.code)
        if found.code is None:
            province = PROVINCE_BY_NAME.get(name_en.casefold())
            if province is None:
                issues.append(
                    error(
                        "unknown_province",
                        gettext_noop(
                            "%(file)s, feature %(row)s, field “%(column)s”: “%(value)s” is not "
                            "the name of a province or territory, and the file has no PRUID "
                            "code; add the code, or name the code field with --code-field."
                        ),
                        file=table.name,
                        row=line,
                        column=found.name_en,
                        value=name_en,
                        params={
                            "file": table.name,
                            "row": line,
                            "column": found.name_en,
                            "value": name_en,
                        },
                    )
                )
                continue
            code, name_en, name_fr = province[0], province[1], province[2]
        if not name_en:
            name_en = name_fr = code
        yield (
            line,
            code,
            name_en[:200],
            name_fr[:200],
            cell(row, found.dguid),
            province_of(level, code, cell(row, found.province)),
            geometry.hexewkb.decode() if geometry is not None else None,
        )


def year_of(records, path):
    """The census year from the DGUIDs (their first four digits), else the file or folder name."""
    vintages = {record[4][:4] for record in records if len(record[4]) >= 4}
    if len(vintages) == 1:
        vintage = vintages.pop()
        if vintage.isdigit():
            return int(vintage)
    return year_from([path.name, path.parent.name])
