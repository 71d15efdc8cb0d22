"""URLs of the guide and the roadmap, included by partnerships/urls.py (same namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("partnerships/guide/", views.guide_index, name="guide_index"),
    path("partnerships/guide/guide.pdf", views.guide_pdf, name="guide_pdf"),
    path("partnerships/guide/<slug:code>/", views.guide_chapter, name="guide_chapter"),
    path(
        "partnerships/guide/<slug:code>/guide.pdf",
        views.guide_chapter_pdf,
        name="guide_chapter_pdf",
    ),
    path("partnerships/roadmap/", views.roadmap, name="roadmap"),
]
