"""Contributor accounts: invitations by email, deactivation, the audit of account changes, the admin login
form with its optional two-factor code, and the page where staff turn two-factor login on."""

import logging
import math
from base64 import b32encode
from functools import partial

import segno
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import SESSION_KEY, get_user_model, logout
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin, UserChangeForm
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.contrib.auth.views import PasswordResetConfirmView, redirect_to_login
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_encode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from reversion.models import Revision

from . import roles
from .audit import AuditEntry
from .models import Person
from .text import free_slug

logger = logging.getLogger(__name__)
User = get_user_model()


# --- Who is asking: the client address django-axes counts failures against --------------------------------


def client_ip_address(request):
    """The address a login attempt came from (settings.AXES_CLIENT_IP_CALLABLE).

    Behind our own TLS proxy the connection comes from the proxy, so the client is the last X-Forwarded-For
    entry, the one the proxy appended; earlier entries are whatever the client sent and prove nothing.
    Without a proxy the header is ignored entirely, or anyone could pick a fresh address per guess.
    """
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")


# --- Invitations ---------------------------------------------------------------------------------------------


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"), max_length=150, widget=forms.EmailInput(attrs={"dir": "ltr"}),
        # The email becomes the username, so it must also be a valid username.
        validators=[UnicodeUsernameValidator()],
        help_text=_("The invitation goes here, and it becomes the contributor's username."),
    )
    name_ar = forms.CharField(label=_("Name (Arabic)"), max_length=150, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=roles.ROLE_CHOICES)
    person = forms.ModelChoiceField(
        label=_("Existing byline profile"), required=False,
        queryset=Person.objects.filter(user__isnull=True).order_by("name"),
        help_text=_("Choose a profile that already carries this contributor's bylines, or leave empty to "
                    "create one from the name above."),
    )
    person_role = forms.ChoiceField(
        label=_("Byline role"), choices=Person.Role.choices, initial=Person.Role.WRITER,
        help_text=_("Used for a new profile; an existing profile keeps its own."),
    )
    person_role_gender = forms.ChoiceField(
        label=_("Grammatical gender of the byline role"), choices=Person.Gender.choices,
        initial=Person.Gender.MASCULINE,
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        try:
            # What mail servers are given (Django writes the domain in IDNA): «سارة@مثالexample.org», Arabic and
            # Latin letters mixed in one domain, passes the address's own check and fails there.
            email.rpartition("@")[2].encode("idna")
        except UnicodeError:
            raise ValidationError(
                _("This address's domain cannot be used for mail: check it for a stray or mixed-script letter."),
                code="domain",
            ) from None
        if User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists():
            raise ValidationError(_("An account with this email address already exists."), code="duplicate")
        return email

    def clean(self):
        cleaned = super().clean()
        # A name refused already (too long) is not also called missing.
        if not cleaned.get("person") and not cleaned.get("name_ar", "").strip() and "name_ar" not in self.errors:
            self.add_error("name_ar", _("Give the contributor's name, or choose an existing profile."))
        return cleaned


def invite_contributor(
    *, email, role, invited_by, request, name_ar="", name_en="", person_role=Person.Role.WRITER,
    person_role_gender=Person.Gender.MASCULINE, person=None,
):
    """Create a staff account with no usable password, give it a role and a byline profile, and (once all
    that is saved) mail the invitee a link to choose a password. Raises ValidationError on a clash."""
    email = email.strip().lower()
    try:
        with transaction.atomic():
            user = User(username=email, email=email, is_staff=True)
            user.set_unusable_password()
            user.full_clean()
            user.save()
            # assign_role checks that the inviter may give roles, and records the role in the audit log.
            roles.assign_role(user, role, by=invited_by)
            if person is None:
                person = Person(
                    name_ar=name_ar.strip(), name_en=name_en.strip(), role=person_role,
                    role_gender=person_role_gender,
                    slug=free_slug(Person, name_ar, 146),
                )
            else:
                # Locked and re-checked: two administrators must not link one profile to two accounts.
                person = Person.objects.select_for_update().filter(pk=person.pk, user__isnull=True).first()
                if person is None:
                    raise ValidationError(_("That profile was just linked to another account."), code="taken")
            person.user = user
            person.full_clean()
            person.save()
            # The admin greets, and Django's own screens name, an account by its first name: the byline's, not
            # the e-mail address that is its login.
            user.first_name = person.name_ar[:150]
            user.save(update_fields=["first_name"])
            AuditEntry.record(
                AuditEntry.Action.ACCOUNT_INVITED, user, actor=invited_by,
                detail=f"{dict(roles.ROLE_CHOICES)[role]} · {person.name}",
            )
            transaction.on_commit(partial(send_invitation, user, request=request))
    except IntegrityError as error:
        # Only a race gets here (full_clean checked uniqueness a moment earlier): report it, don't crash.
        raise ValidationError(
            _("Someone saved the same account or profile at the same moment. Please try again."), code="race",
        ) from error
    return user


def invitation_link(user, request):
    token = default_token_generator.make_token(user)
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return request.build_absolute_uri(reverse("set_password", kwargs={"uidb64": uidb64, "token": token}))


def send_invitation(user, *, request):
    """Mail the invitee a link to choose a password, and tell the administrator whether it went. An account that
    has a password gets the same link to choose a new one: there is no public reset form (it would tell strangers
    which addresses have accounts), so a contributor who forgot theirs asks an administrator."""
    renewal = user.has_usable_password()
    mail = "new_password" if renewal else "invitation"
    person = Person.objects.filter(user=user).first()
    context = {
        "user": user,
        "name": person.name if person else user.get_username(),
        "link": invitation_link(user, request),
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)),
        "site_name": admin.site.site_header,
    }
    subject = " ".join(render_to_string(f"registration/{mail}_subject.txt", context).split())
    body = render_to_string(f"registration/{mail}_email.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except (OSError, ValueError):  # smtplib's errors are OSErrors; an address no mail can carry, a ValueError
        logger.exception("Invitation mail to user %s failed", user.pk)
        messages.error(request, gettext(
            "The account for %(email)s is ready, but the mail could not be sent. Use the action "
            "“Send a link to choose a password” in the user list once mail works again."
        ) % {"email": user.email})
        return False
    sent = (
        gettext("A link to choose a new password was sent to %(email)s.") if renewal
        else gettext("An invitation to choose a password was sent to %(email)s.")
    )
    messages.success(request, sent % {"email": user.email})
    return True


class SetPasswordView(PasswordResetConfirmView):
    """The invitation link: Django's password-reset confirmation, in the newsroom's words. The token is
    bound to the password hash and the time, so the link expires and stops working once a password is set."""

    template_name = "registration/set_password.html"
    success_url = reverse_lazy("set_password_done")
    title = _("Choose your password")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        # A deactivated account's old invitation is dead too.
        return user if user is not None and user.is_active else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not context["validlink"]:
            context["title"] = _("This link no longer works")  # not Django's "password reset unsuccessful"
        return context


def set_password_done(request):
    return render(request, "registration/set_password_done.html", {"title": _("Your password is set")})


# --- Deactivation and the audit of account changes ------------------------------------------------------


def may_manage(by, user):
    """Whether ``by`` may change, deactivate or delete ``user``'s account (``by=None``: the system). A superuser
    passes every role's limits, so only a superuser manages one: an administrator who could set a superuser's
    password could log in as them."""
    return by is None or by.is_superuser or not user.is_superuser


def account_set_active(*, user, active, by):
    """Deactivate or reactivate an account. Deactivating blocks login at once and ends the account's open
    sessions, while the byline profile, the articles and the history stay. Returns whether anything changed."""
    if user.is_active == active:
        return False
    if not active and user.pk == getattr(by, "pk", None):
        raise ValidationError(_("You cannot deactivate your own account."), code="self")
    if not may_manage(by, user):
        raise ValidationError(_("Only a superuser may change a superuser's account."), code="superuser")
    user.is_active = active
    user.save(update_fields=["is_active"])
    active_state_changed(user, by=by)
    return True


def active_state_changed(user, *, by):
    """What follows a deactivation or a reactivation saved by either screen (the action, or the user form's box):
    a deactivated account's open sessions end, and the audit log says who did it."""
    if not user.is_active:
        end_sessions(user)
    AuditEntry.record(
        AuditEntry.Action.ACCOUNT_REACTIVATED if user.is_active else AuditEntry.Action.ACCOUNT_DEACTIVATED,
        user, actor=by,
    )


class AccountChangeForm(UserChangeForm):
    """Django's account form, with the invitation's rule (one account per address, in any case: a login finds an
    account by its address, whatever the case typed) and no way for administrators to lock themselves out."""

    # Who is saving; set by the user admin's get_form.
    editing_user = None

    def clean_username(self):
        return self._unique_address("username")

    def clean_email(self):
        return self._unique_address("email")

    def _unique_address(self, field):
        value = (self.cleaned_data.get(field) or "").strip()
        if value and field in self.changed_data:
            others = User.objects.exclude(pk=self.instance.pk)
            if others.filter(Q(username__iexact=value) | Q(email__iexact=value)).exists():
                raise ValidationError(
                    _("Another account already uses this address or name, in some mix of capital letters."),
                    code="duplicate",
                )
        return value

    def clean(self):
        cleaned = super().clean()
        if self.editing_user is None or self.instance.pk != self.editing_user.pk or self.instance.is_superuser:
            return cleaned
        # Their own account: saving it without the admin, or without the administrator's role, shuts them out of
        # these very screens. Another administrator can do it, as with deactivating.
        if "is_staff" in self.fields and not cleaned.get("is_staff"):
            self.add_error("is_staff", _("You cannot take the admin away from your own account."))
        administrators = roles.ROLES[roles.ROLE_ADMINISTRATOR]["group"]
        if "groups" in self.fields and roles.user_role(self.instance) == roles.ROLE_ADMINISTRATOR and not any(
            group.name == administrators for group in cleaned.get("groups") or []
        ):
            self.add_error("groups", _("You cannot take the administrator's role away from your own account."))
        return cleaned


class AccountPasswordForm(AdminPasswordChangeForm):
    """Django's form for an administrator setting someone's password, with its warning translated: Django appends
    it to the translated help text as a plain English string, which no catalogue reaches."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "usable_password" in self.fields:
            self.fields["usable_password"].help_text = format_html(
                '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
                SetUnusablePasswordMixin.usable_password_help_text,
                _("If disabled, the current password for this user will be lost."),
            )


def has_left_a_record(user):
    """Whether the audit log or the history names this account for something it did."""
    return AuditEntry.objects.filter(actor=user).exists() or Revision.objects.filter(user=user).exists()


def end_sessions(user):
    """Delete the account's sessions. Django only refuses an inactive account's session while it stays inactive:
    kept, the session of someone deactivated (a laptop lost, a contributor let go) worked again the moment the
    account was reactivated, with no new login. Only unexpired sessions are read, and only staff have any."""
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            session.delete()


# Fields whose change alters what an account may do, audited as a change of roles.
PRIVILEGE_FIELDS = {"is_staff", "is_superuser"}
# Audited elsewhere (active state, roles) or never shown (the password hash).
NOT_AUDITED_HERE = {"is_active", "groups", "user_permissions", "password"}


def _shown(value):
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return "" if value is None else str(value)


def record_account_change(*, user, form, by):
    """Audit what an administrator changed on the user form. ``form.initial`` holds the values before."""
    if "is_active" in form.changed_data:
        active_state_changed(user, by=by)
    lines = {"roles": [], "other": []}
    for name in form.changed_data:
        if name in NOT_AUDITED_HERE:
            continue
        label = form.fields[name].label or name
        line = f"{label}: {_shown(form.initial.get(name))} → {_shown(form.cleaned_data.get(name))}"
        lines["roles" if name in PRIVILEGE_FIELDS else "other"].append(line)
    if lines["roles"]:
        AuditEntry.record(AuditEntry.Action.ROLES_CHANGED, user, actor=by, detail="\n".join(lines["roles"]))
    if lines["other"]:
        AuditEntry.record(AuditEntry.Action.ACCOUNT_CHANGED, user, actor=by, detail="\n".join(lines["other"]))


def record_groups_change(*, user, before, by):
    """Audit a change of groups (roles): ``before`` is the set of group names before the save."""
    after = set(user.groups.values_list("name", flat=True))
    if after == before:
        return
    # The same shape as roles.assign_role's entries: before → after.
    detail = f"{'، '.join(sorted(before)) or '—'} → {'، '.join(sorted(after)) or '—'}"
    AuditEntry.record(AuditEntry.Action.ROLES_CHANGED, user, actor=by, detail=detail)


# --- Login: password, then the two-factor code for those who have turned it on ----------------------------


def confirmed_device(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


class LoginForm(AdminAuthenticationForm):
    """The admin login form (admin.site.login_form) with an optional two-factor code.

    A user with a confirmed TOTP device must give a valid code. A missing or wrong code gets the same answer
    as a wrong password, so a stolen password is not confirmed to whoever tries it, and it counts as a failed
    login for the lockout, so the six digits cannot be guessed at leisure behind a known password.
    """

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": _(
            "Please enter the correct %(username)s and password for a staff account, and your two-factor "
            "code if you have turned it on. Note that both fields may be case-sensitive."
        ),
    }

    otp_token = forms.CharField(
        label=_("Two-factor code"), required=False, max_length=8,
        help_text=_("Only if you have turned on two-factor login: the six digits your app shows now."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "dir": "ltr"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # AuthenticationForm sets the username's length limit after the field is made, which checks nothing: an
        # over-long name reached the lockout's own table (255 characters) and failed there, a 500.
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))

    def clean_username(self):
        username = self.cleaned_data["username"]
        if "@" not in username:
            return username
        # Invited accounts are named by their lower-cased email, and phones like to capitalise its first letter;
        # an account made otherwise (createsuperuser, a WordPress import) may keep capitals. However it is typed,
        # the name becomes the account's own, and so does the lockout's count of failures.
        stored = list(User.objects.filter(username__iexact=username).values_list("username", flat=True)[:2])
        if username in stored:
            return username
        return stored[0] if len(stored) == 1 else username.lower()

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        device = confirmed_device(user)
        if device is None:
            return
        if not verify_code(device, self.cleaned_data.get("otp_token")):
            user_login_failed.send(
                sender=__name__, credentials={"username": self.cleaned_data.get("username")}, request=self.request,
            )
            raise self.get_invalid_login_error()
        # django_otp's user_logged_in receiver stores this device in the session: the login is verified.
        user.otp_device = device


# Phones with an Arabic keyboard type the code in Arabic-Indic (or Persian) digits.
ASCII_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def verify_code(device, code):
    """Check a TOTP code against a device, under a row lock so two requests cannot both use one code.
    The device's own throttling (failures slow it down) is saved even when the code is wrong."""
    code = (code or "").strip().replace(" ", "").translate(ASCII_DIGITS)
    if not (code.isascii() and code.isdigit()) or device.step < 1:  # a step of 0 would divide by zero
        return False
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        return device.verify_token(code)


# --- Two-factor setup ------------------------------------------------------------------------------------


def must_use_two_factor(user):
    """Whether the NEWSROOM_REQUIRE_2FA_FOR setting obliges this user to use two-factor login."""
    # A user is known by their most senior role; superusers count as administrators.
    return bool(settings.NEWSROOM_REQUIRE_2FA_FOR) and roles.user_role(user) in settings.NEWSROOM_REQUIRE_2FA_FOR


class TwoFactorMiddleware:
    """Keeps staff out of the admin, and every other staff-only page, until their login is as strong as it must be.

    Someone obliged by NEWSROOM_REQUIRE_2FA_FOR who has no device is sent to set one up. Someone with a
    confirmed device whose session never gave a code (the device was confirmed after they logged in, in another
    session, or by a script) is logged out, so the next login asks for it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        # The admin, and every staff-only view outside it (NewsroomAdminSite.admin_view marks them: the admin's
        # "view on site" redirect, the staff preview), so a new one is guarded without anyone remembering it.
        guarded = match.app_name == "admin" or getattr(view_func, "staff_only", False)
        if not guarded or match.url_name in {"login", "logout", "jsi18n"}:
            return None
        user = request.user
        if not (user.is_authenticated and user.is_staff) or user.is_verified():
            return None
        if user_has_device(user):
            logout(request)
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if must_use_two_factor(user):
            return redirect_to_login(request.get_full_path(), reverse("two_factor_setup"))
        return None


class ConfirmCodeForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code from your app"), max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "dir": "ltr"}),
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_otp_token(self):
        code = self.cleaned_data["otp_token"]
        # After a wrong code django-otp refuses every code for a while (1, 2, 4… seconds): the right one typed
        # then was refused as wrong, with advice about the phone's clock. Said as it is here, on a page only the
        # logged-in owner sees; the login form keeps its one answer, which must not tell a password was right.
        self.device.refresh_from_db()
        allowed, why = self.device.verify_is_allowed()
        if not allowed and why and why.get("locked_until"):
            seconds = max(1, math.ceil((why["locked_until"] - timezone.now()).total_seconds()))
            raise ValidationError(
                ngettext(
                    "After a wrong code, wait %(seconds)d second before the next.",
                    "After a wrong code, wait %(seconds)d seconds before the next.", seconds,
                ), code="throttled", params={"seconds": seconds},
            )
        if not verify_code(self.device, code):
            raise ValidationError(
                _("That code is not right. Check that your phone's clock is correct and try the newest code."),
                code="invalid",
            )
        return code


def _grouped(secret):
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@staff_member_required
def two_factor_setup(request):
    """Turn on two-factor login: scan the QR code (or type the secret) into an authenticator app, then
    confirm with the code it shows. Until confirmed, the device does nothing at login."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    context = admin.site.each_context(request)
    device = confirmed_device(request.user)
    if device is not None:
        return render(request, "accounts/two_factor.html", context | {"title": _("Two-factor login"), "device": device})

    # One pending device per person, so reloading the page does not change the code to scan.
    device = TOTPDevice.objects.devices_for_user(request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=gettext("Authenticator app"), confirmed=False)
    form = ConfirmCodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.refresh_from_db()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        AuditEntry.record(
            AuditEntry.Action.ACCOUNT_CHANGED, request.user, actor=request.user,
            detail=gettext("two-factor login turned on"),
        )
        messages.success(request, gettext("Two-factor login is on. The login page will ask for a code from now on."))
        return redirect(next_url or "admin:index")

    secret = b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=2, dark="#000", light="#fff", title=gettext("QR code for your authenticator app"),
    )
    return render(request, "accounts/two_factor.html", context | {
        "title": _("Turn on two-factor login"),
        "form": form,
        "qr_svg": qr,
        "secret": _grouped(secret),
        "required": must_use_two_factor(request.user),
        "next": next_url,
    })
