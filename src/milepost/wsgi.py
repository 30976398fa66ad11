import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "milepost.settings")
application = get_wsgi_application()

if settings.WARM_UP:
    from milepost.site.warm_up import warm_up

    warm_up()
