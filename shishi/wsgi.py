import os

from django.core.wsgi import get_wsgi_application

from shishi.core.instance import ensure_var_dir

ensure_var_dir()  # before Django reads the settings, which only read var/
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shishi.settings")
application = get_wsgi_application()

# jieba reads its dictionary on first use (about a second): each web worker does it as it
# boots, not while the first citizen of the day waits for their report to be filed.
from shishi.appeals.search import warm_up  # noqa: E402

warm_up()
