"""The secure baseline: settings from the environment, deploy checks, headers, lock-outs."""

import os
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


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
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
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_is_off_unless_set():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        env={"SECRET_KEY": PRODUCTION_ENV["SECRET_KEY"]},
    )
    assert result.stdout.strip().splitlines()[-1] == "False"


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
