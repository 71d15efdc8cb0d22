"""The active language, as the code that picks between English and French needs it."""

from django.utils.translation import get_language


def prefers_french():
    """Whether the active language is French (English otherwise, and when none is active)."""
    return (get_language() or "en").startswith("fr")
