"""Pages in both languages, login required, the language switch on every page."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/en/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")
    response = client.get("/fr/")
    assert response["Location"].startswith("/fr/accounts/login/")


def test_root_redirects_to_a_language(client):
    response = client.get("/", headers={"accept-language": "fr-CA,fr;q=0.9"})
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_login_then_home_counts_what_the_user_can_read(client, ontario_editor, ontario_point):
    response = client.post(
        "/en/accounts/login/", {"username": ontario_editor.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "You can read 1 service point." in page
    assert "You can edit 1 of them." in page
    assert "Ontario (ON)" in page


def test_home_in_french(client, ontario_editor, ontario_point):
    client.force_login(ontario_editor)
    page = client.get("/fr/").content.decode()
    assert '<html lang="fr">' in page
    assert "Vous pouvez consulter 1 point de service." in page


@pytest.mark.parametrize("url", ["/en/", "/en/accounts/login/", "/en/admin/"])
def test_language_switch_on_every_page(client, data_admin, url):
    if "login" not in url:
        client.force_login(data_admin)
    page = client.get(url, follow=True).content.decode()
    assert 'name="language" value="fr"' in page


def test_switching_language_keeps_the_page_and_its_query(client, data_admin, ontario_point):
    client.force_login(data_admin)
    here = reverse("admin:servicepoints_servicepoint_changelist") + "?status__exact=open"
    page = client.get(here).content.decode()
    french = here.replace("/en/", "/fr/")
    assert f'name="next" type="hidden" value="{french.replace("&", "&amp;")}"' in page
    response = client.post("/i18n/setlang/", {"language": "fr", "next": french})
    assert response.status_code == 302
    assert response["Location"] == french
    # And back: the French page offers the English one.
    page = client.get(french).content.decode()
    assert f'value="{here}"' in page
    assert 'name="language" value="en"' in page
