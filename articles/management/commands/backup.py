"""``manage.py backup``: write the database and every media file into one archive (see articles/backup.py)."""

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from articles.backup import MEDIA_FOLDERS, default_backup_name, write_backup


class Command(BaseCommand):
    help = (
        "Write the database (portable JSON, restorable into SQLite or PostgreSQL) and every media file into one "
        ".tar.gz archive with a manifest of counts, migrations and checksums. The archive holds password hashes, "
        "TOTP secrets and e-mail addresses: it is created readable by its owner only; store it encrypted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", help="Archive to write (default: newsroom-backup-<date>-<time>.tar.gz here)."
        )
        parser.add_argument("--database", default="default", help="Database alias to back up.")

    def handle(self, *args, **options):
        path = options["output"] or default_backup_name()
        # Checked before the dump, which takes minutes on a large archive.
        if options["database"] not in connections.settings:
            raise CommandError(f"No database is configured as {options['database']!r}.")
        if os.path.isdir(path):
            raise CommandError(f"{path} is a folder; name the archive file to write.")
        if not os.path.isdir(os.path.dirname(os.path.abspath(path))):
            raise CommandError(f"The folder of {path} does not exist.")
        manifest = write_backup(path, using=options["database"])
        # Warnings whatever the verbosity: a backup that restores rows pointing at nothing must not pass unseen.
        if missing := manifest["missing_media"]:
            self.stderr.write(self.style.WARNING(
                f"{len(missing)} media files the rows reference are missing from the storage; the restored rows "
                "will point at nothing:\n" + "\n".join(f"  {name}" for name in missing)
            ))
        if skipped := manifest["skipped_media"]:
            self.stderr.write(self.style.WARNING(
                f"{len(skipped)} files under {', '.join(MEDIA_FOLDERS)}/ are not images and were left out:\n"
                + "\n".join(f"  {name}" for name in skipped)
            ))
        if options["verbosity"] >= 1:
            rows = sum(manifest["counts"].values())
            self.stdout.write(f"Wrote {path}: {rows} rows, {len(manifest['media'])} media files.")
