"""After-effects that must follow a photo wherever it is deleted from (admin, shell, cascade)."""

import copy

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Photo
from .renditions import delete_photo_files


@receiver(post_delete, sender=Photo, dispatch_uid="photo_files_follow_row")
def delete_files_of_deleted_photo(sender, instance, **kwargs):
    # Only once the deletion commits: a rolled-back delete must find its files still there. A copy, because
    # Django clears the instance's pk after the signal, and the rendition folder is named after it.
    photo = copy.copy(instance)
    transaction.on_commit(lambda: delete_photo_files(photo))
