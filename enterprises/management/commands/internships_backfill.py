"""Make the internship placements of offers accepted before issue 11 landed (recorded as
AuditLog action "internship.placement_due"). Idempotent."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create internship placements for accepted offers recorded as due."

    def handle(self, *args, **options):
        from enterprises.internships.services import placements_backfill_due

        made = placements_backfill_due()
        self.stdout.write(f"{made} placement(s) created")
