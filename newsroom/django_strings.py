"""Django's own words (and django-taggit's and django-axes's) that their Arabic catalogues lack (newer than their
last translation) or get wrong.

Never imported: this file only shows them to makemessages, so their Arabic lives in locale/ar with ours, and
LOCALE_PATHS, read before Django's catalogues, puts it on the admin's screens. Each must be Django's msgid to
the letter; tests/test_locale.py checks that they still translate.
"""

from django.utils.translation import gettext_noop, ngettext_lazy, pgettext_lazy

# Missing: the admin's action button, list filters, search and pagination labels, and its delete screens.
gettext_noop("Run")
gettext_noop("- Select an option -")
gettext_noop("Filter by %(field_name)s")
gettext_noop("Search %(name)s")
gettext_noop("Pagination %(name)s")
gettext_noop("Pagination %(name)s entries")
gettext_noop("Logout")
gettext_noop(
    "Are you sure you want to delete the %(object_name)s “%(escaped_object)s”? All of the following related items "
    "will be deleted:"
)
gettext_noop(
    "Deleting the %(object_name)s “%(escaped_object)s” would require deleting the following protected related "
    "objects:"
)
gettext_noop(
    "Deleting the %(object_name)s “%(escaped_object)s” would result in deleting related objects, but your account "
    "doesn't have permission to delete the following types of objects:"
)
ngettext_lazy("…and %(count)d more object.", "…and %(count)d more objects.", "count")
gettext_noop("No %s matches the given query.")

# Wrong: Django's Arabic says "was added" for every change saved.
gettext_noop("The {name} “{obj}” was changed successfully.")

# Left in English by Django's Arabic: the labels of the password summary on an account's page.
gettext_noop("salt")
gettext_noop("hash")

# Wrong in django-taggit's Arabic: a tag's slug is «سبيكة» (an ingot) where the admin says «معرّف الرابط» for every
# other slug, and its name is spelled «الإسم».
pgettext_lazy("A tag name", "name")
pgettext_lazy("A tag slug", "slug")

# The months as the newsroom names them (NEWSROOM_ARABIC_MONTHS, Levantine by default), where the admin prints a date:
# newsroom/formats/ar/formats.py prints Django's "alternative" month names (format "E") with these, and Django's own
# (Egyptian, format "F") when the setting asks for them.
pgettext_lazy("alt. month", "January")
pgettext_lazy("alt. month", "February")
pgettext_lazy("alt. month", "March")
pgettext_lazy("alt. month", "April")
pgettext_lazy("alt. month", "May")
pgettext_lazy("alt. month", "June")
pgettext_lazy("alt. month", "July")
pgettext_lazy("alt. month", "August")
pgettext_lazy("alt. month", "September")
pgettext_lazy("alt. month", "October")
pgettext_lazy("alt. month", "November")
pgettext_lazy("alt. month", "December")

# Left in English by django-axes, which has no Arabic for its lockout list: its filter, status column and action.
gettext_noop("Locked Out")
gettext_noop("Attempt Remaining")
gettext_noop("Not set")
gettext_noop("Clean up expired attempts")
