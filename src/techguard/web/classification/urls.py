from django.urls import path

from techguard.web.classification import views

urlpatterns = [
    path("", views.search, name="classification_search"),
    path("confirm/", views.confirm, name="classification_confirm"),
    path("items/", views.items, name="classification_items"),
    path("items/<int:pk>/", views.item, name="classification_item"),
    path("items/<int:pk>/determination.pdf", views.item_pdf, name="classification_pdf"),
]
