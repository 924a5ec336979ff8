"""Classification pages: search the catalogue, confirm a classification (officers), the item master, 該非判定書."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from techguard.web.accounts.roles import is_officer
from techguard.web.accounts.signed_in import SignedInRequest
from techguard.web.classification import services
from techguard.web.classification.models import ItemClassification


@login_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    lang = request.GET.get("lang") or None
    answer: dict[str, Any] | None = None
    error = ""
    if "q" in request.GET:
        try:
            top = int(request.GET.get("top", "5"))
        except ValueError:
            top = 5
        try:
            answer = services.search(query, lang=lang if lang in ("ja", "en") else None, top=top)
        except services.CatalogueError as exc:
            error = str(exc)
    return render(request, "classification/search.html", {
        "query": query, "lang": lang or "", "answer": answer, "error": error,
        "officer": is_officer(request.user),
        "answer_json": json.dumps(answer["candidates"], ensure_ascii=False) if answer else "[]",
    })


@login_required
@require_POST
def confirm(request: SignedInRequest) -> HttpResponse:
    if not is_officer(request.user):
        raise PermissionDenied
    post = request.POST
    try:
        candidates = json.loads(post.get("candidates", "[]") or "[]")
    except json.JSONDecodeError:
        candidates = []
    try:
        row = services.confirm(
            request.user, item_name=post.get("item_name", ""), description=post.get("description", ""),
            eccn=post.get("eccn", ""), jp_item=post.get("jp_item", ""), jp_article=post.get("jp_article", ""),
            reasons=post.get("reasons", ""), candidates=candidates if isinstance(candidates, list) else [],
        )
    except services.CatalogueError as exc:
        messages.error(request, str(exc))
        return redirect(f"{request.META.get('HTTP_REFERER') or '/classification/'}")
    messages.success(request, _("Classification confirmed."))
    return redirect("classification_item", pk=row.pk)


@login_required
def items(request: HttpRequest) -> HttpResponse:
    rows = list(ItemClassification.objects.select_related("confirmed_by")[:500])
    flagged = {row.pk: services.needs_review(row) for row in rows}
    return render(request, "classification/items.html", {"rows": rows, "flagged": flagged})


@login_required
def item(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(ItemClassification.objects.select_related("confirmed_by"), pk=pk)
    return render(request, "classification/item.html", {"row": row, "stale": services.needs_review(row)})


@login_required
def item_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from techguard.catalogue.store import load
    from techguard.web.classification.pdf import determination_pdf

    row = get_object_or_404(ItemClassification.objects.select_related("confirmed_by"), pk=pk)
    language = request.GET.get("lang") or get_language() or "ja"
    try:
        entries = load().entries
    except services.CatalogueError:
        entries = {}
    response = HttpResponse(determination_pdf(row, entries, language), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="classification-{row.pk}-{language[:2]}.pdf"'
    return response
