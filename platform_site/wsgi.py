import os

from django.core.wsgi import get_wsgi_application

from platform_site.startup import web_process_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_site.settings.local")
application = get_wsgi_application()
web_process_ready()
