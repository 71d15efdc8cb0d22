"""Background work (django-tasks): imports run on `manage.py db_worker`, not in the web process.

Each task takes ids, not objects (arguments are stored as JSON), and records its outcome on the
import run, which the admin screens poll for progress. The language of whoever started the task
comes along, so the progress messages read in it.
"""

from django.contrib.auth import get_user_model
from django.utils import translation
from django_tasks import task

from .imports import pipeline
from .models import ImportRun

QUEUE = "imports"


def _user(user_id):
    return get_user_model().objects.filter(pk=user_id).first() if user_id else None


@task(queue_name=QUEUE)
def validate_import(run_id, language=None):
    run = ImportRun.objects.select_related("data_source", "jurisdiction", "created_by").get(
        pk=run_id
    )
    with translation.override(language):
        pipeline.validate_run(run)
    return run.status


@task(queue_name=QUEUE)
def apply_import(run_id, user_id, language=None):
    run = ImportRun.objects.select_related("data_source", "jurisdiction").get(pk=run_id)
    with translation.override(language):
        pipeline.apply_run(run, _user(user_id))
    return run.status


def start_validation(run):
    """Queue the validation of a new run; remember the task on the run."""
    result = validate_import.enqueue(run.pk, language=translation.get_language())
    ImportRun.objects.filter(pk=run.pk, task_id="").update(task_id=str(result.id))
    return result


def start_apply(run, user):
    result = apply_import.enqueue(
        run.pk, user.pk if user else None, language=translation.get_language()
    )
    ImportRun.objects.filter(pk=run.pk).update(task_id=str(result.id))
    return result
