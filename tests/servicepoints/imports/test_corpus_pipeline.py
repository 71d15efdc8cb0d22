"""Every malformed file of the corpus through the whole pipeline: refused or reported with a
clear message naming the file, and the service points exactly as they were."""

import pytest
from django.core.exceptions import ValidationError

from servicepoints.imports import pipeline
from servicepoints.models import ImportRun, Jurisdiction

from .conftest import snapshot
from .test_readers import CASES, CORPUS

pytestmark = pytest.mark.django_db


# Readable files an import refuses row by row: who imports them, and the expected errors.
ROW_ERRORS = {
    "swapped_coordinates.csv": ("data_admin", None, [("swapped_coordinates", 3)]),
    "other_jurisdiction.csv": ("ontario_editor", "ON", [("other_jurisdiction", 3)]),
}


@pytest.mark.parametrize("name", CASES)
def test_malformed_file_changes_nothing(
    name,
    source,
    data_admin,
    ontario_point,
    federal_point,
    service_new_brunswick,
    settings,
    request,
):
    if name == "over_limit.csv":
        settings.IMPORT_MAX_BYTES = 200
    user, jurisdiction = data_admin, None
    if name in ROW_ERRORS:
        user = request.getfixturevalue(ROW_ERRORS[name][0])
        jurisdiction = ROW_ERRORS[name][1] and Jurisdiction.objects.get(code=ROW_ERRORS[name][1])
    before = snapshot()
    run = pipeline.create_run(
        CORPUS / name, data_source=source, user=user, jurisdiction=jurisdiction
    )
    pipeline.validate_run(run)
    issues = pipeline.issues_of(run)
    assert issues, "every malformed file is reported"
    assert all(issue.file == name for issue in issues)
    if CASES[name][0] == "refused":
        assert run.status == ImportRun.Status.INVALID
        (issue,) = issues
        assert issue.code == CASES[name][1]
        assert issue.text().startswith(name)
    elif name in ROW_ERRORS:
        assert run.status == ImportRun.Status.INVALID
        errors = [(issue.code, issue.row) for issue in issues if issue.is_error]
        assert errors == ROW_ERRORS[name][2]
    else:
        # Readable files still lack what an import needs (an external id, a name, a place).
        assert run.status == ImportRun.Status.INVALID
        assert any(issue.is_error for issue in issues)
    with pytest.raises(ValidationError):
        pipeline.apply_run(run, user)
    assert snapshot() == before
    assert not run.rows.exists(), "nothing left in the staging table"
