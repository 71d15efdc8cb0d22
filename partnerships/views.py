"""Pages of the partnerships: the inventory, a record, its forms, decisions and documents.

Thin views: access comes from `Partnership.objects.visible_to/editable_by` and the rules of
partnerships/approval.py; refusals are 403 with nothing changed.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicepoints.models import Jurisdiction, Organization, ServicePoint

from . import approval, documents, exports
from . import history as partnership_history
from .forms import (
    PAGE_SIZE,
    DecisionForm,
    DocumentForm,
    InventoryFilter,
    OutcomeForm,
    PartnershipForm,
    PartyFormSet,
)
from .models import (
    ChangeRequest,
    ChangeState,
    Document,
    Partnership,
    PartnershipType,
    Practice,
    Readiness,
    Role,
    Sector,
    Status,
)
from .terms import describe_changes


def _visible(request):
    if not request.user.has_perm("partnerships.view_partnership"):
        raise PermissionDenied
    return Partnership.objects.visible_to(request.user)


def _selection(request):
    form = InventoryFilter(request.GET)
    queryset = _visible(request)
    if form.is_valid():
        queryset = queryset.filter_by(form.cleaned_data)
    else:
        queryset = queryset.none()
    return form, queryset


def counts(queryset):
    """Partnerships of the selection by type, by status, and in all, from one grouped
    statement (the page's count comes from it too)."""
    grouped = list(queryset.order_by().values_list("type", "status").annotate(n=Count("pk")))
    by_type, by_status = {}, {}
    for type_id, status, n in grouped:
        by_type[type_id] = by_type.get(type_id, 0) + n
        by_status[status] = by_status.get(status, 0) + n
    return (
        [(t, by_type[t.pk]) for t in PartnershipType.objects.all() if t.pk in by_type],
        [(label, by_status[code]) for code, label in Status.choices if code in by_status],
        sum(by_type.values()),
    )


def partnership_list(request):
    """The inventory: filters, counts by type and status, a page of the list, exports."""
    form, queryset = _selection(request)
    paginator = Paginator(
        queryset.select_related("type").prefetch_related("parties__organization"), PAGE_SIZE
    )
    by_type, by_status, paginator.count = counts(queryset)
    page = paginator.get_page(form.cleaned_data.get("page") if form.is_valid() else 1)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "by_type": by_type,
        "by_status": by_status,
        "query": query.urlencode(),
        "choices": {
            "types": PartnershipType.objects.all(),
            "statuses": Status.choices,
            "jurisdictions": Jurisdiction.objects.order_by("code"),
            "organizations": Organization.objects.filter(partnership_parties__isnull=False)
            .distinct()
            .order_by("name_en"),
            "practices": Practice.objects.all(),
        },
        "can_create": request.user.has_perm("partnerships.add_partnership"),
    }
    return render(request, "partnerships/partnership_list.html", context)


def partnership_export(request, format):
    """The whole filtered selection as CSV or XLSX."""
    form, queryset = _selection(request)
    if not form.is_valid():
        return HttpResponse(
            "; ".join(f"{name}: {' '.join(errs)}" for name, errs in form.errors.items()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    stamp = timezone.localdate().isoformat()
    if format == "xlsx":
        response = HttpResponse(exports.xlsx_bytes(queryset), content_type=exports.XLSX)
    else:
        response = HttpResponse(exports.csv_text(queryset), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="partnerships-{stamp}.{format}"'
    return response


def partnership_detail(request, pk):
    """A partnership: its terms, parties, sites, practices, readiness, outcomes, documents,
    pending changes (with the decision form for those who decide) and history."""
    partnership = get_object_or_404(_visible(request).select_related("type"), pk=pk)
    return _render_detail(request, partnership)


def _render_detail(request, partnership, status=200, **forms):
    changes = []
    for change in partnership.change_requests.select_related("proposed_by").prefetch_related(
        "approvals__jurisdiction", "approvals__decided_by", "proposed_for"
    ):
        pending = change.state == ChangeState.PENDING
        changes.append(
            {
                "change": change,
                "differences": describe_changes(change.previous_terms, change.terms),
                "awaiting": list(approval.awaiting(change)) if pending else [],
                "may_decide": list(approval.may_decide(change, request.user)),
            }
        )
    can_edit = partnership.can_edit(request.user)
    context = {
        "partnership": partnership,
        "parties": partnership.parties.select_related("organization__jurisdiction"),
        "sites": partnership.sites.select_related("service_point__organization"),
        "readiness": partnership.readiness.all(),
        "changes": changes,
        "can_edit": can_edit,
        "can_download": request.user.has_perm("partnerships.view_document")
        and (can_edit or _sees_all(request.user)),
        "history": partnership_history.history(partnership),
        "decision_form": DecisionForm(),
        "document_form": forms.get("document_form") or DocumentForm(),
        "outcome_form": forms.get("outcome_form") or OutcomeForm(),
    }
    return render(request, "partnerships/partnership_detail.html", context, status=status)


def _sees_all(user):
    from servicepoints.models.jurisdictions import sees_all_jurisdictions

    return sees_all_jurisdictions(user)


def _initial_from_query(request):
    """A draft from the address (the co-location finder's "propose a partnership"):
    `sites=1,2&organizations=code,code&type=co-location`."""
    initial = {"status": Status.IDEA}
    if request.GET.get("type"):
        initial["type"] = request.GET["type"]
    sites = [s for s in request.GET.get("sites", "").split(",") if s.strip().isdigit()]
    if sites:
        initial["sites"] = ", ".join(sites)
        points = ServicePoint.objects.filter(pk__in=sites).select_related("organization")
        names = " – ".join(sorted({p.organization.name_en for p in points}))
        communities = sorted({p.community for p in points if p.community})
        initial["title_en"] = f"Co-location: {names}"
        initial["title_fr"] = f"Cohabitation\u00a0: {names}"
        initial["communities_served"] = "\n".join(communities)
        initial.setdefault("type", "co-location")
    codes = [c for c in request.GET.get("organizations", "").split(",") if c]
    parties = [
        {"organization": code, "role": Role.PARTNER, "sector": Sector.GOVERNMENT}
        for code in codes
        if Organization.objects.filter(code=code).exists()
    ]
    return initial, parties


def partnership_create(request):
    """A new partnership; the creator's organization must be a party (else 403)."""
    if not request.user.has_perm("partnerships.add_partnership"):
        raise PermissionDenied
    if request.method == "POST":
        form = PartnershipForm(request.POST)
        parties = PartyFormSet(request.POST, prefix="parties")
        if form.is_valid() and parties.is_valid():
            try:
                with transaction.atomic():
                    partnership = approval.create(
                        request.user, form.record_fields(), form.terms(parties.parties())
                    )
                    _save_record_extras(partnership, form)
            except ValidationError as error:
                _errors_to_form(form, parties, error)
            else:
                messages.success(request, _("The partnership was created."))
                return redirect(partnership)
    else:
        initial, party_initial = _initial_from_query(request)
        form = PartnershipForm(initial=initial)
        parties = PartyFormSet(prefix="parties", initial=party_initial)
    return render(
        request,
        "partnerships/partnership_form.html",
        {"form": form, "parties": parties, "partnership": None},
    )


def partnership_edit(request, pk):
    """Change a partnership: its own fields at once, its agreed terms through approval."""
    partnership = get_object_or_404(_visible(request), pk=pk)
    if not partnership.can_edit(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = PartnershipForm(request.POST)
        parties = PartyFormSet(request.POST, prefix="parties")
        if form.is_valid() and parties.is_valid():
            try:
                with transaction.atomic():
                    for name, value in form.record_fields().items():
                        setattr(partnership, name, value)
                    partnership.save()
                    _save_record_extras(partnership, form)
                    change = approval.propose(
                        partnership,
                        request.user,
                        form.terms(parties.parties()),
                        form.cleaned_data["note"],
                    )
            except ValidationError as error:
                _errors_to_form(form, parties, error)
            else:
                if change:
                    messages.info(
                        request,
                        _("The change to the agreed terms waits for the approval of %(who)s.")
                        % {"who": ", ".join(j.name for j in approval.awaiting(change))},
                    )
                else:
                    messages.success(request, _("The partnership was saved."))
                return redirect(partnership)
    else:
        form = PartnershipForm(initial=_initial_of(partnership))
        parties = PartyFormSet(
            prefix="parties",
            initial=[
                {"organization": p.organization.code, "role": p.role, "sector": p.sector}
                for p in partnership.parties.select_related("organization")
            ],
        )
    return render(
        request,
        "partnerships/partnership_form.html",
        {"form": form, "parties": parties, "partnership": partnership},
    )


def _initial_of(partnership):
    initial = {name: getattr(partnership, name) for name in PartnershipForm.RECORD_FIELDS}
    initial.update(
        type=partnership.type.code,
        status=partnership.status,
        start_date=partnership.start_date,
        end_date=partnership.end_date,
        objectives_en=partnership.objectives_en,
        objectives_fr=partnership.objectives_fr,
        sites=", ".join(
            str(pk) for pk in partnership.sites.values_list("service_point_id", flat=True)
        ),
        practices=list(partnership.practices.values_list("code", flat=True)),
    )
    for rating in partnership.readiness.all():
        initial[f"readiness_{rating.factor}"] = rating.rating
        initial[f"readiness_{rating.factor}_note"] = rating.note
    return initial


def _save_record_extras(partnership, form):
    """Practices and readiness: the record's own, not agreed terms."""
    partnership.practices.set(form.cleaned_data["practices"])
    for factor, (rating, note) in form.readiness().items():
        if rating is None:
            partnership.readiness.filter(factor=factor).delete()
        else:
            Readiness.objects.update_or_create(
                partnership=partnership, factor=factor, defaults={"rating": rating, "note": note}
            )


def _errors_to_form(form, parties, error):
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.message_dict.items():
        if name == "parties":
            parties._non_form_errors = parties.error_class(errors)
        elif name in form.fields:
            form.add_error(name, errors)
        else:
            form.add_error(None, errors)


@require_POST
def change_decide(request, pk, change_pk):
    """Approve or refuse a pending change, for the user's jurisdictions still awaited."""
    partnership = get_object_or_404(_visible(request), pk=pk)
    change = get_object_or_404(ChangeRequest, partnership=partnership, pk=change_pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or to refuse."))
        return redirect(partnership)
    try:
        change = approval.decide(
            change, request.user, form.cleaned_data["decision"], form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        labels = {
            ChangeState.APPLIED: _("Approved: the change is applied."),
            ChangeState.REFUSED: _("Refused: nothing changed."),
            ChangeState.PENDING: _("Approved; other parties still have to decide."),
        }
        messages.success(request, labels[change.state])
    return redirect(partnership)


@require_POST
def document_upload(request, pk):
    partnership = get_object_or_404(_visible(request), pk=pk)
    if not partnership.can_edit(request.user):
        raise PermissionDenied
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        document = form.save(commit=False)
        document.partnership = partnership
        document.uploaded_by = request.user
        document.save()
        messages.success(request, _("The document was added."))
        return redirect(partnership)
    return _render_detail(request, partnership, status=400, document_form=form)


@require_POST
def outcome_add(request, pk):
    partnership = get_object_or_404(_visible(request), pk=pk)
    if not partnership.can_edit(request.user):
        raise PermissionDenied
    form = OutcomeForm(request.POST)
    if form.is_valid():
        outcome = form.save(commit=False)
        outcome.partnership = partnership
        outcome.save()
        messages.success(request, _("The outcome was added."))
        return redirect(partnership)
    return _render_detail(request, partnership, status=400, outcome_form=form)


def document_download(request, pk, document_pk):
    """A document, to those allowed (`Document.can_download`); 403 for anyone else."""
    partnership = get_object_or_404(_visible(request), pk=pk)
    document = get_object_or_404(Document, partnership=partnership, pk=document_pk)
    if not document.can_download(request.user):
        raise PermissionDenied
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    ext = documents.extension(document.file.name)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.file.name.rsplit("/", 1)[-1].split("-", 1)[-1],
        content_type=documents.CONTENT_TYPES.get(ext, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
