"""The clerk's e-mail draft screens, under /mail/."""

from django.urls import URLPattern, path

from daftar.mailroom import views

urlpatterns: list[URLPattern] = [
    path("", views.mail_list, name="mail-list"),
    path("<int:pk>/", views.mail_detail, name="mail-detail"),
    path("<int:pk>/message.eml", views.mail_raw, name="mail-raw"),
    path("<int:pk>/complete/", views.mail_complete, name="mail-complete"),
    path("<int:pk>/discard/", views.mail_discard, name="mail-discard"),
]
