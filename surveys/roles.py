"""What the registry's roles (servicepoints.roles) may do with questionnaires.

- Analysts read every questionnaire, invitation, response and interview.
- Jurisdiction editors read questionnaires and their own organizations' responses and
  interviews (the views and the admin narrow them with `visible_to`).
- Data administrators build questionnaires, send invitations, clear pre-test answers, record
  interviews and code text answers with themes.

servicepoints' own handler sets its groups' permissions to its app's alone; this one runs
after it (surveys comes later in INSTALLED_APPS) and adds the questionnaire permissions back.
"""

from servicepoints import roles

_READ = [
    "view_questionnaire",
    "view_questionnaireversion",
    "view_section",
    "view_question",
    "view_choice",
    "view_gridrow",
    "view_invitation",
    "view_response",
    "view_answer",
    "view_theme",
    "view_interview",
]

SURVEY_ROLE_PERMISSIONS = {
    roles.ANALYSTS: _READ,
    roles.EDITORS: [
        "view_questionnaire",
        "view_questionnaireversion",
        "view_response",
        "view_theme",
        "view_interview",
    ],
    roles.DATA_ADMINISTRATORS: None,  # every permission of the app
}


def sync_survey_roles(sender=None, **kwargs):
    """Give the role groups their questionnaire permissions (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    app_permissions = Permission.objects.filter(content_type__app_label="surveys")
    for name, codenames in SURVEY_ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = (
            app_permissions
            if codenames is None
            else app_permissions.filter(codename__in=codenames)
        )
        group.permissions.remove(*group.permissions.filter(content_type__app_label="surveys"))
        group.permissions.add(*wanted)
