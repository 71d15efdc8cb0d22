"""Every user-facing string has its French translation in locale/fr."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
# The project's own packages: settings and every app of INSTALLED_APPS at the top level.
APPS = ("config", "servicepoints", "partnerships", "surveys")
CATALOG = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
# The strings of static/js, served by Django's JavaScriptCatalog.
JS_CATALOG = ROOT / "locale" / "fr" / "LC_MESSAGES" / "djangojs.po"


def untranslated(po):
    return [
        entry.msgid
        for entry in po
        if not entry.obsolete
        and (
            "fuzzy" in entry.flags
            or (not entry.msgid_plural and not entry.msgstr)
            or (entry.msgid_plural and not all(entry.msgstr_plural.values()))
        )
    ]


def test_catalog_is_complete():
    po = polib.pofile(str(CATALOG))
    assert len(po) > 100
    assert untranslated(po) == []


def test_catalog_covers_every_string_in_the_code(tmp_path):
    """Extract the strings again into a copy and check none is new or untranslated."""
    for name in (*APPS, "templates", "locale"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(ROOT / "manage.py", tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-obsolete"],
        cwd=tmp_path,
        env={"DJANGO_DEBUG": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    fresh = polib.pofile(str(tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    assert untranslated(fresh) == []


def test_javascript_catalog_is_complete():
    po = polib.pofile(str(JS_CATALOG))
    assert len(po) > 40
    assert untranslated(po) == []


def test_javascript_catalog_covers_every_string_of_the_scripts(tmp_path):
    """Extract the scripts' strings again (as `make messages` does) and check none is new."""
    # The project's own packages are copied, not taken from wherever `pip install -e` pointed.
    for name in APPS:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("*.mo"))
    shutil.copytree(ROOT / "static" / "js", tmp_path / "static" / "js")
    shutil.copytree(ROOT / "locale", tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(ROOT / "manage.py", tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "-d", "djangojs"]
        + ["--no-obsolete"],
        cwd=tmp_path,
        env={"DJANGO_DEBUG": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    fresh = polib.pofile(str(tmp_path / "locale" / "fr" / "LC_MESSAGES" / "djangojs.po"))
    assert untranslated(fresh) == []
    assert len(fresh) == len(polib.pofile(str(JS_CATALOG)))
