"""The user list as administrators see it: invite a contributor, deactivate and reactivate accounts, roles and
two-factor shown at a glance, every account change in the audit log. The admin login form lives here too."""

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import accounts, roles
from .admin import UnchangedSavesNothingMixin  # admin.py imports this module last, once it is defined
from .audit import AuditEntry
from .history import person_name
from .models import AuthenticatorApp

User = get_user_model()

# Password, then the two-factor code for those who have turned it on.
admin.site.login_form = accounts.LoginForm
admin.site.login_template = "accounts/login.html"

admin.site.unregister(User)
admin.site.unregister(TOTPDevice)

# Django stores a permission's name in English when migrations run, and the role screens show that name.
DJANGOS_ACTIONS = {
    "add": _("Can add %(model)s"), "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"), "view": _("Can view %(model)s"),
}


def permission_label(permission):
    """A permission as the role and account screens list it: in the admin's language."""
    action, _sep, model_name = permission.codename.partition("_")
    model = permission.content_type.model_class()
    if action in DJANGOS_ACTIONS and model is not None and model_name == model._meta.model_name:
        name = DJANGOS_ACTIONS[action] % {"model": model._meta.verbose_name}
    else:
        name = gettext(permission.name)  # ours (Meta.permissions) are in the catalogue, English as stored
    return f"{permission.content_type} | {name}"


class PermissionsInArabicMixin:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name in ("permissions", "user_permissions"):
            kwargs["queryset"] = kwargs.get("queryset", db_field.remote_field.model.objects).select_related(
                "content_type"
            )
        field = super().formfield_for_manytomany(db_field, request=request, **kwargs)
        if field is not None and db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field


@admin.register(AuthenticatorApp)
class AuthenticatorAppAdmin(admin.ModelAdmin):
    """Who has set up two-factor login, and removing the app of a lost or replaced phone: its owner then sets up a
    new one (at their next login, where their role requires it). Never the secret key or its QR code, which would
    let whoever saw them make the owner's codes; django-otp's own screen showed both, in English, and let an
    administrator add or edit anyone's device."""

    list_display = ["account", "device_name", "set_up", "created", "last_used"]
    list_select_related = ["user__person"]  # the account is named by its byline (person_name)
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    fields = readonly_fields = ["account", "device_name", "set_up", "created", "last_used"]
    ordering = ["user__username", "pk"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Removing a superuser's app weakens their login as setting their password would: the same rule. Django's
        # bulk delete asks this of every ticked app, and refuses the lot if one is refused.
        if obj is not None and not accounts.may_manage(request.user, obj.user):
            return False
        return super().has_delete_permission(request, obj)

    def lookup_allowed(self, lookup, value, request):
        # Lists may be filtered by whose apps and whether they are set up, nothing else: ?key__startswith=
        # answered row by row would spell out the secret, as Django's user list guards ?password__.
        return lookup.split("__")[0] in {"user", "confirmed"} and super().lookup_allowed(lookup, value, request)

    @admin.display(description=_("account"), ordering="user__username")
    def account(self, device):
        return person_name(device.user)

    @admin.display(description=_("name"), ordering="name")
    def device_name(self, device):
        return device.name

    @admin.display(description=_("set up"), boolean=True, ordering="confirmed")
    def set_up(self, device):
        return device.confirmed

    @admin.display(description=_("added"), ordering="created_at")
    def created(self, device):
        return device.created_at

    @admin.display(description=_("last used"), ordering="last_used_at")
    def last_used(self, device):
        return device.last_used_at

    def delete_model(self, request, obj):
        self._record_removal(obj, by=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for device in queryset.select_related("user"):
            self._record_removal(device, by=request.user)
        super().delete_queryset(request, queryset)

    @staticmethod
    def _record_removal(device, *, by):
        AuditEntry.record(
            AuditEntry.Action.ACCOUNT_CHANGED, device.user, actor=by,
            detail=gettext("authenticator app «%(name)s» removed") % {"name": device.name},
        )


@admin.register(User)
class NewsroomUserAdmin(UnchangedSavesNothingMixin, PermissionsInArabicMixin, UserAdmin):
    list_display = ["username", "byline", "roles", "is_active", "two_factor", "last_login"]
    list_filter = ["is_active", "groups", "is_staff", "is_superuser"]
    list_select_related = ["person"]
    search_fields = ["username", "email", "first_name", "last_name", "person__name_ar", "person__name_en"]
    actions = ["deactivate", "reactivate", "resend_invitation", "delete_selected"]
    form = accounts.AccountChangeForm
    change_password_form = accounts.AccountPasswordForm

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"editing_user": request.user}) if obj is not None else form

    def get_queryset(self, request):
        confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).prefetch_related("groups").annotate(has_two_factor=Exists(confirmed))

    @admin.display(description=_("byline profile"), ordering="person__name")
    def byline(self, obj):
        person = getattr(obj, "person", None)
        return person.name if person else "—"

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return "، ".join(group.name for group in obj.groups.all()) or "—"

    @admin.display(description=_("two-factor"), boolean=True, ordering="has_two_factor")
    def two_factor(self, obj):
        return obj.has_two_factor

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # Nobody switches off their own account by accident; another administrator must do it.
        if obj is not None and obj.pk == request.user.pk:
            fields.append("is_active")
        # A superuser passes every role's limits: only a superuser (made with createsuperuser) makes another.
        if not request.user.is_superuser:
            fields.append("is_superuser")
        return fields

    def has_change_permission(self, request, obj=None):
        # A superuser's account opens read-only for an administrator: no password, no email, no roles to change.
        if obj is not None and not accounts.may_manage(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # As with deactivating: an administrator's own account is removed by another administrator.
        if obj is not None and (obj.pk == request.user.pk or not accounts.may_manage(request.user, obj)):
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        # An account that has acted is named by the audit log and the history: deleted, they would say «—» and
        # «the system» for everything it did. Django's confirmation lists such accounts as protected.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for user in objs:
            if accounts.has_left_a_record(user):
                protected.append(_(
                    "%(user)s: the audit log and the history name this account for what it did. Deactivate it "
                    "instead; its bylines and its record stay."
                ) % {"user": person_name(user)})
        return deleted, counts, perms_needed, protected

    # --- The audit log ---------------------------------------------------------------------------------

    def delete_model(self, request, obj):
        AuditEntry.record(AuditEntry.Action.ACCOUNT_DELETED, obj, actor=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            AuditEntry.record(AuditEntry.Action.ACCOUNT_DELETED, user, actor=request.user)
        super().delete_queryset(request, queryset)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            accounts.record_account_change(user=obj, form=form, by=request.user)

    def save_related(self, request, form, formsets, change):
        # Group changes are recorded here, with the administrator who made them, rather than by an m2m_changed
        # receiver that would not know who it was. The other path that changes roles, roles.assign_role
        # (used by invitations), records its own entry.
        before = set(form.instance.groups.values_list("name", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        if change:
            accounts.record_groups_change(user=form.instance, before=before, by=request.user)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        # Django redirects to the user's page after a change, and back to this form on conflicting buttons.
        if request.method == "POST" and response.status_code == 302 and response.url != request.get_full_path():
            user = self.get_object(request, id)
            AuditEntry.record(
                AuditEntry.Action.ACCOUNT_CHANGED, user, actor=request.user,
                detail=gettext("password set by an administrator") if user.has_usable_password()
                else gettext("password login disabled by an administrator"),
            )
        return response

    # --- Actions ------------------------------------------------------------------------------------

    def _set_active(self, request, queryset, active):
        changed = 0
        for user in queryset:
            try:
                changed += accounts.account_set_active(user=user, active=active, by=request.user)
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
        return changed

    @admin.action(description=django_delete_selected.short_description, permissions=["delete"])
    def delete_selected(self, request, queryset):
        """Django's own, but never with the administrator's own account, or a superuser's, among the ticked ones."""
        if queryset.filter(pk=request.user.pk).exists():
            self.message_user(request, gettext("You cannot delete your own account."), messages.ERROR)
            return None
        if not all(accounts.may_manage(request.user, user) for user in queryset.filter(is_superuser=True)):
            self.message_user(request, gettext("Only a superuser may change a superuser's account."), messages.ERROR)
            return None
        return django_delete_selected(self, request, queryset)

    @admin.action(description=_("Deactivate the selected accounts (bylines stay)"), permissions=["change"])
    def deactivate(self, request, queryset):
        count = self._set_active(request, queryset, False)
        self.message_user(request, ngettext(
            "%(count)d account deactivated.", "%(count)d accounts deactivated.", count,
        ) % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Reactivate the selected accounts"), permissions=["change"])
    def reactivate(self, request, queryset):
        count = self._set_active(request, queryset, True)
        self.message_user(request, ngettext(
            "%(count)d account reactivated.", "%(count)d accounts reactivated.", count,
        ) % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Send a link to choose a password"), permissions=["add"])
    def resend_invitation(self, request, queryset):
        """A new invitation, or, to someone who has forgotten their password, a link to choose a new one."""
        for user in queryset:
            if not accounts.may_manage(request.user, user):  # a superuser's password is for superusers to reset
                self.message_user(request, _(
                    "%(user)s was skipped: only a superuser may change a superuser's account."
                ) % {"user": user.get_username()}, messages.WARNING)
                continue
            if not user.is_active or not user.email:
                self.message_user(request, _(
                    "%(user)s was skipped: only active accounts with an email address get a link."
                ) % {"user": user.get_username()}, messages.WARNING)
                continue
            renewal = user.has_usable_password()
            if accounts.send_invitation(user, request=request):
                AuditEntry.record(
                    AuditEntry.Action.ACCOUNT_INVITED, user, actor=request.user,
                    detail=gettext("link to choose a new password sent") if renewal
                    else gettext("invitation sent again"),
                )

    # --- Invite ---------------------------------------------------------------------------------------

    def get_urls(self):
        invite = path("invite/", self.admin_site.admin_view(self.invite_view), name="auth_user_invite")
        return [invite, *super().get_urls()]

    def invite_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = accounts.InviteForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                user = accounts.invite_contributor(**form.cleaned_data, invited_by=request.user, request=request)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                return redirect("admin:auth_user_change", user.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Invite a contributor"),
            "opts": self.opts,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/auth/user/invite.html", context)


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(PermissionsInArabicMixin, GroupAdmin):
    """Groups are the roles: widening what a role may do is an account change the audit log must show.

    The four roles are found by their groups' names (roles.ROLES): renamed or deleted, a role would silently stop
    being one (inviting to it failed, and required two-factor login no longer applied to its members). What each
    may do can still change; other groups are the administrators' own."""

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "name"] if obj is not None and roles.is_role_group(obj) else fields

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj is not None and roles.is_role_group(obj))

    def save_related(self, request, form, formsets, change):
        before = set(form.instance.permissions.values_list("codename", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(form.instance.permissions.values_list("codename", flat=True))
        if before != after:
            added, removed = sorted(after - before), sorted(before - after)
            detail = " ".join([*(f"+{name}" for name in added), *(f"-{name}" for name in removed)])
            AuditEntry.record(
                AuditEntry.Action.ROLE_PERMISSIONS_CHANGED, form.instance, actor=request.user, detail=detail
            )
