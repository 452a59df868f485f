"""Public routes: anyone may fetch the CA certificate and CRL and verify a letter."""

from django.urls import path

from daftar.signing import views

app_name = "signing"

urlpatterns = [
    path("pki/ca.crt", views.ca_certificate, name="ca-certificate"),
    path("pki/ca.crl", views.ca_crl, name="ca-crl"),
    path("verify/", views.verify_upload, name="verify"),
    path("verify/<str:token>/", views.verify_token, name="verify-token"),
]
