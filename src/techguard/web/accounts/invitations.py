"""Bulk user import from CSV with roles and departments, and invitation e-mails with a set-password link.

Columns (English or Japanese headers): email (required), username (default: the e-mail), first_name, last_name,
role (researcher / officer / administrator, or 研究者 / 輸出管理担当者 / 管理者), department (English or
Japanese name), language (en / ja). Every line is checked first; when any line is wrong nothing is created and
each error names the file, line and column. Users that already exist are listed as skipped, never changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from techguard.web.accounts.csv_rows import LineError, read_rows
from techguard.web.accounts.models import Department, Profile, Role
from techguard.web.mail import send_in_language

ALIASES = {
    "e-mail": "email", "mail": "email", "メールアドレス": "email", "メール": "email",
    "user": "username", "ユーザー名": "username", "ユーザ名": "username", "アカウント": "username",
    "given name": "first_name", "名": "first_name", "family name": "last_name", "姓": "last_name",
    "役割": "role", "ロール": "role", "権限": "role",
    "部局": "department", "所属": "department", "言語": "language",
}
ROLE_NAMES = {
    "researcher": Role.RESEARCHER, "研究者": Role.RESEARCHER,
    "officer": Role.OFFICER, "export-control officer": Role.OFFICER, "輸出管理担当者": Role.OFFICER,
    "担当者": Role.OFFICER,
    "administrator": Role.ADMINISTRATOR, "admin": Role.ADMINISTRATOR, "管理者": Role.ADMINISTRATOR,
}
LANGUAGE_NAMES = {"en": "en", "english": "en", "英語": "en", "ja": "ja", "japanese": "ja", "日本語": "ja"}


@dataclass(frozen=True)
class PlannedUser:
    line: int
    username: str
    email: str
    first_name: str
    last_name: str
    role: str
    department: str  # as given; resolved (or created) when applied
    language: str


@dataclass
class ImportPlan:
    filename: str
    users: list[PlannedUser] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, why)
    errors: list[LineError] = field(default_factory=list)
    new_departments: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    created: list[Any] = field(default_factory=list)
    invited: list[Any] = field(default_factory=list)
    not_invited: list[Any] = field(default_factory=list)  # the e-mail could not be sent


def _departments() -> dict[str, Department]:
    known: dict[str, Department] = {}
    for dept in Department.objects.all():
        known[dept.name.casefold()] = dept
        if dept.name_ja:
            known[dept.name_ja.casefold()] = dept
    return known


def plan_import(data: bytes, filename: str, *, create_departments: bool = False) -> ImportPlan:
    """Check every line; the plan says who would be created, who exists already, and every error."""
    plan = ImportPlan(filename)
    rows = read_rows(data, filename, required=("email",), aliases=ALIASES)
    known = _departments()
    user_model = get_user_model()
    seen: dict[str, int] = {}
    for line, row in rows:
        def error(column: str, message: str, line: int = line) -> None:
            plan.errors.append(LineError(filename, line, column, message))

        email = row.get("email", "")
        username = row.get("username", "") or email
        try:
            validate_email(email)
        except ValidationError:
            error("email", _("not an e-mail address: %(value)r") % {"value": email})
            continue
        role_text = row.get("role", "") or "researcher"
        role = ROLE_NAMES.get(role_text.casefold())
        if role is None:
            error("role", _("unknown role %(value)r (researcher, officer or administrator)") % {"value": role_text})
        language_text = row.get("language", "")
        language = LANGUAGE_NAMES.get(language_text.casefold(), "") if language_text else settings.LANGUAGE_CODE
        if not language:
            error("language", _("unknown language %(value)r (en or ja)") % {"value": language_text})
        department = row.get("department", "")
        if department and department.casefold() not in known:
            if create_departments:
                if department not in plan.new_departments:
                    plan.new_departments.append(department)
            else:
                error("department", _("no department named %(value)r; add it first or allow new departments")
                      % {"value": department})
        if len(username) > 150:
            error("username", _("longer than 150 characters"))
        for key in (username.casefold(), email.casefold()):
            if key in seen:
                error("email" if key == email.casefold() else "username",
                      _("the same person appears on line %(line)d") % {"line": seen[key]})
                break
        seen.setdefault(username.casefold(), line)
        seen.setdefault(email.casefold(), line)
        if plan.errors and plan.errors[-1].line == line:
            continue
        if user_model.objects.filter(Q(username__iexact=username) | Q(email__iexact=email)).exists():
            plan.skipped.append((line, _("%(user)s already has an account") % {"user": username}))
            continue
        plan.users.append(PlannedUser(line, username, email, row.get("first_name", "")[:150],
                                      row.get("last_name", "")[:150], str(role), department, language))
    return plan


def apply_import(plan: ImportPlan, inviter: User) -> ImportResult:
    """Create the planned users (all or none), then send each an invitation."""
    from techguard.web.audit.chain import record

    if plan.errors:
        raise ValueError("an import plan with errors cannot be applied")
    result = ImportResult()
    user_model = get_user_model()
    with transaction.atomic():
        for name in plan.new_departments:
            created = Department.objects.create(name=name)
            record("department.created", user=inviter, obj=created, changes={"name": name},
                   reason=f"user import {plan.filename}")
        known = _departments()
        for planned in plan.users:
            user = user_model.objects.create_user(planned.username, email=planned.email,
                                                  first_name=planned.first_name, last_name=planned.last_name)
            user.set_unusable_password()  # they choose one through the invitation link
            user.save(update_fields=["password"])
            dept = known.get(planned.department.casefold()) if planned.department else None
            Profile.objects.create(user=user, role=planned.role, department=dept, language=planned.language)
            record("user.imported", user=inviter, obj=user, changes={
                "username": planned.username, "email": planned.email, "role": planned.role,
                "department": dept.name if dept else None, "language": planned.language,
            }, reason=f"{plan.filename}, line {planned.line}")
            result.created.append(user)
    for user in result.created:
        (result.invited if send_invitation(user, inviter) else result.not_invited).append(user)
    return result


def set_password_url(user: User) -> str:
    """The absolute one-time link where the user chooses a password (Django's password-reset confirm page)."""
    path = reverse("password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)})
    return f"{settings.SITE_URL}{path}"


def send_invitation(user: User, inviter: User) -> bool:
    """E-mail the invitation in the user's language; True only when the mail server accepted it."""
    from techguard.web.audit.chain import record

    context = {"user": user, "inviter": inviter, "link": set_password_url(user), "site_url": settings.SITE_URL,
               "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)}
    sent = send_in_language(user, "accounts/email/invitation", context, about="the invitation")
    if sent:
        record("user.invited", user=inviter, obj=user, changes={"email": user.email})
    return sent

__all__ = ["ImportPlan", "ImportResult", "PlannedUser", "apply_import", "plan_import", "send_invitation",
           "set_password_url"]
