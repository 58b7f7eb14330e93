"""The admin site: Django's, with every list screen, ours or a library's, answering a forged or impossible query
the way Django answers the ones it foresaw (a redirect, a message, an empty search) instead of a server error.

Django's list screens already refuse most bad input, but not:
- dates past what Python's datetime holds: /admin/articles/article/?published_at__year=99999 fails only when its
  SQL is written, and a date hierarchy's ?at__year=9999 or ?at__day=2147483648 while the list is set up
  (ValueError and OverflowError that Django's ChangeList does not catch);
- a NUL character in a search (the list's or an autocomplete's), which PostgreSQL's text cannot hold;
- a ticked row that is no id at all, or one past the database's integers (a forged action form), which fails as
  the rows are filtered.
Every model admin registered on this site gets the guard, so a screen a library adds (django-axes' attempts,
django-otp's devices) is covered without anyone remembering it.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import EmptyResultSet, FullResultSet, ValidationError
from django.utils.translation import gettext


class ListScreenGuard:
    """A ModelAdmin mixin: input a list screen cannot use gets Django's own answer to bad input."""

    def get_changelist_instance(self, request):
        try:
            changelist = super().get_changelist_instance(request)
            # Writing the SQL (not running it) is where a year lookup's bounds are made.
            queryset = changelist.queryset
            queryset.query.get_compiler(using=queryset.db).as_sql()
        except (EmptyResultSet, FullResultSet):
            pass  # a filter that matches nothing or everything: a fine answer, not a bad lookup
        except (ValueError, OverflowError) as error:
            # Django's answer to a lookup it cannot use: the list unfiltered, with a message (?e=1).
            raise IncorrectLookupParameters(error) from error
        return changelist

    def get_search_results(self, request, queryset, search_term):
        # No word holds a NUL; searching without it finds what the rest of the words find.
        return super().get_search_results(request, queryset, search_term.replace("\x00", ""))

    def response_action(self, request, queryset, *args, **kwargs):
        pk = self.model._meta.pk
        for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
            try:
                # An id, and one the database's integers hold (the field's validators know the range).
                pk.run_validators(pk.to_python(value))
            except ValidationError:
                # Django's own words for an action with nothing (usable) ticked.
                self.message_user(request, gettext(
                    "Items must be selected in order to perform actions on them. No items have been changed."
                ), messages.WARNING)
                return None
        return super().response_action(request, queryset, *args, **kwargs)


class NewsroomAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        guarded = type(admin_class.__name__, (ListScreenGuard, admin_class), {"__module__": admin_class.__module__})
        super().register(model_or_iterable, guarded, **options)


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsroom.admin_site.NewsroomAdminSite"
