# The application image: web (gunicorn), worker and beat all run from it.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    PRODUCTION=1 STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/data/media

# WeasyPrint needs Pango; gettext compiles the translations; postgresql-client has
# pg_dump and pg_restore for `manage.py backup` and `restore`.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    fonts-dejavu-core gettext postgresql-client \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Exactly the versions in requirements.lock (hashes checked; `make lock` writes it), then
# the project itself with no dependencies of its own, built by the lock's setuptools.
COPY pyproject.toml README.md requirements.lock ./
RUN pip install -r requirements.lock \
 && pip install --no-deps --no-build-isolation . \
 && pip check
COPY . .
RUN SECRET_KEY=build-only python manage.py compilemessages --ignore=.venv \
 && SECRET_KEY=build-only python manage.py collectstatic --noinput \
 && useradd --system --uid 1000 app && mkdir -p /data/media /backups \
 && chown -R app /data /backups

USER app
EXPOSE 8000
# No gunicorn access log: paths carry secret link tokens. Django logs each request
# with its route instead (usht.access, security/access_log.py).
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
