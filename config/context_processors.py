from django.urls import translate_url
from django.utils.translation import get_language


def language_switch(request):
    """The other official language and this page's address in it, for the switch."""
    other = "en" if (get_language() or "en").startswith("fr") else "fr"
    return {
        "other_language": other,
        "other_language_url": translate_url(request.get_full_path(), other),
    }
