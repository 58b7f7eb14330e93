"""The admin site: Django's, with every list screen, ours or a library's, turning a query string it cannot use into
Django's own «invalid lookup» answer (a redirect to ?e=1) instead of a server error.

Django's list screens already do that for most bad lookups, but not for dates past what Python's datetime holds:
/admin/articles/article/?published_at__year=99999 fails only when its SQL is written, and a date hierarchy's
?at__year=9999 or ?at__day=2147483648 fails while the list is set up (ValueError and OverflowError that Django's
ChangeList does not catch). Every model admin registered on this site gets the guard, so a screen a library adds
(django-axes' attempts, django-otp's devices) is covered without anyone remembering it.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import EmptyResultSet, FullResultSet


class RefuseImpossibleLookups:
    """A ModelAdmin mixin: a lookup that cannot become SQL is an incorrect lookup, as Django treats the rest."""

    def get_changelist_instance(self, request):
        try:
            changelist = super().get_changelist_instance(request)
            # Writing the SQL (not running it) is where a year lookup's bounds are made.
            queryset = changelist.queryset
            queryset.query.get_compiler(using=queryset.db).as_sql()
        except (EmptyResultSet, FullResultSet):
            pass  # a filter that matches nothing or everything: a fine answer, not a bad lookup
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error
        return changelist


class NewsroomAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        guarded = type(
            admin_class.__name__, (RefuseImpossibleLookups, admin_class), {"__module__": admin_class.__module__}
        )
        super().register(model_or_iterable, guarded, **options)


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsroom.admin_site.NewsroomAdminSite"
