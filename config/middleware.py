from django.conf import settings
from django.utils import translation


class CookieLocaleMiddleware:
    """Norwegian bokmål unless the person has chosen another language.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a
    shared computer with an English browser would show English. Here the
    language comes only from the choice stored in the language cookie (set by
    the switcher in the footer), and falls back to LANGUAGE_CODE.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
