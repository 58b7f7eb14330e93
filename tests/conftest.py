import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Every test writes its uploads to a folder of its own, never into the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def arabic_by_default():
    """A request to /en/ leaves English active in the thread; each test starts in Arabic, as the site does."""
    from django.utils import translation

    translation.activate("ar")
    yield
    translation.activate("ar")
