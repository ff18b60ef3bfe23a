from django.conf import settings


def site(request):
    return {"SITE_NAME": settings.SUPPLY_SITE_NAME}
