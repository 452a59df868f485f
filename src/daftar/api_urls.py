from django.urls import include, path

urlpatterns = [
    path("", include("daftar.files.api_urls")),
    path("", include("daftar.movement.api_urls")),
    path("", include("daftar.search.api_urls")),
]
