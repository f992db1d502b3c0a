"""`manage.py backup --out DIR`: the database and every media file (admin_portal/backup.py)."""

from django.core.management.base import BaseCommand

from admin_portal.backup import backup_create


class Command(BaseCommand):
    help = "Back up the database and the media files into a new folder under --out."

    def add_arguments(self, parser):
        parser.add_argument("--out", default="var/backups", help="folder that receives the backup (default var/backups)")

    def handle(self, *args, out: str, **options):
        path = backup_create(out_dir=out)
        self.stdout.write(str(path))
