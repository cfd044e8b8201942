# Production image: web (gunicorn), worker and beat all run from it (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles

WORKDIR /app
RUN useradd --create-home --uid 10001 --user-group app

# Dependencies first, from the pins and the lock, so code edits reuse this layer.
COPY pyproject.toml requirements.lock ./
RUN pip install --constraint requirements.lock .

COPY . .
# Static files are baked into the image (whitenoise serves them with a manifest).
# The key below exists only for this build step (production wants 50+ characters, so it has
# them); production refuses to start without its own.
RUN DJANGO_ENV=production \
        SECRET_KEY=collectstatic-build-step-only-never-used-to-sign-anything-0000 \
        VAR_DIR=/tmp/build-var \
        python manage.py collectstatic --noinput \
    && rm -rf /tmp/build-var \
    && mkdir -p /app/var/private /app/var/beat \
    && chown -R app:app /app/var

USER app
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind=0.0.0.0:8000", "--workers=3"]
