"""Undo deletes created points with SQL: it must know every relation that hangs on a point."""

from servicepoints.models import ServicePoint


def test_undo_knows_every_relation_to_a_service_point():
    reverse = sorted(
        (rel.related_model._meta.label, rel.field.name, rel.on_delete.__name__)
        for rel in ServicePoint._meta.related_objects
    )
    # The history events (kept on purpose) and the channel statistics of call centres, which
    # `apply.conflicts` finds on a point the run created (undo is then refused, not a cascade):
    # anything new must be handled in servicepoints/imports/apply.py before it joins the list.
    assert reverse == [
        ("analysis.ChannelStatistic", "service_point", "CASCADE"),
        ("servicepoints.ServicePointEvent", "pgh_obj", "DO_NOTHING"),
    ]
    assert [field.name for field in ServicePoint._meta.many_to_many] == ["services"]
