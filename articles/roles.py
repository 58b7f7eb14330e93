"""The newsroom's roles (writer, photographer, editor, administrator) and what each may do in the admin.

``ROLES`` is the one place that says what a role may do; migration 0005 copies it into four groups. Changing it
needs a new data migration (``tests/test_roles.py`` fails until the groups match the table again).
"""

from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .audit import AuditEntry
from .models import Article
from .text import whole_number

ROLE_WRITER = "writer"
ROLE_PHOTOGRAPHER = "photographer"
ROLE_EDITOR = "editor"
ROLE_ADMINISTRATOR = "administrator"

# Every permission of the app, whatever models it has when the groups are synchronised.
ALL = "__all__"

# role -> its group's name (shown in the admin) and its permissions, as codenames by app label.
# Ordered from the least to the most senior: a user holding several roles is known by the most senior.
ROLES = {
    ROLE_PHOTOGRAPHER: {
        "group": "مصور",
        "permissions": {
            "articles": [
                "add_photo", "change_photo", "delete_photo", "view_photo", "change_photo_on_site",
                # To credit a photographer and see where the library's photos are used.
                "view_person", "view_section",
            ],
        },
    },
    ROLE_WRITER: {
        "group": "كاتب",
        "permissions": {
            "articles": [
                # Their own drafts only: Article.may_edit decides per article. No delete, no publish.
                "add_article", "change_article", "view_article",
                "add_articleauthor", "change_articleauthor", "delete_articleauthor", "view_articleauthor",
                "view_section", "view_person",
                # Writers tag their stories, and attach and caption photos.
                "add_tag", "view_tag",
                # Not a photo readers already see (Photo.may_change): that is for the photo desk and editors.
                "add_photo", "change_photo", "view_photo",
            ],
        },
    },
    ROLE_EDITOR: {
        "group": "محرر",
        "permissions": {
            "articles": [
                # delete_article moves to the trash; emptying it (empty_trash) is for administrators.
                "add_article", "change_article", "delete_article", "view_article",
                "edit_any_article", "publish_article",
                "add_articleauthor", "change_articleauthor", "delete_articleauthor", "view_articleauthor",
                "add_section", "change_section", "delete_section", "view_section",
                "add_person", "change_person", "delete_person", "view_person",
                "add_tag", "change_tag", "delete_tag", "view_tag",
                "add_photo", "change_photo", "delete_photo", "view_photo", "change_photo_on_site",
                "add_supportappeal", "change_supportappeal", "delete_supportappeal", "view_supportappeal",
            ],
        },
    },
    ROLE_ADMINISTRATOR: {
        "group": "مدير",
        "permissions": {
            # Everything the newsroom has, the audit log, the trash and two-factor devices included, plus
            # accounts and login throttling records.
            "articles": ALL,
            "auth": [
                "add_user", "change_user", "delete_user", "view_user",
                "add_group", "change_group", "delete_group", "view_group",
            ],
            "axes": ALL,
        },
    },
}

# For forms that offer a role (the account screens); "role" tells these apart from the same words as field labels
# (the photo's «المصوّر»), and Person.Role shares it.
ROLE_CHOICES = [
    (ROLE_WRITER, pgettext_lazy("role", "writer")),
    (ROLE_PHOTOGRAPHER, pgettext_lazy("role", "photographer")),
    (ROLE_EDITOR, pgettext_lazy("role", "editor")),
    (ROLE_ADMINISTRATOR, pgettext_lazy("role", "administrator")),
]

_ROLE_BY_GROUP = {role["group"]: name for name, role in ROLES.items()}


def is_role_group(group):
    """Whether the group is one of the roles (its name is how the roles are found)."""
    return group.name in _ROLE_BY_GROUP


def user_roles(user):
    """Every role the user holds through their groups, from the least to the most senior."""
    held = set(user.groups.filter(name__in=_ROLE_BY_GROUP).values_list("name", flat=True))
    return [role for role, table in ROLES.items() if table["group"] in held]


def user_role(user):
    """The most senior role the user holds, or None. Superusers count as administrators."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return ROLE_ADMINISTRATOR
    roles = user_roles(user)
    return roles[-1] if roles else None


def assign_role(user, role, *, by=None):
    """Give ``user`` exactly this role (None: no role), keeping any group that is not a role; records the change.

    A role means working in the admin, so the account becomes staff; taking every role away leaves ``is_staff``
    alone (deactivating an account is a separate step). ``by=None`` is the system (demo loader, tests).
    """
    if by is not None and not by.has_perm("auth.change_user"):
        raise PermissionDenied(_("Only administrators may change roles."))
    if role is not None and role not in ROLES:
        raise ValueError(f"Unknown role: {role!r}")
    before, after = user_roles(user), [role] if role else []
    with transaction.atomic():
        user.groups.remove(*Group.objects.filter(name__in=_ROLE_BY_GROUP))
        if role is not None:
            user.groups.add(Group.objects.get(name=ROLES[role]["group"]))
            if not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
        if before != after:
            detail = f"{_group_names(before)} → {_group_names(after)}"
            AuditEntry.record(AuditEntry.Action.ROLES_CHANGED, user, actor=by, detail=detail)
    # The permission caches of this user object would otherwise still answer for the old role.
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)


def _group_names(roles):
    return "، ".join(ROLES[role]["group"] for role in roles) or "—"


class ArticlePermissionsMixin:
    """ArticleAdmin's permission checks: the server-side enforcement of the role table.

    The model decides (``Article.may_edit``, ``Article.may_publish`` and the transitions, which raise
    PermissionDenied); the admin only asks it, hides what would be refused, and turns a refusal into a message.
    """

    # What decides whether and when readers see a story: set only by those who may publish.
    publication_fields = ["status", "published_at", "is_top_story"]

    def has_change_permission(self, request, obj=None):
        # Without an article (the list) the model permission answers; a writer sees another's article, or their
        # own once it is published or scheduled, read-only (has_view_permission still lets them in).
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.may_edit(request.user))

    def has_publish_permission(self, request):
        """Used by the actions declared with ``permissions=["publish"]``."""
        return Article.may_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            fields += [name for name in self.publication_fields if name not in fields]
        return fields

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        # Django's bulk delete removes rows for good; articles go to the trash instead. Only Django's own is
        # dropped here, so a trash action that takes over the name survives.
        stock = actions.get("delete_selected")
        if stock is not None and stock.func is admin.actions.delete_selected:
            del actions["delete_selected"]
        return actions

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        editable = self.has_add_permission(request) if add else self.has_change_permission(request, obj)
        may_publish = editable and self.has_publish_permission(request)
        status = obj.status if obj is not None else Article.Status.DRAFT
        # Which workflow buttons to offer; the buttons are only hints, save_related asks the model again.
        context["workflow"] = {
            "submit": editable and status in (Article.Status.DRAFT, Article.Status.UNPUBLISHED),
            "publish": may_publish and status != Article.Status.PUBLISHED,
            "unpublish": may_publish and status in Article.TIMED,
        }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def asked_transition(self, request, article):
        """What saving this form asks of the story, whatever its fields say: "publish", "unpublish", "submit" (for
        review) or None. The buttons under the form ask; so does a publication time that no longer fits the status.
        """
        if "_publish" in request.POST:
            return "publish"
        if "_unpublish" in request.POST:
            return "unpublish"
        if "_submit_for_review" in request.POST and article.status in (
            Article.Status.DRAFT, Article.Status.UNPUBLISHED,
        ):
            return "submit"
        if self._retimed(article):
            # A plain save that moved a live story into the future, or a scheduled one into the past: the
            # status must follow the time, through the transition (checks, audit), not silently.
            return "publish"
        return None

    def handle_workflow_buttons(self, request, article, *, saved=True):
        """The transition the form asked for (asked_transition), once the form is saved (``saved``) or found
        unchanged. Returns whether the story changed; a refusal leaves ``request._transition_refused``."""
        asked = self.asked_transition(request, article)
        done = refused = False
        if asked == "publish":
            done, refused = self._publish(request, article, saved=saved)
        elif asked == "unpublish":
            if done := self._transition(request, article, article.unpublish):
                self.message_user(request, _("Unpublished.") if article.status != Article.Status.DRAFT else _(
                    "The schedule is cancelled: the story is a draft again, and «publish» now publishes it at once."
                ), messages.SUCCESS)
            refused = not done
        elif asked == "submit":
            if done := self._transition(request, article, article.submit_for_review):
                self.message_user(request, _("Sent to the editors for review."), messages.SUCCESS)
            refused = not done
        request._transition_refused = refused
        return done

    @staticmethod
    def _retimed(article):
        if not article.published_at:
            return False
        due = article.published_at <= timezone.now()
        return (article.status == Article.Status.PUBLISHED and not due) or (
            article.status == Article.Status.SCHEDULED and due
        )

    def _publish(self, request, article, *, saved=True):
        """Publish or schedule, saying so; returns (whether the story changed, whether it was refused)."""
        # A publication time in the future schedules the story; one the editor typed in this very form, even past,
        # is the time it is published at (a time merely kept from an earlier publication is not).
        typed = getattr(request, "_publication_time_typed", False)
        at = article.published_at if article.published_at and (typed or article.published_at > timezone.now()) else None
        try:
            # A savepoint, so a refused publication keeps the edits that were just saved.
            with transaction.atomic():
                changed = article.publish(by=request.user, at=at)
        except (PermissionDenied, ValidationError) as refusal:
            reasons = (
                " ".join(refusal.messages) if isinstance(refusal, ValidationError)
                else self.refusal_reason(request, article)
            )
            said = (
                _("Saved, but not published: %(reasons)s") % {"reasons": reasons} if saved
                else _("Not published: %(why)s") % {"why": reasons}  # as the bulk action says it
            )
            self.message_user(request, said, messages.ERROR)
            return False, True
        if not changed:  # already live at that time
            return False, False
        if article.status == Article.Status.SCHEDULED:
            when = date_format(timezone.localtime(article.published_at), "DATETIME_FORMAT")
            self.message_user(request, _("Scheduled for %(when)s.") % {"when": when}, messages.SUCCESS)
        else:
            self.message_user(request, _("Published."), messages.SUCCESS)
        return True, False

    def _transition(self, request, article, transition):
        """Run a transition for the person at the keyboard; a refusal becomes a message, never a server error."""
        try:
            with transaction.atomic():
                transition(by=request.user)
        except PermissionDenied:
            self.message_user(
                request,
                _("Not done for «%(article)s»: %(reason)s")
                % {"article": article, "reason": self.refusal_reason(request, article)},
                messages.ERROR,
            )
            return False
        return True

    def refusal_reason(self, request, article):
        """Why the model refused a transition, in words the person can act on."""
        if article.deleted_at is not None:
            return _("the article is in the trash.")
        if not self.has_publish_permission(request) and not article.may_edit(request.user):
            return _("only its writer, while it is a draft, or an editor may do this.")
        if not self.has_publish_permission(request):
            return _("publishing, scheduling and unpublishing are for editors.")
        return _("this is not possible in its current state.")

    def run_transition_on_each(self, request, queryset, transition_name):
        """What a bulk action does: the same transition, article by article, each checked by the model.

        Returns how many were done and, for the rest, a line saying which and why.
        """
        done, refused = 0, []
        for article in queryset:
            transition = getattr(article, transition_name)
            try:
                with transaction.atomic():
                    changed = transition(by=request.user)
            except PermissionDenied:
                refused.append(f"«{article.headline}»: {self.refusal_reason(request, article)}")
            except ValidationError as refusal:
                refused.append(f"«{article.headline}»: {' '.join(refusal.messages)}")
            else:
                # publish() answers False for a story already live: neither done nor refused.
                done += changed is not False
        return done, refused


def view_on_site(request, content_type_id, object_id):
    """The admin's "view on site" redirect (admin/r/<type>/<id>/), for those who may open the object in the admin:
    to its public page, or to its preview while readers cannot see it.

    Django's own sends any staff member to the object's public address, and an unpublished article's address
    carries its headline (the slug): a photographer could read the drafts' headlines by counting ids.
    """
    model = None
    if whole_number(content_type_id) is not None:
        content_type = ContentType.objects.filter(pk=content_type_id).first()
        model = content_type.model_class() if content_type else None
    model_admin = admin.site.get_model_admin(model) if model and admin.site.is_registered(model) else None
    obj = model_admin.get_object(request, object_id) if model_admin else None
    if obj is None:
        raise Http404
    if not model_admin.has_view_or_change_permission(request, obj):
        raise PermissionDenied
    if isinstance(obj, Article) and not Article.objects.for_readers().filter(pk=obj.pk).exists():
        # A draft, a story in review or in the trash, or one not yet due: its public address is a 404, its
        # preview is the page as it would be published.
        return redirect("article_preview", obj.pk)
    return contenttype_views.shortcut(request, content_type_id, object_id)
