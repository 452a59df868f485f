from django.urls import path

from daftar.accounts import views, views_two_factor

app_name = "accounts"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("confirm/", views.confirm, name="confirm"),
    path("password/", views.password_change, name="password-change"),
    path("security/", views_two_factor.security, name="security"),
    path("two-factor/setup/", views_two_factor.setup, name="setup"),
    path("two-factor/recovery-codes/", views_two_factor.codes_regenerate, name="codes"),
    path("two-factor/remove/", views_two_factor.remove, name="remove"),
]
