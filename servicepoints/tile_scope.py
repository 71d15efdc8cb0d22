"""Whose tiles these are: the user's visibility scope and the data version, in one query.

A tile is cached per scope ("all", or the user's jurisdictions): users with the same scope see
the same tiles. The first-build path reads both with one statement that reproduces Django's
`ModelBackend` permission rule and the memberships in SQL; nothing is cached between requests.
"""

import functools

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from .models import DataVersion, Membership, jurisdictions_of, sees_all_jurisdictions


def visibility_scope(user):
    """What the user may read, as a cache key: users with the same scope see the same tiles.

    "all" for users who read every jurisdiction, else the ids of their jurisdictions, the same
    rules as `ServicePoint.objects.visible_to`.
    """
    if sees_all_jurisdictions(user):
        return "all"
    return ",".join(str(pk) for pk in sorted(jurisdictions_of(user).values_list("pk", flat=True)))


# The backends whose permissions `_SCOPE_SQL` reproduces (Axes's only refuses sign-ins).
_SCOPE_BACKENDS = {
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
}


@functools.cache
def _scope_sql():
    """One statement for the data version and the user's scope; `scope_and_version` says why.

    `ModelBackend.has_perm(user, "servicepoints.view_all_jurisdictions")` for an active user
    (superusers have every permission that exists; others theirs and their groups'), and the
    ids of the user's jurisdictions (`jurisdictions_of`).
    """
    User = get_user_model()  # noqa: N806
    quote = connection.ops.quote_name
    user_permissions = User._meta.get_field("user_permissions").remote_field.through
    user_groups = User._meta.get_field("groups").remote_field.through
    group_permissions = Group._meta.get_field("permissions").remote_field.through
    return f"""
SELECT coalesce((SELECT version FROM {quote(DataVersion._meta.db_table)} WHERE name = %s), 0),
       EXISTS (
           SELECT FROM {quote(Permission._meta.db_table)} p
           JOIN {quote(ContentType._meta.db_table)} ct ON ct.id = p.content_type_id
           WHERE ct.app_label = %s AND p.codename = %s AND (
               %s
               OR EXISTS (SELECT FROM {quote(user_permissions._meta.db_table)} up
                          WHERE up.permission_id = p.id AND up.user_id = %s)
               OR EXISTS (SELECT FROM {quote(user_groups._meta.db_table)} ug
                          JOIN {quote(group_permissions._meta.db_table)} gp
                          ON gp.group_id = ug.group_id
                          WHERE gp.permission_id = p.id AND ug.user_id = %s))),
       ARRAY(SELECT jurisdiction_id FROM {quote(Membership._meta.db_table)}
             WHERE user_id = %s ORDER BY 1)
"""  # noqa: S608 (names from the models, values bound)


def scope_and_version(user):
    """(`visibility_scope(user)`, `DataVersion.current()`) in one query, read now.

    Nothing is cached between requests: a membership or permission change counts from the next
    request. With other authentication backends (which may grant permissions of their own)
    or for users who are not signed in and active, the two are read the usual way.
    """
    if not (
        user.is_authenticated
        and user.is_active
        and set(settings.AUTHENTICATION_BACKENDS) <= _SCOPE_BACKENDS
    ):
        return visibility_scope(user), DataVersion.current()
    with connection.cursor() as cursor:
        cursor.execute(
            _scope_sql(),
            [
                "servicepoints",
                "servicepoints",
                "view_all_jurisdictions",
                user.is_superuser,
                user.pk,
                user.pk,
                user.pk,
            ],
        )
        version, sees_all, jurisdictions = cursor.fetchone()
    return ("all" if sees_all else ",".join(str(pk) for pk in jurisdictions)), version
