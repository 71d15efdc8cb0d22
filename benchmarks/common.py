"""Timing helpers shared by the benchmarks."""

import statistics
import time


def sample(function, repeat=30, warmup=3):
    """Seconds taken by each of `repeat` calls, after `warmup` untimed ones."""
    for _ in range(warmup):
        function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def p50(times):
    return statistics.median(times)


def p95(times):
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def analyst_client():
    """A Django test client signed in as an analyst (reads every jurisdiction)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from servicepoints import roles

    user, _ = get_user_model().objects.get_or_create(username="bench-analyst", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.ANALYSTS))
    client = Client()
    client.force_login(user)
    return client, user


def raw_text(sql, params=()):
    """Run SQL returning one text value (the reference: no Django in the way)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]
