"""The audit log: who published, unpublished, trashed, restored, and who changed roles and accounts."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# A story leaving readers: a partner taking stories through the ninjs feed must take it down too. "withdrawn" is
# written by any save that takes it off an edition its readers saw (Article._record_editions_left()); its detail
# is the edition's language code.
WITHDRAWALS = ["unpublished", "trashed", "withdrawn"]


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("sent for review")
        PUBLISHED = "published", _("published")
        SCHEDULED = "scheduled", _("scheduled")
        UNSCHEDULED = "unscheduled", _("schedule cancelled")
        UNPUBLISHED = "unpublished", _("unpublished")
        WITHDRAWN = "withdrawn", _("taken off one edition")
        TRASHED = "trashed", _("moved to the trash")
        RESTORED = "restored", _("restored from the trash")
        PURGED = "purged", _("deleted for good")
        REVISION_RESTORED = "revision_restored", _("earlier version restored")
        TAGS_MERGED = "tags_merged", _("tags merged")
        ACCOUNT_INVITED = "account_invited", _("account invited")
        ACCOUNT_CHANGED = "account_changed", _("account changed")
        ACCOUNT_DEACTIVATED = "account_deactivated", _("account deactivated")
        ACCOUNT_REACTIVATED = "account_reactivated", _("account reactivated")
        ACCOUNT_DELETED = "account_deleted", _("account deleted")
        ROLE_PERMISSIONS_CHANGED = "role_permissions_changed", _("role permissions changed")
        ROLES_CHANGED = "roles_changed", _("roles changed")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    # Null for the system itself (publish_scheduled, importers).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    action = models.CharField(_("action"), max_length=30, choices=Action)
    # What it happened to; the text survives the object's deletion.
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(_("concerning"), max_length=300, blank=True)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            # The ninjs feed's withdrawals since a moment (articles/ninjs.py): a few among all the log's entries.
            models.Index(fields=["at"], name="audit_withdrawal_idx", condition=Q(action__in=WITHDRAWALS)),
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.target_repr}"

    @classmethod
    def happened_to(cls, target, *actions, since=None):
        """Whether one of ``actions`` was recorded for ``target`` (at or after ``since``, if given)."""
        entries = cls.objects.filter(
            target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk), action__in=actions,
        )
        return (entries.filter(at__gte=since) if since else entries).exists()

    @classmethod
    def record(cls, action, target=None, *, actor=None, detail=""):
        return cls.objects.create(
            action=action,
            actor=actor if getattr(actor, "pk", None) else None,
            target_type=ContentType.objects.get_for_model(target) if target is not None else None,
            target_id=str(target.pk) if target is not None else "",
            target_repr=str(target)[:300] if target is not None else "",
            detail=detail,
        )
