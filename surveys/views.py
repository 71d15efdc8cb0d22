"""Staff pages: the questionnaires, their results, response rates and exports.

Every page needs the permission to read responses (analysts, jurisdiction editors, data
administrators); what each shows is narrowed by `visible_to` and the suppression rule of
surveys.results.
"""

from django.contrib.auth.decorators import permission_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from servicepoints.models.jurisdictions import sees_all_jurisdictions

from . import charts, exports, rendering, results
from .models import Invitation, QuestionnaireVersion, Status

read_responses = permission_required("surveys.view_response", raise_exception=True)


def _version(pk):
    """A version that was ever answered (pre-test, launched or closed): drafts have no results."""
    versions = QuestionnaireVersion.objects.select_related("questionnaire")
    return get_object_or_404(versions.exclude(status=Status.DRAFT), pk=pk)


@read_responses
def version_list(request):
    versions = (
        QuestionnaireVersion.objects.select_related("questionnaire")
        .exclude(status=Status.DRAFT)
        .annotate(
            submitted=Count(
                "responses",
                filter=Q(responses__submitted_at__isnull=False, responses__is_pretest=False),
            )
        )
    )
    return render(request, "surveys/version_list.html", {"versions": versions})


@read_responses
def version_results(request, pk):
    version = _version(pk)
    breakdown = request.GET.get("by", "overall")
    if breakdown not in results.BREAKDOWNS:
        breakdown = "overall"
    items = results.version_results(version, request.user, breakdown)
    for item in items:
        for table in item.tables:
            table.chart = charts.bar_chart(table)
            table.html = rendering.result_table(table)
        if item.question.kind == "grid":
            item.stacked = charts.stacked_chart(item.tables)
    context = {
        "version": version,
        "results": items,
        "breakdown": breakdown,
        "breakdowns": results.BREAKDOWNS,
        "sees_all": sees_all_jurisdictions(request.user),
        "minimum": results.MIN_ORGANIZATIONS,
    }
    return render(request, "surveys/version_results.html", context)


@read_responses
def version_response_rates(request, pk):
    version = _version(pk)
    invitations = Invitation.objects.visible_to(request.user).filter(version=version)
    counts = {
        "invited": Count("id"),
        "started": Count("id", filter=Q(response__isnull=False)),
        "submitted": Count("id", filter=Q(response__submitted_at__isnull=False)),
    }
    by_organization = (
        invitations.values(
            "organization__name_en", "organization__name_fr", "organization__jurisdiction__code"
        )
        .annotate(**counts)
        .order_by("organization__jurisdiction__code", "organization__name_en")
    )
    by_jurisdiction = (
        invitations.values("organization__jurisdiction__code")
        .annotate(**counts, organizations=Count("organization", distinct=True))
        .order_by("organization__jurisdiction__code")
    )
    total = invitations.aggregate(**counts)
    for row in [*by_organization, *by_jurisdiction, total]:
        row["rate"] = 100 * row["submitted"] / row["invited"] if row["invited"] else None
    return render(
        request,
        "surveys/version_response_rates.html",
        {
            "version": version,
            "by_organization": by_organization,
            "by_jurisdiction": by_jurisdiction,
            "total": total,
        },
    )


@read_responses
def version_export(request, pk, fmt):
    version = _version(pk)
    try:
        content, content_type, filename = exports.export(version, request.user, fmt)
    except KeyError:
        raise Http404 from None
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
