"""`manage.py restore BACKUP_DIR --database-url URL`: into an EMPTY database, media through
the configured storage (admin_portal/backup.py). Run migrate afterwards when the code is
newer than the backup."""

from django.core.management.base import BaseCommand, CommandError

from accounts.errors import ApplicationError
from admin_portal.backup import backup_restore


class Command(BaseCommand):
    help = "Restore a backup folder into an empty database and the media storage."

    def add_arguments(self, parser):
        parser.add_argument("backup_dir")
        parser.add_argument("--database-url", required=True,
                            help="the EMPTY database to restore into (postgres://… or sqlite:///path)")

    def handle(self, *args, backup_dir: str, database_url: str, **options):
        try:
            result = backup_restore(backup_dir=backup_dir, database_url=database_url)
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc
        rows = sum(result["tables"].values())
        self.stdout.write(f"Restored {rows} rows in {len(result['tables'])} tables and {result['media_files']} media files.")
