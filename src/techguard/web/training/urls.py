from django.urls import path

from techguard.web.training import views

urlpatterns = [
    path("", views.training_list, name="training_list"),
    path("add/", views.training_add, name="training_add"),
    path("import/", views.training_import, name="training_import"),
    path("policy/", views.training_policy, name="training_policy"),
]
