"""The article trash: deleting moves an article here; editors restore, administrators empty.

The rules (who may, what is recorded) are the model's transitions: move_to_trash, restore_from_trash and
delete_for_good. This module only routes the admin's delete paths to them and shows the trash as its own list.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from .history import revision

TRASH_VAR = "trash"


def showing_trash(request):
    """The trash list was asked for, by someone who may see it (a forged ?trash=1 shows the ordinary list)."""
    return request.GET.get(TRASH_VAR) == "1" and request.user.has_perm("articles.delete_article")


class TrashFilter(admin.SimpleListFilter):
    """The switch between the articles and the trash. The change list does the narrowing (TrashChangeList),
    so this filter only offers the choice and takes its parameter off the lookups."""

    title = _("trash")
    parameter_name = TRASH_VAR

    def lookups(self, request, model_admin):
        return [("1", _("Trash"))] if request.user.has_perm("articles.delete_article") else []

    def queryset(self, request, queryset):
        return queryset

    def choices(self, changelist):
        in_trash = self.value() == "1"
        yield {"selected": not in_trash, "query_string": changelist.get_query_string(remove=[TRASH_VAR]),
               "display": _("Articles")}
        yield {"selected": in_trash, "query_string": changelist.get_query_string({TRASH_VAR: "1"}),
               "display": _("Trash")}
        if in_trash and changelist.model_admin.has_empty_trash_permission(self.request):
            yield {"selected": False, "query_string": reverse("admin:articles_article_empty_trash"),
                   "display": _("Empty the trash…")}


class TrashChangeList(ChangeList):
    """The articles and the trash are two lists: each one's totals, facets and date drill-down count only its
    own articles, so the root queryset itself is narrowed, not just the results."""

    def get_queryset(self, request, exclude_parameters=None):
        if not getattr(self, "_trash_scoped", False):
            root = self.root_queryset
            self.root_queryset = root.in_trash() if showing_trash(request) else root.not_in_trash()
            self._trash_scoped = True
        return super().get_queryset(request, exclude_parameters)


class TrashMixin:
    """ArticleAdmin's trash: delete moves to the trash, restore, empty."""

    trash_actions = ("restore_selected", "delete_for_good_selected")

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["css/desk.css"]})

    # Permissions: a trashed article is read-only; deleting it again means deleting it for good.

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.deleted_at is None)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is not None and obj.deleted_at is not None:
            return allowed and self.has_empty_trash_permission(request)
        return allowed

    def has_restore_permission(self, request):
        return self.has_delete_permission(request)

    def has_empty_trash_permission(self, request):
        return request.user.has_perm("articles.empty_trash")

    # The list: trashed articles only in the trash, and nothing from the trash offered as a related article.

    def get_changelist(self, request, **kwargs):
        return TrashChangeList

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), TrashFilter]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if getattr(request.resolver_match, "url_name", None) == "autocomplete":
            queryset = queryset.not_in_trash()
        return queryset, may_have_duplicates

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        # Django's delete_selected deletes for good; here deleting an article moves it to the trash.
        actions.pop("delete_selected", None)
        if action_location != admin.ActionLocation.CHANGE_LIST or self.actions is None or IS_POPUP_VAR in request.GET:
            return actions
        if showing_trash(request):
            # Nothing but restoring or deleting applies to a trashed article.
            names, actions = self.trash_actions, {}
        else:
            names = ("move_to_trash_selected",)
        # Django's own permission filter, as for declared actions (ArticleAdmin.actions stays one list).
        offered = self._filter_actions_by_permissions(request, [self.get_action(name) for name in names])
        return actions | {action.name: action for action in offered}

    @admin.action(description=_("Move the selected articles to the trash"), permissions=["delete"])
    def move_to_trash_selected(self, request, queryset):
        with transaction.atomic():
            count = self._each(request, queryset.not_in_trash(), self._move_to_trash)
        self.message_user(
            request,
            ngettext(
                "%(count)d article moved to the trash.", "%(count)d articles moved to the trash.", count
            ) % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Restore the selected articles from the trash"), permissions=["restore"])
    def restore_selected(self, request, queryset):
        with transaction.atomic():
            count = self._each(request, queryset.in_trash(), self._restore)
        self.message_user(
            request,
            ngettext(
                "%(count)d article restored from the trash.", "%(count)d articles restored from the trash.", count
            ) % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Delete the selected articles for good"), permissions=["empty_trash"])
    def delete_for_good_selected(self, request, queryset):
        articles = queryset.in_trash()
        if request.POST.get("post") != "yes":
            return self._delete_for_good_confirmation(request, articles, selected=True)
        self._delete_for_good(request, articles)
        return None

    # The delete view: moves an article to the trash, or deletes one already there for good.

    def get_deleted_objects(self, objs, request):
        if any(article.deleted_at is not None for article in objs):
            return super().get_deleted_objects(objs, request)
        # Moving to the trash deletes nothing: the article and everything that refers to it stay.
        listed = [
            format_html('{}: <a href="{}">{}</a>', capfirst(self.opts.verbose_name),
                        reverse("admin:articles_article_change", args=[article.pk]), article)
            for article in objs
        ]
        return listed, {self.opts.verbose_name_plural: len(listed)}, set(), []

    def log_deletions(self, request, queryset):
        # Only a deletion for good is a deletion; moving to the trash is logged as a change by _move_to_trash.
        return super().log_deletions(request, [article for article in queryset if article.deleted_at is not None])

    def delete_model(self, request, obj):
        if obj.deleted_at is None:
            self._move_to_trash(request, obj)
        else:
            obj.delete_for_good(by=request.user)

    def delete_queryset(self, request, queryset):
        self._each(request, queryset.not_in_trash(), self._move_to_trash)

    def response_delete(self, request, obj_display, obj_id):
        if self.opts.model.objects.filter(pk=obj_id).exists():
            self.message_user(
                request,
                format_html(_("«{}» was moved to the trash. Editors can restore it from there."), obj_display),
                messages.SUCCESS,
            )
            return redirect("admin:articles_article_changelist")
        self.message_user(request, format_html(_("«{}» was deleted for good."), obj_display), messages.SUCCESS)
        return redirect(reverse("admin:articles_article_changelist") + f"?{TRASH_VAR}=1")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            "trash_may_restore": self.has_restore_permission(request),
            "trash_may_delete_for_good": self.has_empty_trash_permission(request),
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    # Restoring and emptying the trash.

    def get_urls(self):
        # Before Django's own, whose "<path:object_id>/" would swallow "<id>/restore/".
        view = self.admin_site.admin_view
        return [
            path("trash/empty/", view(self.empty_trash_view), name="articles_article_empty_trash"),
            path("<path:object_id>/restore/", view(require_POST(self.restore_view)), name="articles_article_restore"),
            *super().get_urls(),
        ]

    def restore_view(self, request, object_id):
        if not self.has_restore_permission(request):
            raise PermissionDenied
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return redirect("admin:articles_article_changelist")
        if article.deleted_at is not None:
            with revision(request.user, _("Restored from the trash.")):
                restored = self._each(request, [article], self._restore)
            if restored:
                self.message_user(
                    request, format_html(_("«{}» was restored from the trash."), article), messages.SUCCESS
                )
        return redirect("admin:articles_article_change", article.pk)

    def empty_trash_view(self, request):
        if not self.has_empty_trash_permission(request):
            raise PermissionDenied
        articles = self.get_queryset(request).in_trash()
        if request.method == "POST":
            self._delete_for_good(request, articles)
            return redirect(reverse("admin:articles_article_changelist") + f"?{TRASH_VAR}=1")
        return self._delete_for_good_confirmation(request, articles, selected=False)

    def _delete_for_good_confirmation(self, request, articles, *, selected):
        return TemplateResponse(request, "admin/articles/article/delete_for_good_confirmation.html", {
            **self.admin_site.each_context(request),
            "title": _("Delete for good"),
            "opts": self.opts,
            "articles": articles.order_by("-deleted_at"),
            "selected": selected,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "trash_url": reverse("admin:articles_article_changelist") + f"?{TRASH_VAR}=1",
        })

    # Each one goes through the model's transition, and leaves a line in the admin's own history too.

    @staticmethod
    def _each(request, articles, act):
        """``act(request, article)`` on each article; returns how many were done. One that another editor moved
        meanwhile (trashed, restored, deleted for good: the transition, once it has locked the row, refuses) is
        left out, rather than refusing the rest with it."""
        done = 0
        for article in articles:
            try:
                act(request, article)
            except PermissionDenied:
                continue
            done += 1
        return done

    def _move_to_trash(self, request, article):
        article.move_to_trash(by=request.user)
        self.log_change(request, article, gettext("Moved to the trash."))

    def _restore(self, request, article):
        article.restore_from_trash(by=request.user)
        self.log_change(request, article, gettext("Restored from the trash."))

    def _delete_for_good(self, request, articles):
        def delete(request, article):
            with transaction.atomic():  # its line in the admin's history goes with it if it is refused
                self.log_deletions(request, [article])
                article.delete_for_good(by=request.user)

        with transaction.atomic():
            count = self._each(request, list(articles), delete)
        self.message_user(
            request,
            ngettext("%(count)d article deleted for good.", "%(count)d articles deleted for good.", count)
            % {"count": count},
            messages.SUCCESS,
        )
