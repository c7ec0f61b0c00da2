"""gunicorn entry point: `gunicorn -c deploy/gunicorn.conf.py gateway.wsgi:app`."""
from gateway.app import create_app
from services.common.config import Settings

app = create_app(Settings.from_env())
