"""The change history of service points and organizations, read from django-pghistory's events.

Triggers in the database record every insert, update and delete, including queryset updates
and raw SQL; the request's user and URL (or the management command) are attached as context.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

# Columns that change on every save or are derived from others: not worth showing as changes.
HIDDEN_FIELDS = {"id", "updated_at", "created_at", "bilingual"}

ACTIONS = {
    "insert": _("created"),
    "update": _("changed"),
    "delete": _("deleted"),
    "service.add": _("service added"),
    "service.remove": _("service removed"),
}


@dataclass
class Change:
    label: str
    before: object
    after: object


@dataclass
class Entry:
    when: datetime
    action: str
    who: str
    via: str
    changes: list = field(default_factory=list)


def _display(model_field, value):
    """A stored value as a person reads it (choice labels, related objects' names)."""
    if value in (None, "", []):
        return "—"
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if model_field.is_relation:
        related = model_field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else f"#{value}"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _who(context_metadata, users):
    if not context_metadata:
        return "", ""
    user = users.get(context_metadata.get("user"))
    via = context_metadata.get("url") or context_metadata.get("command") or ""
    if context_metadata.get("import_run"):
        via = _("import run %(run)s") % {"run": context_metadata["import_run"]}
    elif context_metadata.get("import_run_undone"):
        via = _("undo of import run %(run)s") % {"run": context_metadata["import_run_undone"]}
    return (user.get_username() if user else ""), via


def history(obj):
    """Entries for one object, oldest first: who, when, what, and each field before → after."""
    model = type(obj)
    event_model = apps.get_model(model._meta.app_label, f"{model.__name__}Event")
    events = list(
        event_model.objects.filter(pgh_obj_id=obj.pk)
        .select_related("pgh_context")
        .order_by("pgh_id")
    )
    link_events = []
    if hasattr(obj, "services"):
        link_model = apps.get_model(model._meta.app_label, "ServicePointServicesEvent")
        link_events = list(
            link_model.objects.filter(servicepoint_id=obj.pk)
            .select_related("pgh_context", "service")
            .order_by("pgh_id")
        )
    contexts = [e.pgh_context.metadata for e in events + link_events if e.pgh_context]
    user_ids = {c.get("user") for c in contexts if c.get("user")}
    users = get_user_model().objects.in_bulk(user_ids)

    # The model's fields that its event model keeps (some, like the import fingerprint, are
    # not tracked).
    kept = {f.attname for f in event_model._meta.concrete_fields}
    tracked = [
        f
        for f in model._meta.concrete_fields
        if f.name not in HIDDEN_FIELDS and not getattr(f, "generated", False) and f.attname in kept
    ]
    entries = []
    previous = None
    for event in events:
        who, via = _who(event.pgh_context.metadata if event.pgh_context else None, users)
        entry = Entry(
            event.pgh_created_at, str(ACTIONS.get(event.pgh_label, event.pgh_label)), who, via
        )
        for model_field in tracked:
            attname = model_field.attname
            after = getattr(event, attname)
            before = getattr(previous, attname) if previous is not None else None
            if event.pgh_label == "delete" or (previous is not None and before == after):
                continue
            if previous is None and after in (None, "", []):
                continue
            entry.changes.append(
                Change(
                    str(model_field.verbose_name),
                    _display(model_field, before) if previous is not None else "",
                    _display(model_field, after),
                )
            )
        if event.pgh_label == "delete" or entry.changes or previous is None:
            entries.append(entry)
        previous = event
    for event in link_events:
        who, via = _who(event.pgh_context.metadata if event.pgh_context else None, users)
        entries.append(
            Entry(
                event.pgh_created_at,
                str(ACTIONS.get(event.pgh_label, event.pgh_label)),
                who,
                via,
                [Change(str(_("service")), "", str(event.service))],
            )
        )
    entries.sort(key=lambda entry: entry.when)
    return entries
