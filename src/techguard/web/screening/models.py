"""Background jobs (batch screening) with their progress persisted chunk by chunk, so a killed worker loses
nothing: the next worker sees the stale heartbeat and resumes at the first unprocessed row."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from techguard.limits import MAX_NAME_CHARS


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    kind = models.CharField(max_length=32, default="screen_batch")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs")
    filename = models.CharField(max_length=255, blank=True)
    queries = models.JSONField(default=list)  # jobs queued before JobRow existed keep their rows here
    columns = models.JSONField(default=list, blank=True)  # the upload's header cells as written (kept in results)
    lists = models.JSONField(default=list, blank=True)  # the list versions screened against (source, snapshot, as of)
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    alerts = models.PositiveIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)
    worker = models.CharField(max_length=100, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # the uploaded file waiting for the worker to parse it (a name under <data dir>/uploads, never shown to users);
    # emptied in the transaction that stores the parsed rows or the refusal
    upload = models.CharField(max_length=100, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]  # noqa: RUF012 (Django reads these class attributes)

    @property
    def percent(self) -> int:
        if not self.total:  # a queued upload has no rows until the worker has parsed it
            return 100 if self.status == JobStatus.DONE else 0
        return int(100 * self.processed / self.total)

    @property
    def is_active(self) -> bool:
        return self.status in {JobStatus.QUEUED, JobStatus.RUNNING}


class JobRow(models.Model):
    """One uploaded row (as parsed), stored apart from the job so that a worker or a download reads a chunk at a
    time: a 50,000-row batch never has to sit in memory whole."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="rows")
    index = models.PositiveIntegerField()
    data = models.JSONField()  # {"name", "kind", "country", "dob", "identifier", "id", "line", "columns"}

    class Meta:
        ordering = ["index"]  # noqa: RUF012 (Django reads these class attributes)
        constraints = [models.UniqueConstraint(fields=["job", "index"], name="one_row_per_index")]  # noqa: RUF012


class JobResult(models.Model):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="results")
    index = models.PositiveIntegerField()  # position in the upload (JobRow.index)
    name = models.CharField(max_length=MAX_NAME_CHARS)  # batch rows are clipped to this (techguard.limits)
    alert = models.BooleanField(default=False)
    near = models.BooleanField(default=False)  # a candidate just below the threshold, shown for review
    matches = models.JSONField(default=list)

    class Meta:
        ordering = ["index"]  # noqa: RUF012 (Django reads these class attributes)
        constraints = [models.UniqueConstraint(fields=["job", "index"], name="one_result_per_row")]  # noqa: RUF012 (Django reads these class attributes)


class Verdict(models.TextChoices):
    TRUE_MATCH = "true_match", _("True match")
    FALSE_POSITIVE = "false_positive", _("False positive")
    NEEDS_INFO = "needs_info", _("Needs more information")


# The determination's screening fact for each verdict (rules.activity.ScreeningHit.status).
HIT_STATUS = {Verdict.TRUE_MATCH: "confirmed", Verdict.FALSE_POSITIVE: "ruled_out", Verdict.NEEDS_INFO: "possible"}


class HitDecision(models.Model):
    """An officer's decision on one listed entry for one screened name.

    Tied to the listing (source + the publisher's stable entry id, the snapshot it was seen in, and a hash of
    what the entry said) and to the screened name as normalised. It is reused for the same pair in later
    screenings — whatever the snapshot — until the entry's content changes (new hash) or the name does; a
    later decision on the same pair supersedes it (the old one is kept, marked superseded).
    """

    source = models.CharField(max_length=64)
    entry_id = models.CharField(max_length=200)
    entry_hash = models.CharField(max_length=64)
    snapshot_id = models.CharField(max_length=100, blank=True)
    snapshot_sha256 = models.CharField(max_length=64, blank=True)
    list_code = models.CharField(max_length=64)
    listed_name = models.CharField(max_length=500)
    screened_name = models.CharField(max_length=500)
    screened_key = models.CharField(max_length=500)  # normalised (techguard.matching.hits.normalise_screened_name)
    verdict = models.CharField(max_length=32, choices=Verdict.choices)
    reason = models.TextField()
    evidence = models.JSONField(default=dict, blank=True)  # {"dob", "address", "registration_no"}
    score = models.FloatField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hit_decisions")
    decided_at = models.DateTimeField(auto_now_add=True)
    superseded = models.BooleanField(default=False)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="hit_decisions")
    counterparty = models.ForeignKey("Counterparty", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="decisions")

    class Meta:
        ordering = ["-decided_at", "-id"]  # noqa: RUF012 (Django reads these class attributes)
        indexes = [models.Index(fields=["source", "entry_id", "screened_key"], name="hitdecision_pair")]  # noqa: RUF012

    @property
    def status(self) -> str:
        return HIT_STATUS[Verdict(self.verdict)]


class PartyKind(models.TextChoices):
    PERSON = "person", _("person")
    ORGANISATION = "organisation", _("organisation")


class Counterparty(models.Model):
    """The party master: a person or organisation the institution deals with, re-screened on list changes."""

    name = models.CharField(_("name"), max_length=500)
    kind = models.CharField(_("kind"), max_length=16, choices=PartyKind.choices, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    identifiers = models.JSONField(default=list, blank=True)  # [{"type": "registration_no", "value": "..."}]
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]  # noqa: RUF012 (Django reads these class attributes)

    def __str__(self) -> str:
        return self.name


class PartyScreening(models.Model):
    """One screening of a counterparty (on creation, by hand, or by a re-screen after a list change)."""

    counterparty = models.ForeignKey(Counterparty, on_delete=models.CASCADE, related_name="screenings")
    at = models.DateTimeField(auto_now_add=True)
    trigger = models.CharField(max_length=32, default="manual")  # manual | rescreen
    hits = models.JSONField(default=list)  # Hit.to_json() each, with the decision that covered it
    alerts = models.PositiveIntegerField(default=0)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-at", "-id"]  # noqa: RUF012 (Django reads these class attributes)


class AllowListEntry(models.Model):
    """A counterparty cleared against one named list entry until ``expires`` (hits on it are ruled out)."""

    counterparty = models.ForeignKey(Counterparty, on_delete=models.CASCADE, related_name="allowed")
    source = models.CharField(max_length=64)
    entry_id = models.CharField(max_length=200)
    list_code = models.CharField(max_length=64, blank=True)
    listed_name = models.CharField(max_length=500, blank=True)
    reason = models.TextField()
    expires = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["expires"]  # noqa: RUF012 (Django reads these class attributes)


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class ReviewTask(models.Model):
    """A new potential match found by a re-screen: an officer must decide it."""

    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="review_tasks")
    counterparty = models.ForeignKey(Counterparty, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="review_tasks")
    screened_name = models.CharField(max_length=500)
    source = models.CharField(max_length=64)
    entry_id = models.CharField(max_length=200)
    list_code = models.CharField(max_length=64)
    score = models.FloatField()
    hit = models.JSONField()  # Hit.to_json()
    status = models.CharField(max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN, db_index=True)
    trigger = models.CharField(max_length=64, blank=True)  # "list update us_csl 2026…", "nightly"
    created = models.DateTimeField(auto_now_add=True)
    closed = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]  # noqa: RUF012 (Django reads these class attributes)


class RescreenRun(models.Model):
    """One continuous re-screen: which snapshots it compared, how many parties, what it found."""

    started = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    trigger = models.CharField(max_length=64)
    snapshots = models.JSONField(default=dict)  # source -> snapshot id screened against (the new side)
    changed_entries = models.PositiveIntegerField(default=0)
    parties = models.PositiveIntegerField(default=0)
    new_tasks = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started", "-id"]  # noqa: RUF012 (Django reads these class attributes)
