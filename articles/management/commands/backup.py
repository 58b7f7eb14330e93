"""``manage.py backup``: write the database and every media file into one archive (see articles/backup.py)."""

from django.core.management.base import BaseCommand

from articles.backup import default_backup_name, write_backup


class Command(BaseCommand):
    help = (
        "Write the database (portable JSON, restorable into SQLite or PostgreSQL) and every media file into one "
        ".tar.gz archive with a manifest of counts, migrations and checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", help="Archive to write (default: newsroom-backup-<date>-<time>.tar.gz here)."
        )
        parser.add_argument("--database", default="default", help="Database alias to back up.")

    def handle(self, *args, **options):
        path = options["output"] or default_backup_name()
        manifest = write_backup(path, using=options["database"])
        if options["verbosity"] >= 1:
            rows = sum(manifest["counts"].values())
            self.stdout.write(f"Wrote {path}: {rows} rows, {len(manifest['media'])} media files.")
