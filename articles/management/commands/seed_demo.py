"""``manage.py seed_demo``: fill an empty newsroom with demo sections, people, photos and stories."""

from django.core.management.base import BaseCommand

from articles.demo import load_demo_content


class Command(BaseCommand):
    help = (
        "Load demo content (sections, people, tags, photos, about thirty articles, a support box) "
        "and a demo editor account. Safe to run more than once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-password", action="store_true",
            help="Set the demo editor's password again even if the account already exists.",
        )

    def handle(self, *args, **options):
        summary = load_demo_content(reset_password=options["reset_password"])
        created = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in summary["created"].items())
        totals = ", ".join(f"{count} {name}" for name, count in summary["totals"].items())
        self.stdout.write(f"Created: {created}.")
        self.stdout.write(f"In the database now: {totals}.")
        self.stdout.write(self.style.SUCCESS("Demo editor login:"))
        self.stdout.write(f"  username: {summary['username']}")
        if summary["password"]:
            self.stdout.write(f"  password: {summary['password']}")
        else:
            self.stdout.write(
                "  password: unchanged (the account already existed; use --reset-password to set "
                "it back to the demo password)"
            )
