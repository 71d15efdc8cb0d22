"""Pages of the guide (index, one chapter per type, PDFs) and of the roadmap.

Every signed-in user reads the guide's text and the roadmap; the partnerships of a type,
with their lessons and outcomes, come from `Partnership.objects.visible_to(user)`, so those
who may not read partnerships see none of them.
"""

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language

from ..models import Outcome, Partnership, Practice
from . import findings, pdf, timeline
from .markup import render as render_markdown
from .models import GuideChapter, Milestone, Stream


def _chapters():
    return GuideChapter.objects.select_related("type").prefetch_related(
        Prefetch("practices", queryset=Practice.objects.order_by("order", "name_en"))
    )


def chapter_sections(chapters, user):
    """What a chapter page or the PDF shows of each chapter: its rendered text, checklist,
    the partnerships of its type the user may read (lessons, outcomes) and the findings."""
    chapters = list(chapters)
    partnerships = (
        Partnership.objects.visible_to(user)
        .filter(type__in=[c.type_id for c in chapters])
        .prefetch_related(
            Prefetch("outcomes", queryset=Outcome.objects.order_by("date", "pk")),
            "parties__organization",
        )
        .order_by("title_en")
    )
    by_type = {}
    for partnership in partnerships:
        by_type.setdefault(partnership.type_id, []).append(partnership)
    return [
        {
            "chapter": chapter,
            "type": chapter.type,
            "anchor": f"type-{chapter.type.code}",
            "steps": render_markdown(chapter.steps),
            "standards": render_markdown(chapter.standards),
            "practices": list(chapter.practices.all()),
            "partnerships": by_type.get(chapter.type_id, []),
            "findings": findings.findings_for(chapter.type, user),
        }
        for chapter in chapters
    ]


def _common(request):
    return {"can_read_partnerships": request.user.has_perm("partnerships.view_partnership")}


def guide_index(request):
    chapters = list(_chapters())
    return render(
        request,
        "partnerships/guide/index.html",
        {**_common(request), "chapters": chapters},
    )


def guide_chapter(request, code):
    chapter = get_object_or_404(_chapters(), type__code=code)
    (section,) = chapter_sections([chapter], request.user)
    return render(
        request, "partnerships/guide/chapter.html", {**_common(request), "section": section}
    )


def _pdf_response(request, sections, name):
    data = pdf.guide_pdf(request, sections)
    response = HttpResponse(data, content_type="application/pdf")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{get_language() or "en"}-{stamp}.pdf"'
    )
    return response


def guide_pdf(request):
    """The whole guide as one PDF, with its table of contents and page numbers."""
    return _pdf_response(request, chapter_sections(_chapters(), request.user), "guide")


def guide_chapter_pdf(request, code):
    chapter = get_object_or_404(_chapters(), type__code=code)
    return _pdf_response(
        request, chapter_sections([chapter], request.user), f"guide-{chapter.type.code}"
    )


def roadmap(request):
    streams = list(
        Stream.objects.prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("date", "pk"))
        )
    )
    return render(
        request,
        "partnerships/guide/roadmap.html",
        {**_common(request), "streams": streams, "timeline": timeline.build(streams)},
    )
