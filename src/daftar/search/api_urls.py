from django.urls import URLPattern, path

from daftar.search import api

urlpatterns: list[URLPattern] = [
    path("search/", api.SearchApi.as_view(), name="api-search"),
]
