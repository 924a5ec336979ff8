"""The screening workbench's pages (included under ``screening/`` by the project's urls)."""

from django.urls import path

from techguard.web.screening import views, workbench_views

urlpatterns = [
    path("hits/decide/", workbench_views.hit_decide, name="hit_decide"),
    path("review/", workbench_views.review_queue, name="review_queue"),
    path("parties/", workbench_views.counterparties, name="counterparties"),
    path("parties/<int:pk>/", workbench_views.counterparty_detail, name="counterparty_detail"),
    path("lists/import/", views.lists_import, name="lists_import"),
    path("batches/<int:pk>/alerts/", views.batch_alerts, name="batch_alerts"),
    path("batches/<int:pk>/record/<int:index>.pdf", views.screening_record, name="screening_record"),
    path("record.pdf", views.search_record, name="search_record"),
]
