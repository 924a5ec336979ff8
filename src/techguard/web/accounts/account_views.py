"""Password reset by e-mail (Django's views, our templates and audit) and the administrator's user import."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from techguard.web.accounts.csv_rows import CsvFileError
from techguard.web.accounts.invitations import apply_import, plan_import, send_invitation
from techguard.web.accounts.roles import is_admin
from techguard.web.accounts.signed_in import SignedInRequest

MAX_IMPORT_BYTES = 2 * 1024 * 1024


class PasswordResetView(auth_views.PasswordResetView):
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form: Any) -> HttpResponse:
        # links in e-mail start with SITE_URL (the address behind the reverse proxy), not the request's host
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Also the page an invited user chooses a first password on."""

    def form_valid(self, form: Any) -> HttpResponse:
        from techguard.web.audit.chain import record

        response = super().form_valid(form)
        record("user.password_set", user=form.user, obj=form.user, changes={},
               reason="password chosen through an e-mailed link")
        return response


@login_required
def import_users(request: SignedInRequest) -> HttpResponse:
    if not is_admin(request.user):
        raise PermissionDenied
    context: dict[str, Any] = {}
    if request.method == "POST" and "resend" in request.POST:
        who = request.POST.get("resend", "").strip()
        found = list(get_user_model().objects.filter(Q(username__iexact=who) | Q(email__iexact=who))[:2])
        if len(found) != 1:
            context["resend_error"] = _("No single user has this user name or e-mail address.")
        elif found[0].has_usable_password():
            context["resend_error"] = _("%(user)s has chosen a password already; they can use “Forgot your "
                                        "password?”.") % {"user": found[0].get_username()}
        elif send_invitation(found[0], request.user):
            context["resent"] = found[0]
        else:
            context["resend_error"] = _("The invitation could not be e-mailed to") + f" {found[0].get_username()}"
    elif request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or upload.size is None or upload.size > MAX_IMPORT_BYTES:
            context["errors"] = [_("Choose a CSV file (at most 2 MB).")]
        else:
            try:
                plan = plan_import(upload.read(), upload.name or "upload.csv",
                                   create_departments=bool(request.POST.get("create_departments")))
            except CsvFileError as exc:
                context["errors"] = exc.errors
            else:
                context["plan"] = plan
                context["errors"] = plan.errors
                if not plan.errors and not request.POST.get("check_only"):
                    context["result"] = apply_import(plan, request.user)
    return render(request, "accounts/import.html", context)


__all__ = ["PasswordResetConfirmView", "PasswordResetView", "import_users"]
