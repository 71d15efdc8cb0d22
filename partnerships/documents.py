"""What a partnership document may be: PDF or office files, checked by extension and content."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# Extension -> the first bytes its files start with (PDF; OLE2 for old Office; ZIP for OOXML
# and OpenDocument). The content is checked too: a renamed executable is refused.
PDF = b"%PDF-"
OLE2 = bytes.fromhex("d0cf11e0a1b11ae1")
ZIP = b"PK\x03\x04"
SIGNATURES = {
    "pdf": PDF,
    "doc": OLE2,
    "xls": OLE2,
    "ppt": OLE2,
    "docx": ZIP,
    "xlsx": ZIP,
    "pptx": ZIP,
    "odt": ZIP,
    "ods": ZIP,
    "odp": ZIP,
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
HELP_TEXT = _("PDF or office file (Word, Excel, PowerPoint, OpenDocument), at most 10 MB.")


def extension(name):
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def validate_document(file):
    """A PDF or office file, no larger than PARTNERSHIP_DOCUMENT_MAX_BYTES."""
    limit = settings.PARTNERSHIP_DOCUMENT_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the largest accepted is %(limit)s."),
            code="document_too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
        )
    ext = extension(file.name)
    if ext not in SIGNATURES:
        raise ValidationError(
            _("%(name)s is not a PDF or office file (accepted: %(accepted)s)."),
            code="document_type",
            params={"name": file.name, "accepted": ", ".join(sorted(SIGNATURES))},
        )
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if not head.startswith(SIGNATURES[ext]):
        raise ValidationError(
            _("%(name)s does not contain what its extension says (.%(ext)s)."),
            code="document_content",
            params={"name": file.name, "ext": ext},
        )
