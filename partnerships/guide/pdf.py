"""The guide as a PDF made on the server by WeasyPrint: a cover, a table of contents whose page
numbers come from CSS target-counter(), one chapter per type, and numbered pages (@page)."""

from django.template.loader import render_to_string
from django.utils import timezone


def guide_html(request, sections):
    """The printable HTML of these chapter sections (also what the benchmark renders)."""
    return render_to_string(
        "partnerships/guide/pdf.html",
        {
            "sections": sections,
            "made": timezone.localdate(),
            "can_read_partnerships": request.user.has_perm("partnerships.view_partnership"),
        },
        request=request,
    )


def _no_fetch(url, *args, **kwargs):
    """The guide's PDF needs nothing from elsewhere: refuse every fetch (no image, no
    stylesheet, no address an admin's Markdown could name)."""
    raise ValueError(f"The guide's PDF does not fetch {url}")


def guide_pdf(request, sections):
    from weasyprint import HTML  # imported on use: loading pango takes a moment

    html = guide_html(request, sections)
    return HTML(
        string=html, base_url=request.build_absolute_uri("/"), url_fetcher=_no_fetch
    ).write_pdf()
