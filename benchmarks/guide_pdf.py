"""The partnership guide as a PDF (issue 15: guide PDF < 5 s).

The guide's seven chapters with 10 partnerships of each type (70, each with its lessons and
three outcomes, made here and deleted afterwards), read by an analyst:

- *reference*: the same printable HTML rendered without making the PDF (`pdf.guide_html`);
- the whole guide's PDF through its page, `GET /en/partnerships/guide/guide.pdf` (records,
  HTML and WeasyPrint);
- one type's PDF (co-location).
"""

from benchmarks.common import analyst_client, interleaved, p50

PER_TYPE = 10
PREFIX = "bench-guide-"


def _make(types):
    from partnerships.models import Outcome, Partnership

    made = []
    for t in types:
        for i in range(PER_TYPE):
            made.append(
                Partnership(
                    seed_key=f"{PREFIX}{t.code}-{i}",
                    title_en=f"{t.name_en} pilot {i + 1}",
                    title_fr=f"Projet pilote {i + 1} – {t.name_fr}",
                    summary_en="Two organizations serve one community together. " * 3,
                    summary_fr="Deux organisations servent ensemble une collectivité. " * 3,
                    lessons_en="Agree hours and signage before opening; brief staff. " * 4,
                    lessons_fr="Convenir des heures et de la signalisation ; informer. " * 4,
                    type=t,
                    status="pilot",
                )
            )
    made = Partnership.objects.bulk_create(made)
    Outcome.objects.bulk_create(
        Outcome(partnership=p, name_en=f"Metric {k}", baseline="100", target="150", actual="140")
        for p in made
        for k in range(3)
    )


def _clean():
    from partnerships.models import Partnership

    Partnership.objects.filter(seed_key__startswith=PREFIX).delete()


def run():
    from django.test import RequestFactory

    from partnerships.guide import pdf
    from partnerships.guide.views import _chapters, chapter_sections
    from partnerships.models import PartnershipType

    types = list(PartnershipType.objects.filter(guide_chapter__isnull=False))
    _clean()
    _make(types)
    try:
        client, user = analyst_client()
        request = RequestFactory().get("/en/partnerships/guide/guide.pdf")
        request.user = user
        pages = {}

        def html():
            pdf.guide_html(request, chapter_sections(_chapters(), user))

        def whole():
            response = client.get("/en/partnerships/guide/guide.pdf")
            assert response.status_code == 200 and response.content.startswith(b"%PDF-")
            pages["whole"] = response.content

        def one():
            response = client.get("/en/partnerships/guide/co-location/guide.pdf")
            assert response.status_code == 200

        html_times, whole_times, one_times = interleaved([html, whole, one], repeat=5, warmup=1)
    finally:
        _clean()
    import io

    from pypdf import PdfReader

    page_count = len(PdfReader(io.BytesIO(pages["whole"])).pages)
    reference, mine, single = p50(html_times), p50(whole_times), p50(one_times)
    label = (
        f"guide PDF, {len(types)} types, {len(types) * PER_TYPE} partnerships, {page_count} pages"
    )
    return [
        (
            label,
            "reference: the same printable HTML without the PDF, p50 of 5",
            f"{reference * 1000:.0f} ms",
            "—",
            "1×",
            "—",
        ),
        (
            label,
            "`GET …/guide/guide.pdf`: the whole guide, p50 of 5",
            f"{mine * 1000:.0f} ms",
            f"HTML {reference * 1000:.0f} ms",
            f"{mine / reference:.1f}×",
            "< 5 s",
        ),
        (
            label,
            "`GET …/guide/co-location/guide.pdf`: one type, p50 of 5",
            f"{single * 1000:.0f} ms",
            f"HTML {reference * 1000:.0f} ms",
            f"{single / reference:.1f}×",
            "< 5 s",
        ),
    ]
