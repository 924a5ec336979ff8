"""The request type of a view that only signed-in users reach.

Django hands every view an ``HttpRequest`` whose ``user`` may be ``AnonymousUser``; behind ``login_required`` (or
a role check that implies it) it never is. Annotating such a view's request as :class:`SignedInRequest` tells the
type checker what the decorator already ensured, so ``request.user`` is a stored ``User`` where a query or a foreign
key needs one. An annotation only: Django's own request object is what arrives.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest


class SignedInRequest(HttpRequest):
    user: User


__all__ = ["SignedInRequest"]
