from django.urls import path

from daftar.dispatch import paper_views, views

urlpatterns = [
    path("drafts/<int:pk>/sign/", views.draft_sign, name="dispatch-sign"),
    path("drafts/<int:pk>/issue/", views.letter_issue, name="dispatch-issue"),
    path("register/", views.dispatch_register, name="dispatch-register"),
    path("paper/new/", paper_views.paper_letter_new, name="dispatch-paper-new"),
    path("<int:pk>/", views.dispatch_detail, name="dispatch-detail"),
    path("<int:pk>/letter.pdf", views.dispatch_letter, name="dispatch-letter"),
    path("deliveries/<int:pk>/retry/", views.delivery_retry_view, name="dispatch-delivery-retry"),
    path("deliveries/<int:pk>/sent/", views.delivery_sent_view, name="dispatch-delivery-sent"),
    path("deliveries/<int:pk>/label.pdf", views.delivery_label, name="dispatch-delivery-label"),
]
