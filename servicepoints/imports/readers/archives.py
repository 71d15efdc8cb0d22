"""Zip archives (XLSX workbooks, zipped Shapefiles) checked before anything reads them.

The central directory is checked first: member count, names (no absolute paths, no `..`: zip
slip), encryption, total uncompressed size and compression ratio. The sizes there are written
by whoever made the file, so they are enforced again while reading: `extract()` counts the
bytes it decompresses and stops at the limit, and Python's zipfile (which openpyxl uses) never
returns more than a member's declared size and fails its CRC check when the data is longer.
Members are extracted under names chosen here, never under the names in the archive.
"""

import re
import zipfile

from django.utils.translation import gettext_noop

from .common import refuse

CHUNK = 1 << 16
# Members this small may compress very well (XML headers, blank sheets) without being a bomb.
RATIO_FLOOR_BYTES = 1 << 20
_DRIVE = re.compile(r"^[A-Za-z]:")


def damaged(name):
    return refuse(
        "damaged_archive",
        gettext_noop("%(file)s is a damaged or incomplete zip archive; export or zip it again."),
        name,
    )


def open_zip(path, name, limits):
    """A ZipFile whose directory passed every check, or ImportFileError."""
    try:
        archive = zipfile.ZipFile(path)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise damaged(name) from exc
    try:
        check_directory(archive, members, name, limits)
    except Exception:
        archive.close()
        raise
    return archive


def check_directory(archive, members, name, limits):
    if len(members) > limits.max_members:
        raise refuse(
            "too_many_members",
            gettext_noop("%(file)s holds more than %(limit)s files; it cannot be imported."),
            name,
            limit=limits.max_members,
        )
    total = 0
    for member in members:
        member_name = member.filename
        parts = re.split(r"[\\/]", member_name)
        if (
            member_name.startswith(("/", "\\"))
            or _DRIVE.match(member_name)
            or ".." in parts
            or "\x00" in member_name
        ):
            raise refuse(
                "unsafe_archive",
                gettext_noop(
                    "%(file)s contains a file named “%(member)s”, which points outside the "
                    "archive; it cannot be imported."
                ),
                name,
                member=member_name[:200],
            )
        if member.flag_bits & 0x1:
            raise refuse(
                "encrypted_archive",
                gettext_noop("%(file)s is password-protected; remove the password and try again."),
                name,
            )
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise refuse(
                "unsupported_compression",
                gettext_noop(
                    "%(file)s uses a zip compression method that is not supported; zip it "
                    "again with the standard (deflate) method."
                ),
                name,
            )
        if member.file_size > RATIO_FLOOR_BYTES and member.file_size > (
            limits.max_compression_ratio * max(member.compress_size, 1)
        ):
            raise bomb(name, limits)
        total += member.file_size
    if total > limits.max_uncompressed_bytes:
        raise bomb(name, limits)


def bomb(name, limits):
    return refuse(
        "archive_too_large",
        gettext_noop(
            "%(file)s expands to more than %(limit)s MB or compresses more than %(ratio)s to 1, "
            "which is not a plausible data file; it was not opened."
        ),
        name,
        limit=limits.max_uncompressed_bytes // (1024 * 1024),
        ratio=limits.max_compression_ratio,
    )


def data_members(archive):
    """Members that are files, leaving out folders and macOS resource forks."""
    return [
        member
        for member in archive.infolist()
        if not member.is_dir()
        and not member.filename.startswith("__MACOSX/")
        and not member.filename.rsplit("/", 1)[-1].startswith("._")
    ]


def extract(archive, member, target, name, limits, budget):
    """Copy one member to `target`, counting what is decompressed. Returns the bytes written.

    `budget` is what is left of the archive's uncompressed allowance.
    """
    allowed = min(
        budget, max(RATIO_FLOOR_BYTES, limits.max_compression_ratio * max(member.compress_size, 1))
    )
    written = 0
    try:
        with archive.open(member) as source, open(target, "wb") as out:
            while chunk := source.read(CHUNK):
                written += len(chunk)
                if written > allowed:
                    raise bomb(name, limits)
                out.write(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as exc:
        raise damaged(name) from exc
    return written


def read_member_text(archive, member, name, limit=1 << 20):
    """A small text member (a .prj, a .cpg), read up to `limit` bytes."""
    try:
        with archive.open(member) as source:
            data = source.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as exc:
        raise damaged(name) from exc
    return data[:limit].decode("utf-8", errors="replace")
