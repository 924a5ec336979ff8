"""E-mail to one user in their own language: the one sending path of the case workflow and the licence reminders.

A notice is "sent" only when the mail server took it; callers report exactly that (never "notified" when nothing
went out) and decide what a failure means for them (a decision stands; a reminder is tried again).
"""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from techguard.web.accounts.models import Profile

log = logging.getLogger("techguard.web")


def language_of(user: Any) -> str:
    """The user's chosen language, else the site's."""
    return Profile.objects.filter(user=user).values_list("language", flat=True).first() or settings.LANGUAGE_CODE


def send_in_language(user: Any, template: str, context: dict[str, Any], *, about: str) -> bool:
    """Render ``{template}_subject.txt`` and ``{template}.txt`` in the user's language and mail them; True only
    when the mail was sent (a user without an address, or a mail-server error, gives False)."""
    if not user.email:
        return False
    with translation.override(language_of(user)):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}.txt", context)
    try:
        return send_mail(subject, body, None, [user.email]) > 0
    except (smtplib.SMTPException, OSError) as exc:
        log.warning("e-mail to %s about %s not sent: %s", user.email, about, exc)
        return False


__all__ = ["language_of", "send_in_language"]
