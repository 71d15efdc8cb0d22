"""Sessions with their user's id in a column, and two database functions for the vector tiles'
one query per request (servicepoints/tiles/scope.py): `servicepoints_user_scope` gives the data
version and what a user may read, `servicepoints_requester` a session's user with that scope.
As PL/pgSQL functions their statements are planned once per connection (planning them on each
request took longer than running them). Their generic plans, unlike a tile's (see
../shared/PERFORMANCE.md, "Generic plans"), have no wrong index to pick: each row is looked up by
its key, its user or its codename.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# `ModelBackend`'s rule for one permission of an active user, and `jurisdictions_of`: a
# superuser has every permission; others have theirs and their groups'.
USER_SCOPE = """
CREATE FUNCTION servicepoints_user_scope(
    p_user_id bigint, p_is_superuser boolean, p_version_name text, p_app_label text,
    p_codename text, OUT version bigint, OUT sees_all boolean, OUT jurisdictions bigint[]
)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    SELECT coalesce((SELECT v.version FROM servicepoints_dataversion v
                     WHERE v.name = p_version_name), 0),
           p_is_superuser OR EXISTS (
               SELECT FROM auth_permission p
               JOIN django_content_type ct ON ct.id = p.content_type_id
               WHERE ct.app_label = p_app_label AND p.codename = p_codename AND (
                   EXISTS (SELECT FROM auth_user_user_permissions up
                           WHERE up.permission_id = p.id AND up.user_id = p_user_id)
                   OR EXISTS (SELECT FROM auth_user_groups ug
                              JOIN auth_group_permissions gp ON gp.group_id = ug.group_id
                              WHERE gp.permission_id = p.id AND ug.user_id = p_user_id))),
           ARRAY(SELECT m.jurisdiction_id FROM servicepoints_membership m
                 WHERE m.user_id = p_user_id ORDER BY 1)
    INTO version, sees_all, jurisdictions;
END;
$$;
"""

# The signed-in user of an unexpired session (the columns `tiles.scope` needs to verify the
# session as Django does) with the scope and data version; no row when there is none.
REQUESTER = """
CREATE FUNCTION servicepoints_requester(
    p_session_key text, p_now timestamptz, p_version_name text, p_app_label text,
    p_codename text
)
RETURNS TABLE (
    session_data text, user_id integer, password text, is_active boolean,
    is_superuser boolean, version bigint, sees_all boolean, jurisdictions bigint[]
)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN QUERY
    SELECT s.session_data, u.id, u.password::text, u.is_active, u.is_superuser,
           scope.version, scope.sees_all, scope.jurisdictions
    FROM servicepoints_session s
    JOIN auth_user u ON u.id = s.user_id
    CROSS JOIN LATERAL servicepoints_user_scope(u.id, u.is_superuser, p_version_name,
                                                p_app_label, p_codename) scope
    WHERE s.session_key = p_session_key AND s.expire_date > p_now;
END;
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("servicepoints", "0004_leaner_history_and_bulk_import_triggers"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Session",
            fields=[
                (
                    "session_key",
                    models.CharField(
                        max_length=40,
                        primary_key=True,
                        serialize=False,
                        verbose_name="session key",
                    ),
                ),
                ("session_data", models.TextField(verbose_name="session data")),
                ("expire_date", models.DateTimeField(db_index=True, verbose_name="expire date")),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sessions",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "session",
                "verbose_name_plural": "sessions",
            },
        ),
        migrations.RunSQL(
            USER_SCOPE,
            "DROP FUNCTION servicepoints_user_scope(bigint, boolean, text, text, text);",
        ),
        migrations.RunSQL(
            REQUESTER,
            "DROP FUNCTION servicepoints_requester(text, timestamptz, text, text, text);",
        ),
    ]
