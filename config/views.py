from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from servicepoints.models import Jurisdiction, ServicePoint


def home(request):
    """The signed-in landing page: what the user can see and where to go."""
    points = ServicePoint.objects.visible_to(request.user)
    context = {
        "point_count": points.count(),
        "editable_count": ServicePoint.objects.editable_by(request.user).count(),
        "jurisdictions": Jurisdiction.objects.filter(memberships__user=request.user),
    }
    return render(request, "home.html", context)


@login_not_required
def healthz(request):
    """For load balancers: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
