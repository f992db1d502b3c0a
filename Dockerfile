FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext nodejs npm libgl1 libglib2.0-0 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt package.json package-lock.json ./
RUN pip install --no-cache-dir -r requirements.txt && npm ci --no-audit --no-fund
COPY . .
RUN python manage.py compilemessages --ignore=node_modules \
 && SECRET_KEY=collectstatic-only ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.db DJANGO_SETTINGS_MODULE=platform_site.settings.production python manage.py collectstatic --noinput
EXPOSE 8000
