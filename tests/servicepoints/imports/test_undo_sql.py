"""Undo deletes created points with SQL: it must know every relation that hangs on a point."""

from servicepoints.models import ServicePoint


def test_undo_knows_every_relation_to_a_service_point():
    reverse = sorted(
        (
            rel.related_model._meta.label,
            rel.field.name,
            "many to many" if rel.many_to_many else rel.on_delete.__name__,
        )
        for rel in ServicePoint._meta.related_objects
    )
    # The history events (kept on purpose), and the rows `apply.conflicts` finds on a point the
    # run created (channel statistics, a scenario's closed points, a partnership's sites: undo
    # is then refused, never a cascade). Check a new relation is handled there before it joins.
    assert reverse == [
        ("analysis.ChannelStatistic", "service_point", "CASCADE"),
        ("analysis.Scenario", "closed_points", "many to many"),
        ("partnerships.Site", "service_point", "PROTECT"),
        ("servicepoints.ServicePointEvent", "pgh_obj", "DO_NOTHING"),
    ]
    assert [field.name for field in ServicePoint._meta.many_to_many] == ["services"]
