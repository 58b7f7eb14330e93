"""Which media files the rows reference, and the search for orphans among the rest: files under the site's media
folders that no row points at (an upload whose row never committed, the renditions of a deleted photo). The
``cleanup_media`` command lists or removes them; ``backup`` uses the same references to report rows whose file
is missing from the storage."""

import datetime
import posixpath

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, models
from django.utils import timezone

# The folders the site writes media into (photo originals through articles/intake.py, renditions through
# articles/renditions.py; the demo content goes through the intake too): cleanup_media looks nowhere else, and a
# restore writes nowhere else.
MEDIA_FOLDERS = ("photos", "renditions")


def walk(storage, folder):
    """Every file name under ``folder`` of the storage, through the storage API (so S3 works as well)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield posixpath.join(folder, name) if folder else name
    for sub in folders:
        yield from walk(storage, posixpath.join(folder, sub) if folder else sub)


def referenced_media(using=DEFAULT_DB_ALIAS):
    """Every media name a row points at: each file field's value and each photo's listed renditions."""
    from .models import Photo
    from .renditions import _names

    names = set()
    for model in apps.get_models():
        file_fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        if not file_fields:
            continue
        for values in model._base_manager.using(using).values_list(*file_fields).iterator():
            names.update(value for value in values if value)
    for renditions in Photo._base_manager.using(using).values_list("renditions", flat=True).iterator():
        names |= _names(renditions)
    return names


def orphaned_media(*, min_age=datetime.timedelta(hours=1), storage=None, using=DEFAULT_DB_ALIAS):
    """Files under the site's media folders that no row references, oldest first, leaving alone any younger
    than ``min_age`` (an upload or a rendition being written at this moment has no row yet). Returns
    (orphans, skipped_young)."""
    storage = storage or default_storage
    referenced = referenced_media(using)
    cutoff = timezone.now() - min_age
    orphans, young = [], []
    for folder in MEDIA_FOLDERS:
        for name in walk(storage, folder):
            if name in referenced:
                continue
            if min_age and storage.get_modified_time(name) > cutoff:
                young.append(name)
            else:
                orphans.append(name)
    return sorted(orphans), sorted(young)
