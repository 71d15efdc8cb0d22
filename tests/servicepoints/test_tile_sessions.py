"""Who asks for a tile: the session engine keeps the user's id beside the session, and the tile
endpoint reads session, user, scope and data version in one query, signing in exactly whom
Django would sign in (servicepoints/sessions.py, servicepoints/tiles/scope.py)."""

from datetime import timedelta

import pytest
from django.contrib import auth
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.core.management import call_command
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from servicepoints import roles
from servicepoints.models import Jurisdiction, Session
from servicepoints.sessions import SessionStore
from servicepoints.tiles import scope as tile_scope
from tests.conftest import PASSWORD

from .test_tiles import OTTAWA, point_ids, tile_of, url

pytestmark = pytest.mark.django_db


class ModelBackendCopy(ModelBackend):
    """Another backend: sessions naming it go Django's way."""


def sign_in(client, user):
    client.force_login(user)  # as `login` does after the password: ModelBackend, hash
    return client.cookies["sessionid"].value


def request_for(session_key):
    """A request as the middleware leaves it: a session not read yet and a lazy user."""
    request = RequestFactory().get("/tiles/servicepoints/0/0/0.pbf")
    request.session = SessionStore(session_key)
    AuthenticationMiddleware(lambda request: None).process_request(request)
    return request


def test_a_session_row_names_its_user_and_goes_with_them(client, analyst, ontario_editor):
    key = sign_in(client, analyst)
    assert Session.objects.get(pk=key).user == analyst
    client.logout()
    assert not Session.objects.filter(pk=key).exists()
    # A session nobody signed in to has no user.
    anonymous = SessionStore()
    anonymous["seen"] = True
    anonymous.save()
    assert Session.objects.get(pk=anonymous.session_key).user is None
    # Deleting a user deletes their sessions.
    key = sign_in(client, ontario_editor)
    ontario_editor.delete()
    assert not Session.objects.filter(pk=key).exists()


def test_expired_sessions_are_cleared(client, analyst):
    key = sign_in(client, analyst)
    live = sign_in(client.__class__(), analyst)
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    call_command("clearsessions")
    assert list(Session.objects.values_list("pk", flat=True)) == [live]


def test_a_tile_request_reads_session_user_scope_and_version_in_one_query(
    client, ontario_editor, ontario_point
):
    sign_in(client, ontario_editor)
    (x, y), _position = tile_of(*OTTAWA, 12)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(12, x, y))
    assert point_ids(response) == {ontario_point.pk}
    assert len([q for q in queries if "servicepoints_requester" in q["sql"]]) == 1
    # Neither Django's session query nor its user query ran, nor a scope query of their own.
    assert not [q for q in queries if "servicepoints_session" in q["sql"]]
    assert not [q for q in queries if q["sql"].startswith('SELECT "auth_user"')]
    assert not [q for q in queries if "servicepoints_user_scope" in q["sql"]]


@pytest.mark.parametrize(
    ("role", "jurisdictions", "superuser"),
    [
        (roles.ANALYSTS, [], False),
        (roles.EDITORS, ["ON", "NB"], False),
        (None, ["ON"], False),
        (None, [], False),
        (None, [], True),
    ],
)
def test_the_one_query_gives_the_scope_django_gives(
    client, make_user, role, jurisdictions, superuser
):
    user = make_user("scoped", role, jurisdictions, is_superuser=superuser)
    key = sign_in(client, user)
    with CaptureQueriesContext(connection) as queries:
        requester = tile_scope.Requester.of(request_for(key))
    assert len(queries) == 1  # not Django's way
    assert requester.user == user
    assert (requester.user.is_active, requester.user.is_superuser) == (True, superuser)
    assert requester.scope == tile_scope.visibility_scope(user)
    assert requester.scope == tile_scope.scope_and_version(user)[0]
    if jurisdictions and not role:
        ids = Jurisdiction.objects.filter(code__in=jurisdictions).values_list("pk", flat=True)
        assert requester.scope == ",".join(str(pk) for pk in sorted(ids))


def _inactive(user, key, settings):
    user.is_active = False
    user.save()


def _password_changed(user, key, settings):
    user.set_password("another correct horse")
    user.save()


def _expired(user, key, settings):
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))


def _user_deleted(user, key, settings):
    user.delete()


def _secret_rotated(user, key, settings):
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40


def _secret_replaced(user, key, settings):
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40


def _column_names_someone_else(user, key, settings):
    from django.contrib.auth import get_user_model

    other = get_user_model().objects.create_user("someone-else", password=PASSWORD)
    Session.objects.filter(pk=key).update(user=other)


def _column_names_nobody(user, key, settings):
    Session.objects.filter(pk=key).update(user_id=user.pk + 1000)


def _another_backend(user, key, settings):
    backend = f"{__name__}.ModelBackendCopy"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, backend]
    session = SessionStore(key)
    session[auth.BACKEND_SESSION_KEY] = backend
    session.save()


@pytest.mark.parametrize(
    ("change", "signed_in"),
    [
        (None, True),
        (_inactive, False),
        (_password_changed, False),
        (_expired, False),
        (_user_deleted, False),
        (_secret_rotated, True),  # Django verifies with the fallback secret
        (_secret_replaced, False),
        # The signed session data decides, not the column.
        (_column_names_someone_else, True),
        (_column_names_nobody, True),
        (_another_backend, True),
    ],
)
def test_the_one_query_signs_in_whom_django_signs_in(
    client, analyst, ontario_point, settings, change, signed_in
):
    key = sign_in(client, analyst)
    if change is not None:
        change(analyst, key, settings)
    # Each in a transaction rolled back: Django's way may flush the session or change its key.
    with transaction.atomic():
        requester = tile_scope.Requester.of(request_for(key))
        transaction.set_rollback(True)
    with transaction.atomic():
        django_user = auth.get_user(request_for(key))
        transaction.set_rollback(True)
    assert requester.user.is_authenticated == signed_in
    assert django_user.is_authenticated == signed_in
    if signed_in:
        assert requester.user.pk == django_user.pk == analyst.pk
        assert requester.scope == "all"
    (x, y), _position = tile_of(*OTTAWA, 12)
    response = client.get(url(12, x, y))
    assert response.status_code == (200 if signed_in else 401)
    if signed_in:
        assert point_ids(response) == {ontario_point.pk}


def test_a_session_that_no_longer_verifies_is_flushed(client, analyst):
    key = sign_in(client, analyst)
    _password_changed(analyst, key, None)
    (x, y), _position = tile_of(*OTTAWA, 12)
    assert client.get(url(12, x, y)).status_code == 401
    assert not Session.objects.filter(pk=key).exists()


def test_a_session_never_shows_its_key(client, analyst):
    key = sign_in(client, analyst)
    session = Session.objects.get(pk=key)
    assert key not in str(session)
    assert str(session).startswith(f"Session of user {analyst.pk}, until ")
