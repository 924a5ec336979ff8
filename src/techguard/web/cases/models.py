"""A case: one planned activity (a visit, a shipment, a talk ...), its automatic checks and the officer's decision."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from techguard.web.accounts.models import Department, Role


class CaseKind(models.TextChoices):
    VISITOR = "visitor", _("Hosting a visitor or visiting researcher")
    HIRING = "hiring", _("Hiring")
    STUDENT = "student", _("Admitting a student")
    JOINT_RESEARCH = "joint_research", _("Joint or contract research")
    SHIPPING = "shipping", _("Shipping goods, samples or software")
    TECH_PROVISION = "tech_provision", _("Providing technology (e-mail, meeting, lab tour, cloud share)")
    TRAVEL = "travel", _("Travelling abroad with technology or a laptop")
    PUBLICATION = "publication", _("Publishing or presenting")


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting review")
    RETURNED = "returned", _("Returned for correction")  # 差戻し: back with the researcher, then resubmitted
    UNDER_REVIEW = "under_review", _("Under review")  # an approval route has started (部局 → 委員会 → 最終判断)
    APPROVED = "approved", _("Approved")
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", _("Approved with conditions")
    LICENCE_NEEDED = "licence_needed", _("Licence needed")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


DECISIONS = (
    CaseStatus.APPROVED,
    CaseStatus.APPROVED_WITH_CONDITIONS,
    CaseStatus.LICENCE_NEEDED,
    CaseStatus.REJECTED,
)


EDITABLE = (CaseStatus.DRAFT, CaseStatus.RETURNED)
IN_REVIEW = (CaseStatus.SUBMITTED, CaseStatus.UNDER_REVIEW)
WITHDRAWABLE = (CaseStatus.DRAFT, CaseStatus.SUBMITTED, CaseStatus.RETURNED)


class Case(models.Model):
    kind = models.CharField(_("kind"), max_length=32, choices=CaseKind.choices)
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases", verbose_name=_("researcher")
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases",
        verbose_name=_("department"),
    )
    status = models.CharField(_("status"), max_length=32, choices=CaseStatus.choices, default=CaseStatus.DRAFT)
    facts = models.JSONField(_("facts"), default=dict, blank=True)  # an activity mapping (rules.activity)
    parties = models.JSONField(_("named parties"), default=list, blank=True)  # [{"name", "role", "country"}]
    assessment = models.JSONField(null=True, blank=True)  # Assessment.to_json()
    screening = models.JSONField(null=True, blank=True)  # per party: matches with explanations
    checks_error = models.TextField(blank=True)  # why the automatic checks could not run, when they could not
    conditions = models.TextField(_("conditions"), blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    updated = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="decided_cases"
    )
    # each submission starts the approval route afresh (差戻し then resubmission = a new round)
    review_round = models.PositiveSmallIntegerField(_("review round"), default=0)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    history = HistoricalRecords()
    # Not fields: set by the workflow on the object it returns, so the page says who was really e-mailed.
    officers_notified: int = 0
    owner_notified: bool = False

    class Meta:
        ordering = ["-created"]  # noqa: RUF012 (Django reads these class attributes)

    @property
    def reference(self) -> str:
        return f"TG-{self.created:%Y}-{self.pk:05d}" if self.pk and self.created else "TG-new"

    @property
    def is_editable(self) -> bool:
        """The researcher may change the facts: a draft, or a case sent back to them (差戻し)."""
        return self.status in EDITABLE

    @property
    def is_in_review(self) -> bool:
        return self.status in IN_REVIEW

    @property
    def is_decided(self) -> bool:
        return self.status in DECISIONS

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class Comment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    text = models.TextField(_("comment"))
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created"]  # noqa: RUF012 (Django reads these class attributes)


class ClassificationProposal(models.Model):
    """The researcher's 該非判定 step on a case: what they wrote, what the catalogue proposed, what they picked.

    Kept apart from ``Case.facts`` (which the engine reads) so that only the officer's confirmation sets
    ``item.eccn`` / ``item.jp_list_item``; ``confirmed`` links the item-master row that did.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="classification_proposals")
    query = models.TextField(max_length=2000)
    candidates = models.JSONField(default=list)  # the top candidates shown: eccn, jp_item, jp_article, score, text
    chosen = models.JSONField(null=True, blank=True)  # the picked candidate, or None for "none fits / 該当なし"
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    confirmed = models.ForeignKey("classification.ItemClassification", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="case_proposals")

    class Meta:
        ordering = ["-proposed_at", "-pk"]  # noqa: RUF012 (Django reads these class attributes)


class ApprovalRoute(models.Model):
    """The steps a case passes before its decision (e.g. 部局確認 → 委員会審議 → 最終判断); per department, or the
    organisation's default when ``department`` is empty."""

    name = models.CharField(_("name"), max_length=100)
    department = models.OneToOneField(
        Department, null=True, blank=True, on_delete=models.CASCADE, related_name="approval_route",
        verbose_name=_("department"),
    )
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.name


class ApprovalStep(models.Model):
    route = models.ForeignKey(ApprovalRoute, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    label = models.CharField(_("step"), max_length=100)  # 部局長確認, 安全保障輸出管理委員会, 最終判断 ...
    # officer: any officer or administrator in the case's remit; administrator: administrators only
    role = models.CharField(_("who signs"), max_length=32, choices=[(Role.OFFICER.value, Role.OFFICER.label), (
        Role.ADMINISTRATOR.value, Role.ADMINISTRATOR.label)], default=Role.OFFICER.value)
    history = HistoricalRecords()

    class Meta:
        ordering = ["route", "order"]  # noqa: RUF012 (Django reads these class attributes)
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["route", "order"], name="approval_step_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.label}"


class ApprovalOutcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for correction")
    REJECTED = "rejected", _("Rejected")


class CaseApproval(models.Model):
    """One signed box of the 決裁欄: who signed which step of the case, when, with what outcome and comment.
    The step's label and order are copied so the record stands after the route is edited."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approvals")
    step = models.ForeignKey(ApprovalStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    order = models.PositiveSmallIntegerField(_("order"))
    step_label = models.CharField(_("step"), max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=16, choices=ApprovalOutcome.choices)
    round = models.PositiveSmallIntegerField(_("review round"), default=1)
    # the last step's decision (approved / approved with conditions / licence needed / rejected)
    decision = models.CharField(_("decision"), max_length=32, choices=CaseStatus.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    signed_at = models.DateTimeField(_("signed"), auto_now_add=True)

    class Meta:
        ordering = ["case", "signed_at", "pk"]  # noqa: RUF012 (Django reads these class attributes)


class AttachmentKind(models.TextChoices):
    CV = "cv", _("CV")
    INVITATION = "invitation", _("Invitation letter")
    PLEDGE = "pledge", _("Pledge (誓約書)")
    CLASSIFICATION = "classification", _("Classification sheet (該非判定書)")
    LICENCE = "licence", _("Licence")
    OTHER = "other", _("Other")


def _attachment_path(instance: Attachment, filename: str) -> str:
    # never the uploader's name on disk: a random name under the case, the original kept in the row
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"cases/{instance.case_id}/{uuid.uuid4().hex}.{suffix}"


class Attachment(models.Model):
    """A document on a case (CV, invitation letter, 誓約書, 該非判定書, licence ...). The SHA-256 taken at upload
    is checked again on every download, so a stored file changed behind the application is refused."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("kind of document"), max_length=32, choices=AttachmentKind.choices)
    file = models.FileField(upload_to=_attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["case", "uploaded_at", "pk"]  # noqa: RUF012 (Django reads these class attributes)

    def __str__(self) -> str:
        return self.original_name
