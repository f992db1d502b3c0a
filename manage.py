#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import gc
import os
import sys


def main() -> None:
    # Start-up creates a few hundred thousand objects (models, forms, serializers, URL
    # patterns) that live as long as the process: collecting garbage among them while they
    # are being created is wasted work (about 0.1 s of a `manage.py check`). The collector
    # is switched back on, with those objects frozen out of its passes, once the apps are
    # ready (platform_site.startup.gc_resume, called by the last app's ready()).
    gc.disable()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_site.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
