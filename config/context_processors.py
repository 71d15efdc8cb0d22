from django.urls import translate_url

from servicepoints.i18n import prefers_french


def language_switch(request):
    """The other official language and this page's address in it, for the switch."""
    other = "en" if prefers_french() else "fr"
    return {
        "other_language": other,
        "other_language_url": translate_url(request.get_full_path(), other),
    }
