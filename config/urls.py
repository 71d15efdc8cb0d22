"""URLs: every page under /en/ or /fr/; the language switch at /i18n/setlang/."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.static import serve

from . import views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    # Data endpoints carry no language prefix; messages follow Accept-Language.
    path("api/partnerships/", include("partnerships.api_urls")),
    path("api/", include("servicepoints.api_urls")),
    path("tiles/", include("servicepoints.tiles.urls")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        login_not_required(auth_views.LoginView.as_view(redirect_authenticated_user=True)),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("servicepoints.map_urls")),
    path("", include("servicepoints.quality_urls")),
    path("", include("servicepoints.analysis.dashboard.urls")),
    path("", include("partnerships.urls")),
    path("", include("surveys.urls")),
)

if settings.DEBUG:
    # Uploaded photos in development; in production the front web server serves MEDIA_ROOT.
    urlpatterns += [
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            login_not_required(serve),
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
