"""Search screens, under /search/ (the API's endpoint is in daftar.search.api_urls)."""

from django.urls import URLPattern, path

from daftar.search import views

urlpatterns: list[URLPattern] = [
    path("", views.search_page, name="search"),
    path("posts/", views.holder_options, name="search-posts"),
]
