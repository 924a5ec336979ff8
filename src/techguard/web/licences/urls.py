from django.urls import path

from techguard.web.licences import views

urlpatterns = [
    path("expiring/", views.expiring, name="licences_expiring"),
    path("case/<int:case_pk>/", views.case_licences, name="case_licences"),
    path("<int:pk>/edit/", views.licence_edit, name="licence_edit"),
]
