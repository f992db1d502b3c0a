"""`manage.py seed_demo [--students N]`: idempotent, realistic demo data.

Each app contributes a `demo.seed(ctx)` hook; they run in INSTALLED_APPS order
(the dependency order), sharing one DemoContext.
"""

from __future__ import annotations

import time
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_LOGINS, DEMO_PASSWORD, DemoContext


class Command(BaseCommand):
    help = "Create demo data (idempotent). Prints one login per role at the end."

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=300, help="number of students (default 300)")
        parser.add_argument("--seed", type=int, default=20261122, help="random seed")

    def handle(self, *args, students: int, seed: int, **options):
        if students < 1:
            raise CommandError("--students must be at least 1.")
        ctx = DemoContext(students=students, seed=seed, stdout=self.stdout)
        started = time.perf_counter()
        for config in apps.get_app_configs():
            if not config.path.startswith(str(settings.BASE_DIR)):
                continue
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            step = time.perf_counter()
            module.seed(ctx)
            self.stdout.write(f"  {config.name}: {time.perf_counter() - step:.1f}s")
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {time.perf_counter() - started:.1f}s."))
        self.stdout.write("Demo logins (demo data only), password: " + DEMO_PASSWORD)
        for username, role, *_ in DEMO_LOGINS:
            # Username first: role labels may be Chinese (double-width), which breaks padding.
            self.stdout.write(f"  {username:<18} {role.label}")
