from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from daftar.accounts.views import LoginView

urlpatterns = [
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("daftar.accounts.urls")),
    # One login page for everyone: the admin's own would skip nothing (the second factor is
    # enforced by middleware) but would be a second form to harden and to lock out.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("api/v1/", include("daftar.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("daftar.movement.urls")),
    path("files/", include("daftar.files.urls")),
    path("receipts/", include("daftar.receipts.urls")),
    path("drafts/", include("daftar.drafting.urls")),
    path("mail/", include("daftar.mailroom.urls")),
    path("dispatch/", include("daftar.dispatch.urls")),
    path("audit/", include("daftar.audit.urls")),
    path("search/", include("daftar.search.urls")),
    path("programme/", include("daftar.adoption.urls")),
    path("", include("daftar.signing.urls")),
]
