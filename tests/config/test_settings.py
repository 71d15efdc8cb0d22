"""The secure baseline: settings from the environment (and a checkout's .env), deploy checks,
headers, lock-outs."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop-xyz",
    "ALLOWED_HOSTS": "servicemap.example.ca",
}


SETTINGS_VARIABLES = {"DJANGO_DEBUG", "SECRET_KEY", "DJANGO_ENV_FILE", "ALLOWED_HOSTS"}
# A newcomer's shell, for the entry points that must not depend on the test run's environment.
CLEAN_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(Path.home()), "LANG": "C.UTF-8"}


def manage(*args, env, cwd=ROOT):
    """manage.py with `env` and none of the settings variables of the test run: without
    DJANGO_ENV_FILE in `env` it reads the checkout's .env, as a developer's shell does."""
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=cwd,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def setting(name, env):
    result = manage(
        "shell", "-c", f"from django.conf import settings; print(settings.{name})", env=env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture
def development_env_file(tmp_path):
    """The .env `make setup` writes (scripts/dotenv.sh), in a folder of its own."""
    subprocess.run(["scripts/dotenv.sh", str(tmp_path)], cwd=ROOT, check=True, timeout=30)
    return tmp_path / ".env"


def test_check_deploy_is_clean_under_production_settings(development_env_file):
    """Clean even beside a development .env (DJANGO_DEBUG=1 there): the environment wins."""
    env = {**PRODUCTION_ENV, "DJANGO_ENV_FILE": str(development_env_file)}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_only_gis_w001_is_silenced_and_only_with_old_gdal():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; from django.contrib.gis.gdal import GDAL_VERSION;"
        "print(settings.SILENCED_SYSTEM_CHECKS, GDAL_VERSION >= (3, 9));"
        "import os; print(os.environ['PROJ_NETWORK'])",
        env=PRODUCTION_ENV,
    )
    silenced, modern = result.stdout.strip().splitlines()[-2].rsplit(" ", 1)
    assert silenced == ("[]" if modern == "True" else "['gis.W001']")
    assert result.stdout.strip().splitlines()[-1] == "OFF"


def test_secret_key_is_required_when_debug_is_off():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", env={**env, "DJANGO_ENV_FILE": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    assert ".env file of `make setup` is for development only" in result.stderr


def test_debug_is_off_unless_set():
    env = {"SECRET_KEY": PRODUCTION_ENV["SECRET_KEY"], "DJANGO_ENV_FILE": ""}
    assert setting("DEBUG", env) == "False"


def test_fallback_key_with_debug_on_is_a_development_key():
    assert setting("SECRET_KEY", {"DJANGO_DEBUG": "1", "DJANGO_ENV_FILE": ""}).startswith(
        "django-insecure-"
    )


def test_env_file_turns_debug_on_for_manage_py(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DJANGO_DEBUG=1\nSECRET_KEY=django-insecure-from-the-file\n")
    env = {"DJANGO_ENV_FILE": str(env_file)}
    assert setting("DEBUG", env) == "True"
    assert setting("SECRET_KEY", env) == "django-insecure-from-the-file"


def test_environment_wins_over_the_env_file(development_env_file):
    env = {**PRODUCTION_ENV, "DJANGO_ENV_FILE": str(development_env_file)}
    assert setting("DEBUG", env) == "False"
    assert setting("SECRET_KEY", env) == PRODUCTION_ENV["SECRET_KEY"]


def test_a_missing_env_file_named_by_django_env_file_is_an_error(tmp_path):
    result = manage("check", env={"DJANGO_ENV_FILE": str(tmp_path / "absent.env")})
    assert result.returncode != 0
    assert "which is not a file" in result.stderr


@pytest.mark.parametrize("where", ["environment", "env file"])
def test_development_key_is_refused_with_debug_off(where, development_env_file):
    """A django-insecure key (make setup's, or any) never runs with DEBUG off."""
    if where == "environment":
        env = {**PRODUCTION_ENV, "SECRET_KEY": "django-insecure-abc", "DJANGO_ENV_FILE": ""}
    else:
        env = {"DJANGO_DEBUG": "0", "DJANGO_ENV_FILE": str(development_env_file)}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is a development key" in result.stderr
    assert ".env file of `make setup` is for development only" in result.stderr


@pytest.fixture
def checkout_with_env_file(tmp_path):
    """A copy of the checkout's code with make setup's .env beside it (DJANGO_DEBUG=1), so that
    what reads it is shown whatever the real checkout holds."""
    shutil.copytree(ROOT / "config", tmp_path / "config", ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "manage.py", tmp_path)
    for app in ("servicepoints", "partnerships", "surveys"):
        (tmp_path / app).symlink_to(ROOT / app)
    subprocess.run(["scripts/dotenv.sh", str(tmp_path)], cwd=ROOT, check=True, timeout=30)
    return tmp_path


def in_checkout(folder, code, env):
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=folder,
        env={**CLEAN_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("entry_point", ["config.wsgi", "config.asgi"])
def test_production_entry_points_ignore_the_checkouts_env_file(
    entry_point, checkout_with_env_file
):
    show = f"import {entry_point}; from django.conf import settings; print(settings.DEBUG)"
    # The control: manage.py's way of loading the settings reads the .env (DEBUG on).
    control = in_checkout(
        checkout_with_env_file,
        "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        {"DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    assert control.stdout.strip().splitlines()[-1] == "True", control.stderr
    refused = in_checkout(checkout_with_env_file, show, {})
    assert refused.returncode != 0
    assert "SECRET_KEY must be set" in refused.stderr
    served = in_checkout(checkout_with_env_file, show, PRODUCTION_ENV)
    assert served.returncode == 0, served.stderr
    assert served.stdout.strip().splitlines()[-1] == "False"


def test_dotenv_writer_makes_a_development_file_and_never_overwrites_it(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    for folder in (first, second):
        folder.mkdir()
        result = subprocess.run(
            ["scripts/dotenv.sh", str(folder)], cwd=ROOT, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        assert f"wrote {folder / '.env'}" in result.stdout
    text = (first / ".env").read_text()
    assert "DJANGO_DEBUG=1\n" in text
    assert re.search(r"^SECRET_KEY=django-insecure-[A-Za-z0-9]{50}$", text, re.MULTILINE)
    assert "must not have this file" in text  # the comment saying what it is
    assert text != (second / ".env").read_text()  # a key per checkout

    (first / ".env").write_text("DJANGO_DEBUG=1\nSECRET_KEY=django-insecure-mine\n")
    result = subprocess.run(
        ["scripts/dotenv.sh", str(first)], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0
    assert "exists; left as it is" in result.stdout
    assert (first / ".env").read_text() == "DJANGO_DEBUG=1\nSECRET_KEY=django-insecure-mine\n"


def test_make_setup_writes_the_env_file_only_when_absent():
    """The Makefile's .env target has no prerequisite: make never rebuilds an existing file."""
    result = subprocess.run(
        ["make", "--just-print", ".env"], cwd=ROOT, capture_output=True, text=True
    )
    if (ROOT / ".env").exists():
        assert "up to date" in result.stdout
    else:
        assert "scripts/dotenv.sh" in result.stdout
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^\.env:\n\t@scripts/dotenv\.sh$", makefile, re.MULTILINE)
    assert re.search(r"^setup: .*\.env ", makefile, re.MULTILINE)


def test_production_cookies_are_secure():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS > 0)"
    )
    result = manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.stdout.strip().splitlines()[-1] == "True True True True"


@pytest.mark.django_db
def test_security_headers_and_content_security_policy(client, analyst):
    client.force_login(analyst)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert "https://tile.openstreetmap.org" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_inline_scripts_need_the_request_nonce(client, data_admin, ontario_point):
    client.force_login(data_admin)
    url = reverse("admin:servicepoints_servicepoint_change", args=[ontario_point.pk])
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    nonce = policy.split("'nonce-", 1)[1].split("'", 1)[0]
    assert f'<script nonce="{nonce}">' in response.content.decode()
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]


@pytest.mark.django_db
def test_login_attempts_are_rate_limited(client, analyst, settings):
    url = reverse("login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": analyst.username, "password": "wrong"})
        assert response.status_code == 200
    response = client.post(url, {"username": analyst.username, "password": "wrong"})
    assert response.status_code == 429
    # Locked out: even the right password is refused now.
    response = client.post(url, {"username": analyst.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_health_check_is_public(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
