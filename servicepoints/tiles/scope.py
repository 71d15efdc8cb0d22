"""Who asks for a tile: the user, what they may read (their scope) and the data version.

A tile is cached per scope ("all", or the user's jurisdictions): users with the same scope see
the same tiles. Nothing is cached between requests: a membership, permission or password change
counts from the next request.

`Requester.of(request)` reads the session, its user, the scope and the data version with one
query when it can (see there); otherwise Django signs the user in as usual and
`scope_and_version` reads the rest with one more query. Both get the scope and the version from
the database function `servicepoints_user_scope` (migration 0005, with `servicepoints_requester`
for the one query), which reproduces `ModelBackend`'s permission rule and the memberships of
`jurisdictions_of` in SQL; as PL/pgSQL functions they are planned once per connection.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from ..models import DataVersion, jurisdictions_of, sees_all_jurisdictions
from ..sessions import SessionStore, user_id_of


def visibility_scope(user):
    """What the user may read, as a cache key: users with the same scope see the same tiles.

    "all" for users who read every jurisdiction, else the ids of their jurisdictions, the same
    rules as `ServicePoint.objects.visible_to`.
    """
    if sees_all_jurisdictions(user):
        return "all"
    return ",".join(str(pk) for pk in sorted(jurisdictions_of(user).values_list("pk", flat=True)))


# The backends whose permissions `servicepoints_user_scope` reproduces (Axes's only refuses
# sign-ins).
_SCOPE_BACKENDS = {
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
}
_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# `servicepoints_user_scope`'s arguments after the user's: the data version's name, then the
# app label and codename of the permission to read every jurisdiction.
_SCOPE_ARGUMENTS = ("servicepoints", "servicepoints", "view_all_jurisdictions")


def _backends_reproduced():
    return set(settings.AUTHENTICATION_BACKENDS) <= _SCOPE_BACKENDS


def _scope(sees_all, jurisdictions):
    return "all" if sees_all else ",".join(str(pk) for pk in jurisdictions)


def scope_and_version(user):
    """(`visibility_scope(user)`, `DataVersion.current()`) in one query, read now.

    With other authentication backends (which may grant permissions of their own) or for
    users who are not signed in and active, the two are read the usual way.
    """
    if not (user.is_authenticated and user.is_active and _backends_reproduced()):
        return visibility_scope(user), DataVersion.current()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM servicepoints_user_scope(%s, %s, %s, %s, %s)",
            [user.pk, user.is_superuser, *_SCOPE_ARGUMENTS],
        )
        version, sees_all, jurisdictions = cursor.fetchone()
    return _scope(sees_all, jurisdictions), version


@dataclass(frozen=True)
class Requester:
    """The signed-in user of a tile request (or AnonymousUser), their scope and the version."""

    user: object
    scope: str | None
    version: int | None

    @classmethod
    def of(cls, request):
        """Who asks, with `request.user` set: in one query when it can, else Django's way.

        One query reads the session row, its user (the fields that verify the session; others
        load if something asks for them), the data version and the user's scope (Django would
        read the session, then the user, then we the rest: three). It signs the
        user in only where `django.contrib.auth.get_user` would sign in the same user: an
        unexpired session of this engine, signed with the current SECRET_KEY, naming this user
        and `ModelBackend`, an active user, and the session's hash of the user's password
        matching with the current secret. Anything else (no session, an older secret, another
        backend, a changed password...) goes Django's way, which also flushes sessions that no
        longer verify.
        """
        found = _from_session(request)
        if found is not None:
            return found
        user = request.user
        if not user.is_authenticated:
            return cls(user, None, None)
        return cls(user, *scope_and_version(user))


# What `servicepoints_requester` (migration 0005) returns of the user: enough to verify the
# session as Django does; other fields load if something asks for them.
_USER_FIELDS = ("id", "password", "is_active", "is_superuser")


def _from_session(request):
    """`Requester.of`'s one query, or None when Django's way must decide."""
    session = getattr(request, "session", None)
    if not (
        isinstance(session, SessionStore)
        and session.session_key
        and settings.AUTH_USER_MODEL == "auth.User"
        and _MODEL_BACKEND in settings.AUTHENTICATION_BACKENDS
        and _backends_reproduced()
        and "_cached_user" not in request.__dict__  # Django has read the user already
    ):
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM servicepoints_requester(%s, %s, %s, %s, %s)",
            [session.session_key, timezone.now(), *_SCOPE_ARGUMENTS],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    session_data, *values, version, sees_all, jurisdictions = row
    User = get_user_model()  # noqa: N806
    # `from_db` takes the loaded values in the order of the model's fields.
    loaded = dict(zip(_USER_FIELDS, values, strict=True))
    names = [f.attname for f in User._meta.concrete_fields if f.attname in loaded]
    user = User.from_db(connection.alias, names, [loaded[name] for name in names])
    data = session.decode(session_data)  # {} when not signed with the current SECRET_KEY
    session_hash = data.get(HASH_SESSION_KEY)
    if not (
        user_id_of(data) == user.pk
        and data.get(BACKEND_SESSION_KEY) == _MODEL_BACKEND
        and ModelBackend().user_can_authenticate(user)
        and session_hash
        and constant_time_compare(session_hash, user.get_session_auth_hash())
    ):
        return None
    request.user = user
    return Requester(user, _scope(sees_all, jurisdictions), version)
