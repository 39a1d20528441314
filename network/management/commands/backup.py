"""`manage.py backup [FILE]`: the database and MEDIA_ROOT in one file (lib/backups.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lib.backups import BackupError, make_backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded and generated files into one .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            help="Where to write it (default: backups/usht-<date>-<time>.tar.gz).",
        )

    def handle(self, *args, **options):
        name = options["file"] or f"backups/usht-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        try:
            summary = make_backup(Path(name))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backed up {summary.rows} rows in {summary.tables} tables and "
            f"{summary.files} files to {summary.path}"
        )
