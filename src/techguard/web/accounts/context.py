from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from techguard.web.accounts.models import role_label
from techguard.web.accounts.roles import role_of


def role(request: HttpRequest) -> dict[str, Any]:
    current = role_of(getattr(request, "user", None))
    # ``role`` is the code (templates compare it); ``role_label`` is what a page shows
    return {"role": current, "role_label": role_label(current), "is_officer": current in {"officer", "administrator"}, "is_admin": current == "administrator"}
