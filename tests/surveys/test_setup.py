"""`make setup` loads the partnership questionnaire: its recipe calls load_survey_demo."""

import re
from pathlib import Path

MAKEFILE = Path(__file__).resolve().parents[2] / "Makefile"


def test_make_setup_loads_the_questionnaire():
    text = MAKEFILE.read_text()
    recipe = re.search(r"^setup:.*\n((?:\t.*\n)+)", text, re.M).group(1)
    lines = [line.strip() for line in recipe.splitlines()]
    assert "@$(MANAGE) load_survey_demo" in lines
    # After the migrations (which create the tables) and the registry's demonstration data.
    assert lines.index("@$(MANAGE) load_survey_demo") > lines.index("@$(MANAGE) load_demo")
