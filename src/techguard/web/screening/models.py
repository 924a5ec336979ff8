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
    queries = models.JSONField(default=list)  # [{"name", "kind", "country", "dob", "line"}] as parsed at upload
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    alerts = models.PositiveIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)
    worker = models.CharField(max_length=100, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]  # noqa: RUF012 (Django reads these class attributes)

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.processed / self.total)

    @property
    def is_active(self) -> bool:
        return self.status in {JobStatus.QUEUED, JobStatus.RUNNING}


class JobResult(models.Model):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="results")
    index = models.PositiveIntegerField()  # position in Job.queries
    name = models.CharField(max_length=MAX_NAME_CHARS)  # batch rows are clipped to this (techguard.limits)
    alert = models.BooleanField(default=False)
    matches = models.JSONField(default=list)

    class Meta:
        ordering = ["index"]  # noqa: RUF012 (Django reads these class attributes)
        constraints = [models.UniqueConstraint(fields=["job", "index"], name="one_result_per_row")]  # noqa: RUF012 (Django reads these class attributes)
