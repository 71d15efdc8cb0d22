"""Bilingual text: `*_en` and `*_fr` fields with a property following the active language."""

from servicepoints.i18n import prefers_french


def bilingual(obj, field):
    """The French or English value of `field` for the active language (the other if empty)."""
    english, french = getattr(obj, f"{field}_en"), getattr(obj, f"{field}_fr")
    return (french or english) if prefers_french() else (english or french)
