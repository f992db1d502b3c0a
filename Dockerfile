# syntax=docker/dockerfile:1
# One image definition, two builds:
#   chanjiao:latest       CPU torch (web, default worker, CPU inference worker, beat, migrate)
#   chanjiao:cuda         CUDA torch (the GPU inference worker, compose profile "gpu"):
#                         --build-arg TORCH_INDEX_URL=https://download.pytorch.org/whl/cu126

# Front-end libraries (Bootstrap, icons, htmx, Chart.js) from npm; only collectstatic reads them.
FROM node:22-slim AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext libgl1 libglib2.0-0 postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 --user-group chanjiao
WORKDIR /app
COPY requirements.txt ./
# torch first, from the chosen index (CPU: ~200 MB instead of the multi-GB CUDA wheels that
# PyPI's plain torch pulls in); the pin in requirements.txt is then already satisfied.
RUN pip install --index-url "$TORCH_INDEX_URL" "torch==$(sed -n 's/^torch==//p' requirements.txt)" \
 && pip install -r requirements.txt
COPY --chown=chanjiao:chanjiao . .
COPY --from=assets /assets/node_modules /tmp/node_modules
RUN python manage.py compilemessages --ignore=node_modules -v 0 \
 && CHANJIAO_NODE_MODULES=/tmp/node_modules SECRET_KEY=collectstatic-only ALLOWED_HOSTS=build \
    DATABASE_URL=sqlite:////tmp/build.db DJANGO_SETTINGS_MODULE=platform_site.settings.production \
    python manage.py collectstatic --noinput -v 0 \
 && rm -rf /tmp/node_modules /tmp/build.db \
 && mkdir -p /data/media && chown chanjiao:chanjiao /data/media
USER chanjiao
ENV DJANGO_SETTINGS_MODULE=platform_site.settings.production CHANJIAO_DATA_DIR=/data MEDIA_ROOT=/data/media
EXPOSE 8000
CMD ["gunicorn", "platform_site.wsgi:application", "--config", "deploy/gunicorn.conf.py"]
