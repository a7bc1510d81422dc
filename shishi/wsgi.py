import os

from django.core.wsgi import get_wsgi_application

from shishi.core.instance import ensure_var_dir

ensure_var_dir()  # before Django reads the settings, which only read var/
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shishi.settings")
application = get_wsgi_application()
