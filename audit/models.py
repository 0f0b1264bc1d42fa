"""Who saw which pupil's data, when and from where.

Revisions of pupil data (who changed what, before and after) are kept per model by
django-simple-history (`history = pupil_history()` on each model, see `audit.history`).
This module holds the other half: the access log of reads. `audit` sits below `pupils`, so it
stores pupil ids without a foreign key and names are looked up when the log is read.
Application code only ever appends to these tables.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.models import School


class AccessLogEntry(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("user"),
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="+", null=True, verbose_name=_("school")
    )
    # The URL name of the page or document, e.g. "pupils:pupil_basic".
    what = models.CharField(_("what"), max_length=150)
    # The path without its query string: search terms may hold names.
    path = models.CharField(_("path"), max_length=500)
    ip_address = models.GenericIPAddressField(_("from address"), null=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]
        indexes = [models.Index(fields=["user", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.what}"


class AccessLogPupil(models.Model):
    """One pupil shown by an access-log entry (a list page names every pupil it showed)."""

    entry = models.ForeignKey(AccessLogEntry, on_delete=models.PROTECT, related_name="pupils")
    pupil_id = models.PositiveBigIntegerField(_("pupil id"), db_index=True)

    class Meta:
        verbose_name = _("pupil in access log entry")
        verbose_name_plural = _("pupils in access log entries")
        constraints = [
            models.UniqueConstraint(fields=["entry", "pupil_id"], name="accesslogpupil_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.pupil_id}"


class Erasure(models.Model):
    """A tombstone: pupils were erased at the end of their retention period.

    It says when, by whom, at which school, how many and why; it keeps no name and no id of
    the pupils erased (their access-log lines are erased with them).
    """

    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("by"),
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="+", verbose_name=_("school")
    )
    pupil_count = models.PositiveIntegerField(_("number of pupils"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.school_id}: {self.pupil_count}"
