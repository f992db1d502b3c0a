"""Developer settings: the embedded defaults (SQLite, filesystem broker) unless the environment says otherwise."""

from .base import *  # noqa: F403
from .env import env_bool, env_str

DEBUG = env_bool("DEBUG", default=True)
# A development-only key; production settings have no default at all.
SECRET_KEY = env_str("SECRET_KEY", default="django-insecure-chanjiao-local-development-only")

# Serve static files straight from the finders (npm's node_modules included) without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
