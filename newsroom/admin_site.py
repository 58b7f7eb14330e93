"""The admin site: Django's, with every list screen, ours or a library's, refusing a forged query the way Django
refuses the ones it foresaw (a 400 page, a warning, a search without the bad character) instead of a server error.

Django's list screens admit a lookup on any of a model's own fields, with any value, and check little of it:
- a date part no datetime holds: ?published_at__year=99999 failed when its SQL was written, a date hierarchy's
  ?at__year=9999 or ?at__day=2147483648 while the list was set up; a date in year 1 (?published_at__gte=0001-01-01)
  when SQLite's adapter moved it to UTC, before any date Python holds;
- a NUL character, which PostgreSQL's text cannot hold, in a filter or a search (the list's or an autocomplete's);
  and a search of a thousand words, each one more condition nested in the query (SQLite's expression tree
  overflowed, PostgreSQL took seconds): the words past the reader's search's limit are left out;
- lookups that fail on what they are given: a regular expression that does not compile, a range that is no pair,
  functions or JSON operations one database or the other lacks;
- a value the field cannot hold: an id past the database's integers (?id__in=, ?user=), an address that is no
  address (django-axes' ?ip_address=), or a ticked or edited row whose id is no id (a forged form).
Its forms, likewise: an id past the database's integers among a story's tags or related stories, a time in the
address (?published_at=abc) that the date-and-time widget could not show, a "Save as new" button no screen offers.
Every model admin registered on this site gets the guard, so a screen a library adds (django-axes' attempts) is
covered without anyone remembering it.
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import FieldDoesNotExist, FieldError, SuspiciousOperation, ValidationError
from django.db import models
from django.template.response import TemplateResponse
from django.utils.dateparse import parse_datetime
from django.utils.text import smart_split
from django.utils.translation import get_language, gettext
from django.views.i18n import JavaScriptCatalog

# The values a date part may take. A year keeps one year of margin at both ends of what datetime holds: its first
# and last instants move by the time zone's offset, and a date hierarchy also makes the year after it.
DATE_PARTS = {
    "year": (datetime.MINYEAR + 1, datetime.MAXYEAR - 1), "iso_year": (datetime.MINYEAR + 1, datetime.MAXYEAR - 1),
    "quarter": (1, 4), "month": (1, 12), "week": (1, 53), "day": (1, 31), "week_day": (1, 7),
    "iso_week_day": (1, 7), "hour": (0, 23), "minute": (0, 59), "second": (0, 59),
}
# A lookup comparing a field with the value as it is given.
COMPARISONS = {"exact", "iexact", "in", "gt", "gte", "lt", "lte"}
# No list screen offers these, and a query string can make each of them fail in the database.
REFUSED_LOOKUPS = {
    "regex", "iregex", "range", "search", "unaccent",
    "trigram_similar", "trigram_word_similar", "trigram_strict_word_similar",
}


def date_parts_hold(parts, values):
    """Whether each of ``values`` is one the date part the lookup names (year, month, …) can be."""
    for part in parts:
        if part in DATE_PARTS:
            lowest, highest = DATE_PARTS[part]
            try:
                if not all(lowest <= int(number) <= highest for number in values):
                    return False
            except ValueError:
                return False
    return True


def dates_hold(field, values):
    """Whether each of ``values`` that ``field`` reads as a date falls in a year every time zone can move to UTC
    (articles.models.within_the_calendar). What it cannot read at all, Django answers itself (the list's ?e=1)."""
    from articles.models import within_the_calendar  # not at import: this module is loaded before the models

    for value in values:
        try:
            moment = field.to_python(value)
        except ValidationError:
            continue
        try:
            within_the_calendar(moment)
        except ValidationError:
            return False
    return True


def field_holds(field, values):
    """Whether ``field`` (for a relation, the field it points at) can hold each of ``values`` as given, NUL-free:
    its validators know the database's integer range and what an address is (to_python alone lets 10**30 through)."""
    field = field.target_field if field.is_relation else field
    try:
        for value in values:
            if "\x00" in value:
                return False
            field.run_validators(field.to_python(value))
    except ValidationError:
        return False
    return True


class IdsField(forms.ModelMultipleChoiceField):
    """Ticked or typed ids of rows (a story's tags, its related stories): one past the database's integers is
    refused as any id of no row is; Django's own check sent it to the database, where SQLite overflowed."""

    def _check_values(self, value):
        if isinstance(value, (list, tuple)):
            key = self.to_field_name or "pk"
            field = self.queryset.model._meta.pk if key == "pk" else self.queryset.model._meta.get_field(key)
            for choice in value:
                if not field_holds(field, [str(choice)]):
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": choice}
                    )
        return super()._check_values(value)


class ListScreenGuard:
    """A ModelAdmin mixin: input a list screen cannot use gets Django's own answer to bad input; on every form, a
    date no time zone can move to UTC and an id past the database's integers are form errors, a time in the address
    that is no time is left out, and a "Save as new" the screen does not offer is refused."""

    def lookup_allowed(self, lookup, value, request):
        parts = lookup.split("__")
        if "\x00" in value or REFUSED_LOOKUPS.intersection(parts) or self._reaches_into_json(parts[0]):
            return False  # Django answers 400 (DisallowedModelAdminLookup)
        values = value.split(",") if parts[-1] == "in" else [value]
        if not (date_parts_hold(parts, values) and self._field_holds(parts, values)):
            return False
        return super().lookup_allowed(lookup, value, request)

    def _field_holds(self, parts, values):
        """Whether the field a lookup compares with can hold each of ``values``, where a value it cannot hold
        fails in the database: an integer past its range (SQLite overflows on a relation or in ``__in``; Django
        leaves such a value out of a plain exact match only), an address PostgreSQL's inet cannot read."""
        path = parts[:-1] if parts[-1] in COMPARISONS else parts
        try:
            field = self.model._meta.pk if path == ["pk"] else get_fields_from_path(self.model, "__".join(path))[-1]
            field = field.target_field if field.is_relation else field  # for the type test below
        except (FieldDoesNotExist, NotRelationField, FieldError):
            return True  # a list filter's own parameter, or a transform: Django and the filter check those
        if isinstance(field, models.DateField):  # DateTimeField too; a date part (__year) was checked above
            return dates_hold(field, values)
        return not isinstance(field, (models.IntegerField, models.GenericIPAddressField)) or field_holds(field, values)

    def _reaches_into_json(self, name):
        try:
            return isinstance(self.model._meta.get_field(name), models.JSONField)
        except FieldDoesNotExist:
            return False

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Django saves a copy for "_saveasnew" whether or not the screen offers "Save as new": a forged button
        # cloned any story, or failed drawing the form again. Refused as any other forged request is.
        if request.method == "POST" and "_saveasnew" in request.POST and not self.save_as:
            raise SuspiciousOperation("Save as new is not offered on this screen.")
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_changeform_initial_data(self, request):
        # A value given in the address (?published_at=…) goes to the form as it is, and a date-and-time field's
        # widget takes only a time: any text failed (a weakness of Django's). One that reads as a time is kept.
        initial = super().get_changeform_initial_data(request)
        for name in [name for name in initial if isinstance(self._model_field(name), models.DateTimeField)]:
            try:
                moment = parse_datetime(initial[name]) if isinstance(initial[name], str) else None
            except ValueError:  # reads as a time but is none: 2024-13-45T25:00
                moment = None
            if moment is None:
                del initial[name]
            else:
                initial[name] = moment
        return initial

    def _model_field(self, name):
        try:
            return self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", IdsField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.DateField) and formfield is not None:
            # Any date on any form (a user's date joined, a device's throttling time): saved in year 1, PostgreSQL
            # kept a time it could not read back, and every screen showing the row failed from then on.
            from articles.models import within_the_calendar

            formfield.validators = [*formfield.validators, within_the_calendar]
        return formfield

    def get_search_results(self, request, queryset, search_term):
        # No word holds a NUL; searching without it finds what the rest of the words find. Each distinct word (or
        # "quoted phrase", as Django splits them) once, and no more of them than the reader's search takes.
        # (Imported here: this module is loaded with the app list, before any model can be.)
        from articles.search import MAX_QUERY_WORDS

        words = dict.fromkeys(smart_split(search_term.replace("\x00", "")))
        return super().get_search_results(request, queryset, " ".join(list(words)[:MAX_QUERY_WORDS]))

    def response_action(self, request, queryset, *args, **kwargs):
        if not field_holds(self.model._meta.pk, request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)):
            # Django's own words for an action with nothing (usable) ticked.
            self.message_user(request, gettext(
                "Items must be selected in order to perform actions on them. No items have been changed."
            ), messages.WARNING)
            return None
        return super().response_action(request, queryset, *args, **kwargs)

    def _get_list_editable_queryset(self, request, prefix):
        # Django narrows the rows an editable list saves to the ids posted, once each looks like an id; one past the
        # database's integers failed there. Such a form gets what Django gives any other forged one: every row.
        if not field_holds(self.model._meta.pk, self._get_edited_object_pks(request, prefix)):
            return self.get_queryset(request)
        return super()._get_list_editable_queryset(request, prefix)


class AutocompleteWithExtras(AutocompleteJsonView):
    """The admin's autocomplete answers, each with what the searched model's admin adds through
    ``autocomplete_extras(obj)``: the photo library's thumbnail, credit and alt text for the lead photo box."""

    def serialize_result(self, obj, to_field_name):
        extras = getattr(self.model_admin, "autocomplete_extras", None)
        return super().serialize_result(obj, to_field_name) | (extras(obj) if extras else {})


# The month names static/admin/js/calendar.js asks the catalogue for (and their abbreviations, their first letters).
CALENDAR_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]


class AdminScriptCatalogue(JavaScriptCatalog):
    """The admin's script catalogue, with the calendar's months named as the site names them
    (NEWSROOM_ARABIC_MONTHS): Django's Arabic gives the Egyptian names («يناير») whatever the newsroom prints."""

    def get_catalog(self):
        catalog = super().get_catalog()
        if get_language() == "ar":
            from articles.templatetags.newsroom import arabic_months  # not at import: loaded before the apps

            for month, name in zip(CALENDAR_MONTHS, arabic_months(), strict=True):
                catalog[month] = name
                catalog[f"abbrev. month {month}\x04{month[:3]}"] = name  # pgettext's key: context, EOT, msgid
        return catalog


class NewsroomAdminSite(admin.AdminSite):
    def autocomplete_view(self, request):
        return AutocompleteWithExtras.as_view(admin_site=self)(request)

    def logout(self, request, extra_context=None):
        # Django logs out on POST alone; an old bookmark or a typed /admin/logout/ (a GET) got an empty 405 page.
        if request.method in ("GET", "HEAD"):
            context = {**self.each_context(request), "title": gettext("Log out"), **(extra_context or {})}
            return TemplateResponse(request, "admin/logout_confirm.html", context)
        return super().logout(request, extra_context)

    def i18n_javascript(self, request, extra_context=None):
        return AdminScriptCatalogue.as_view(packages=["django.contrib.admin"])(request)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)
        # Staff-only wherever its address is: articles.accounts.TwoFactorMiddleware guards the views marked so
        # outside the admin's own URLs (its "view on site" redirect, the staff preview) as it guards the admin.
        inner.staff_only = True
        return inner

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, ListScreenGuard):  # a subclass of a class already registered has it
            admin_class = type(
                admin_class.__name__, (ListScreenGuard, admin_class), {"__module__": admin_class.__module__}
            )
        super().register(model_or_iterable, admin_class, **options)


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsroom.admin_site.NewsroomAdminSite"
