from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techguard.web.accounts.models import ApiToken
from techguard.web.accounts.roles import profile_of
from techguard.web.accounts.signed_in import SignedInRequest
from techguard.web.audit.chain import record


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch language; for a signed-in user the choice is kept in the profile."""
    language = request.POST.get("language", "")
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = redirect(target)
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            profile = profile_of(request.user)
            profile.language = language
            profile.save(update_fields=["language"])
        translation.activate(language)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response


@login_required
def tokens(request: SignedInRequest) -> HttpResponse:
    new_token = None
    status = 200
    if request.method == "POST":
        if "revoke" in request.POST:
            token = ApiToken.objects.filter(user=request.user, pk=request.POST["revoke"]).first()
            if token:
                token.revoked = True
                token.save(update_fields=["revoked"])
                record("token.revoked", user=request.user, obj=token)
        else:
            name = request.POST.get("name", "").replace("\x00", "").strip() or "api"
            if len(name) > ApiToken.NAME_MAX:
                messages.error(request, f"Token name: at most {ApiToken.NAME_MAX} characters / "
                                        f"トークン名は {ApiToken.NAME_MAX} 文字以内")
                status = 400
            else:
                row, new_token = ApiToken.issue(request.user, name)
                record("token.issued", user=request.user, obj=row,
                       changes={"name": name, "prefix": row.prefix, "expires": row.expires})
                messages.success(request, _("Copy the token now; it is not shown again."))
    return render(request, "accounts/tokens.html", {
        "tokens": ApiToken.objects.filter(user=request.user).order_by("-created"), "new_token": new_token,
    }, status=status)
