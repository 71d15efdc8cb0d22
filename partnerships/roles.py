"""The partnership permissions of the registry's three roles (servicepoints/roles.py).

- Analysts read every partnership, its documents and its pending changes.
- Jurisdiction editors read every partnership; they create partnerships where an organization
  of their jurisdiction is a party and change those (the model methods check which), and
  approve or refuse the changes other parties propose.
- Data administrators do everything, including the types and practices lists.
"""

from servicepoints import roles

_READ = [
    "view_partnership",
    "view_partnershiptype",
    "view_practice",
    "view_changerequest",
    "view_document",
]

PARTNERSHIP_PERMISSIONS = {
    roles.ANALYSTS: _READ,
    roles.EDITORS: [*_READ, "add_partnership", "change_partnership"],
    roles.DATA_ADMINISTRATORS: None,  # every permission of the app
}


def sync_partnership_roles(sender=None, **kwargs):
    """Add this app's permissions to the role groups (idempotent; other apps' stay)."""
    from django.contrib.auth.models import Group, Permission

    app_permissions = Permission.objects.filter(content_type__app_label="partnerships")
    for name, codenames in PARTNERSHIP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = (
            app_permissions
            if codenames is None
            else app_permissions.filter(codename__in=codenames)
        )
        group.permissions.remove(*app_permissions.exclude(pk__in=wanted.values("pk")))
        group.permissions.add(*wanted)
