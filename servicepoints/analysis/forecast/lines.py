"""Names of lines of business as files write them: spaces collapsed, the "DISCONTINUED" and
"- See …" suffixes read, and the known renames and regroupings followed to the newest name.

The renames and the regrouping below are those the ServiceOntario workbook's "Notes" sheet
records (shared data README, serviceontario_contact_centre_wait_times_2016-2020.csv); the
import command takes more with --rename OLD=NEW and --regroup OLD=NEW. A renamed line keeps
one series under its newest name; a regrouped one ends and names the line it went into
(their volumes differ by orders of magnitude, so the series are not joined)."""

import re
from dataclasses import dataclass

# Old name -> new name; the series continues.
RENAMES = {
    "Ministry of Energy queues (English + French)": (
        "Ministry of Energy, Northern Development and Mines queues (English + French)"
    ),
    "Ministry of Education & Ministry of Training, Colleges and Universities Public Inquiry "
    "queues (English + French)": (
        "Ministry of Education & Ministry of Colleges and Universities Public Inquiry queues "
        "(English + French)"
    ),
}
# Line -> the line it was regrouped into; the first one ends.
REGROUPINGS = {
    "Ministry of Community and Social Services Mobile Pilot Queues (English + French)": (
        "Ministry of Children, Community and Social Services Programs Queues (English + French)"
    ),
}

DISCONTINUED = re.compile(r"[\s\-–—(]*\bdiscontinued\b[\s)]*$", re.IGNORECASE)
SEE_OTHER = re.compile(r"\s+[-–—]\s+see\s+(?P<target>.+)$", re.IGNORECASE)


def collapse(text):
    """Spaces collapsed (the file has double spaces inside some names)."""
    return " ".join(str(text).split())


@dataclass(frozen=True)
class ParsedName:
    name: str  # collapsed, suffix removed
    discontinued: bool = False
    see: str = ""  # the text after "- See", for a line regrouped into another


def parse(text):
    name = collapse(text)
    match = SEE_OTHER.search(name)
    if match:
        return ParsedName(name[: match.start()].strip(), see=match["target"].strip())
    match = DISCONTINUED.search(name)
    if match and match.start() > 0:
        return ParsedName(name[: match.start()].strip(), discontinued=True)
    return ParsedName(name)


class Renames:
    """The renames and regroupings in force for one import (the known ones plus the caller's)."""

    def __init__(self, renames=None, regroupings=None):
        self.renames = {
            collapse(old).lower(): collapse(new)
            for old, new in {**RENAMES, **(renames or {})}.items()
        }
        self.regroupings = {
            collapse(old).lower(): collapse(new)
            for old, new in {**REGROUPINGS, **(regroupings or {})}.items()
        }

    def key(self, name):
        """The line's identity: its newest name (renames followed), lower case."""
        seen = set()
        current = collapse(name)
        while current.lower() in self.renames and current.lower() not in seen:
            seen.add(current.lower())
            current = self.renames[current.lower()]
        return current.lower()

    def regrouped_into(self, name):
        return self.regroupings.get(collapse(name).lower())
