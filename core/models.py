from django.conf import settings
from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        abstract = True


class CreatedByModel(TimeStampedModel):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True


class WorkerHeartbeat(models.Model):
    """When each Celery worker last ran the heartbeat task: proof that tasks run end to end."""

    hostname = models.CharField(max_length=255, unique=True)
    seen_at = models.DateTimeField()

    class Meta:
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.hostname} at {self.seen_at:%Y-%m-%d %H:%M:%S}"


class OutboundEmail(models.Model):
    """One email in the outbox: written in the request's transaction, sent by the worker.

    ``core.mail.email_enqueue`` creates the row and enqueues ``core.tasks.send_email``
    after commit; the task claims the row (queued → sending) with a conditional update,
    so a second run, or a race, sends nothing. Attachments are files in private storage.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    to = models.JSONField(default=list, help_text="Recipient addresses.")
    subject = models.CharField(max_length=255)
    body = models.TextField()
    html = models.TextField(blank=True)
    attachments = models.JSONField(
        default=list,
        blank=True,
        help_text="[{filename, content_type, storage_name}] in private storage.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    dedupe_key = models.CharField(
        max_length=200,
        blank=True,
        help_text="One row per logical email (e.g. offer:12:letter); empty: no deduplication.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "claimed_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="core_outboundemail_dedupe_key_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "sending", "sent", "failed"]),
                name="core_outboundemail_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)} ({self.status})"


class AccessEvent(models.Model):
    """One read, export or erasure of personal data: who, when, what, how many rows.

    Written by ``core.audit.record``; never edited. The object is named by type and id,
    never by the person's name, so the log itself holds no personal data beyond the
    query text a user typed (erasure redacts that too). Kept for
    ``ACCESS_LOG_RETENTION_DAYS``.
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        LIST = "list", "Listed"
        SEARCH = "search", "Searched"
        DOWNLOAD = "download", "Downloaded"
        EXPORT = "export", "Exported"
        ERASE = "erase", "Erased"
        RETENTION = "retention", "Changed retention"

    class Channel(models.TextChoices):
        PAGE = "page", "Page"
        API = "api", "API"
        ADMIN = "admin", "Admin"
        WORKER = "worker", "Worker"

    at = models.DateTimeField(default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    actor_name = models.CharField(
        max_length=150, blank=True, editable=False, help_text="Username at the time."
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.PAGE)
    object_type = models.CharField(max_length=40, help_text="candidate, document, report, …")
    object_id = models.CharField(max_length=64, blank=True)
    query = models.CharField(max_length=500, blank=True, help_text="Path and filters asked for.")
    row_count = models.PositiveIntegerField(null=True, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["at"]),
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor", "at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    action__in=[
                        "view",
                        "list",
                        "search",
                        "download",
                        "export",
                        "erase",
                        "retention",
                    ]
                ),
                name="core_accessevent_action_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=["page", "api", "admin", "worker"]),
                name="core_accessevent_channel_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name or 'system'} {self.action} {self.object_type} {self.object_id}"
