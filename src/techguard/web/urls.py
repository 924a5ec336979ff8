from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from techguard.web import research_views
from techguard.web.accounts import views as account_views
from techguard.web.accounts.security import ThrottledAuthenticationForm
from techguard.web.api import api
from techguard.web.audit import views as audit_views
from techguard.web.cases import corrections, dashboard
from techguard.web.cases import views as case_views
from techguard.web.researchsec import views as researchsec_views
from techguard.web.screening import views as screening_views

urlpatterns = [
    path("", case_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", account_views.set_language, name="set_language"),
    path("tokens/", account_views.tokens, name="tokens"),
    path("cases/", case_views.case_list, name="case_list"),
    path("cases/new/<str:kind>/", case_views.case_new, name="case_new"),
    path("cases/<int:pk>/", case_views.case_detail, name="case_detail"),
    path("cases/<int:pk>/answer/", case_views.case_answer, name="case_answer"),
    path("cases/<int:pk>/edit/", corrections.case_edit, name="case_edit"),
    path("cases/<int:pk>/recheck/", case_views.case_recheck, name="case_recheck"),
    path("cases/<int:pk>/submit/", case_views.case_submit, name="case_submit"),
    path("cases/<int:pk>/review/", case_views.case_review, name="case_review"),
    path("cases/<int:pk>/approve/", case_views.case_approve, name="case_approve"),
    path("cases/<int:pk>/return/", case_views.case_return, name="case_return"),
    path("cases/<int:pk>/withdraw/", case_views.case_withdraw, name="case_withdraw"),
    path("cases/<int:pk>/attachments/", case_views.case_attach, name="case_attach"),
    path("cases/<int:pk>/attachments/<int:attachment_id>/", case_views.case_attachment, name="case_attachment"),
    path("cases/<int:pk>/comment/", case_views.case_comment, name="case_comment"),
    path("cases/<int:pk>/memo.pdf", case_views.case_memo, name="case_memo"),
    path("cases/<int:pk>/classify/", case_views.case_classify_propose, name="case_classify_propose"),
    path("cases/<int:pk>/classify/confirm/", case_views.case_classify_confirm, name="case_classify_confirm"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/export.<str:fmt>", dashboard.export, name="dashboard_export"),
    path("screening/", screening_views.search, name="screening_search"),
    path("screening/batches/", screening_views.batches, name="batches"),
    path("screening/batches/<int:pk>/", screening_views.batch_detail, name="batch_detail"),
    path("screening/batches/<int:pk>/progress/", screening_views.batch_progress, name="batch_progress"),
    path("screening/batches/<int:pk>/results.<str:fmt>", screening_views.batch_download, name="batch_download"),
    path("screening/lists/", screening_views.lists_status, name="lists_status"),
    path("screening/", include("techguard.web.screening.urls")),  # the workbench (decisions, review, parties)
    path("research/affiliation/", research_views.affiliation, name="research_affiliation"),
    path("research/disclosures/", researchsec_views.disclosures, name="disclosures"),
    path("research/disclosures/<int:pk>/", researchsec_views.disclosure_detail, name="disclosure_detail"),
    path("research/disclosures/<int:pk>/flags/<str:flag_id>/", researchsec_views.flag_review, name="flag_review"),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("classification/", include("techguard.web.classification.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    # accounts: password reset, user import, single sign-on; training records
    path("", include("techguard.web.accounts.account_urls")),
    path("training/", include("techguard.web.training.urls")),
    path("licences/", include("techguard.web.licences.urls")),
]

# `techguard web serve` without a proxy in front: gunicorn serves the collected static files itself.
if settings.TECHGUARD_SERVE_STATIC:
    from django.views.static import serve as _serve_static

    urlpatterns.append(re_path(r"^static/(?P<path>.*)$", _serve_static, {"document_root": settings.STATIC_ROOT}))
