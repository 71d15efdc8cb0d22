"""The three staff roles, kept as groups whose permissions are synchronised after `migrate`.

- Analysts read everything and change nothing.
- Jurisdiction editors add, change and close the organizations and service points of the
  jurisdictions they are members of (see `Membership`); they delete nothing.
- Data administrators do everything, in every jurisdiction, including undoing imports.
- Editors also refresh their own jurisdictions' points from files (imports).
"""

from django.utils.translation import gettext_noop

ANALYSTS = gettext_noop("Analysts")
EDITORS = gettext_noop("Jurisdiction editors")
DATA_ADMINISTRATORS = gettext_noop("Data administrators")

_READ = [
    "view_servicepoint",
    "view_organization",
    "view_jurisdiction",
    "view_service",
    "view_datasource",
    "view_populatedplace",
    "view_placename",
    "view_postalarea",
]

ROLE_PERMISSIONS = {
    ANALYSTS: [*_READ, "view_all_jurisdictions"],
    EDITORS: [
        *_READ,
        "add_servicepoint",
        "change_servicepoint",
        "add_organization",
        "change_organization",
        # Refreshes of their own jurisdictions (the import pipeline checks which).
        "view_importrun",
        "add_importrun",
    ],
    DATA_ADMINISTRATORS: None,  # every permission of the app, below
}


def sync_roles(sender=None, **kwargs):
    """Create the role groups and give them exactly their permissions (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    app_permissions = Permission.objects.filter(content_type__app_label="servicepoints")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        if codenames is None:
            permissions = app_permissions
        else:
            permissions = app_permissions.filter(codename__in=codenames)
        group.permissions.set(permissions)
    admins = Group.objects.get(name=DATA_ADMINISTRATORS)
    user_permissions = Permission.objects.filter(
        content_type__app_label="auth", codename__in=["view_user", "add_user", "change_user"]
    )
    admins.permissions.add(*user_permissions)
