"""`manage.py restore FILE`: put a backup back into an empty database and MEDIA_ROOT."""

from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError

from lib.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup`, then check every table and file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup (.tar.gz).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace what the database and MEDIA_ROOT hold now.",
        )

    def handle(self, *args, **options):
        try:
            summary = restore_backup(Path(options["file"]), force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        ContentType.objects.clear_cache()
        self.stdout.write(
            f"Restored {summary.rows} rows in {summary.tables} tables and "
            f"{summary.files} files from {summary.path}; every count and checksum matches."
        )
