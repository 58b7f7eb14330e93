"""App configurations for libraries whose own leave something of theirs in English in the Arabic admin."""

from axes.apps import AppConfig as AxesConfig
from django.utils.translation import gettext_lazy as _


class LoginProtectionConfig(AxesConfig):
    """django-axes, named in the admin's language: its app has no verbose name, so the index showed «Axes» above
    its (translated) screens of login attempts and lockouts."""

    verbose_name = _("Login protection")
