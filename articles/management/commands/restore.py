"""``manage.py restore``: bring a ``backup`` archive back into an empty, migrated database (articles/backup.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from articles.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive into an EMPTY, migrated database and its media storage. Everything is checked "
        "first, then the staff accounts the archive creates are listed (and, without --yes, confirmation asked); "
        "a failure leaves the database as it was and removes the media files already written."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar.gz written by manage.py backup.")
        parser.add_argument("--database", default="default", help="Database alias to restore into.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, **options):
        def confirm(staff_accounts):
            # Shown even with --yes: whoever restores should know who can log in to the admin afterwards.
            self.stdout.write(self.describe_staff(staff_accounts))
            if options["yes"]:
                return
            try:
                answer = input(f"Restore {options['archive']} into the database {options['database']!r}? [y/N] ")
            except EOFError:  # no one to ask (cron, a script): no answer is no
                raise CommandError("Restore cancelled: no answer (use --yes to restore unasked).") from None
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("Restore cancelled.")

        if options["database"] not in connections.settings:
            raise CommandError(f"No database is configured as {options['database']!r}.")
        try:
            result = restore_backup(options["archive"], using=options["database"], confirm=confirm)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] >= 1:
            articles, photos = result.indexed
            self.stdout.write(
                f"Restored {result.rows} rows and {len(result.media_written)} media files "
                f"({len(result.media_kept)} already present); indexed {articles} articles and {photos} photos."
            )

    @staticmethod
    def describe_staff(staff_accounts):
        if not staff_accounts:
            return "The archive creates no staff accounts."
        lines = [f"The archive creates {len(staff_accounts)} staff accounts, which can log in to the admin:"]
        for username, email, is_superuser in staff_accounts:
            lines.append(f"  {username} <{email or 'no e-mail'}>" + (" (superuser)" if is_superuser else ""))
        return "\n".join(lines)
