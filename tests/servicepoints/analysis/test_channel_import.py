"""import_channel_statistics: the real ServiceOntario file, renames and ends, refusals that
change nothing, re-imports that change nothing, the admin screen and its permission."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from servicepoints.analysis.forecast.importer import import_channel_statistics
from servicepoints.analysis.forecast.lines import parse
from servicepoints.analysis.models import ChannelStatistic, EndReason, LineOfBusiness
from tests.conftest import shared_file

from .channel_data import HEADER, REAL_FILE, contact_centre, write  # noqa: F401

pytestmark = pytest.mark.django_db


def test_names_lose_double_spaces_and_say_their_suffix():
    assert parse("Publications queues  (English + French)").name == (
        "Publications queues (English + French)"
    )
    ended = parse("Basic Income (English + French) DISCONTINUED")
    assert (ended.name, ended.discontinued) == ("Basic Income (English + French)", True)
    see = parse("Pilot Queues (English + French) - See MCCSS Programs Queues")
    assert (see.name, see.see) == ("Pilot Queues (English + French)", "MCCSS Programs Queues")


def test_the_real_file(contact_centre):  # noqa: F811
    path = shared_file(REAL_FILE)
    result = import_channel_statistics(path, organization="serviceontario")
    assert not result.refused, [issue.text() for issue in result.issues]
    assert (result.rows, result.created, result.updated) == (994, 994, 0)
    # 25 names in the file, 21 lines: two renames, two suffixes on the lines' last month.
    assert result.lines == LineOfBusiness.objects.count() == 21
    energy = LineOfBusiness.objects.get(name__startswith="Ministry of Energy, Northern")
    assert sorted(energy.names.values_list("name", flat=True)) == [
        "Ministry of Energy queues (English + French)",
        "Ministry of Energy, Northern Development and Mines queues (English + French)",
    ]
    assert energy.statistics.count() == 42 + 15  # one series across the rename
    basic = LineOfBusiness.objects.get(name="Basic Income (English + French)")
    assert (basic.end_reason, f"{basic.ended:%Y-%m}") == (EndReason.DISCONTINUED, "2018-07")
    pilot = LineOfBusiness.objects.get(name__contains="Mobile Pilot")
    assert pilot.end_reason == EndReason.REGROUPED
    assert pilot.successor.name.startswith("Ministry of Children, Community and Social")
    health = ChannelStatistic.objects.get(line__name__startswith="Health", month="2016-01-01")
    assert health.calls_handled > 0 and health.average_wait_minutes is not None
    again = import_channel_statistics(path, organization="serviceontario")
    assert (again.created, again.updated, again.unchanged, again.new_lines) == (0, 0, 994, 0)


def test_the_command_twice_says_unchanged(contact_centre, tmp_path, capsys):  # noqa: F811
    path = write(tmp_path, HEADER + "General Inquiry queues,Jan,2016,100,0.5\n")
    call_command("import_channel_statistics", str(path), "--organization", "serviceontario")
    assert "1 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    call_command("import_channel_statistics", str(path), "--organization", "serviceontario")
    assert "0 created, 0 updated, 1 unchanged" in capsys.readouterr().out
    changed = write(tmp_path, HEADER + "General Inquiry queues,Jan,2016,120,0.5\n")
    call_command("import_channel_statistics", str(changed), "--organization", "serviceontario")
    assert "0 created, 1 updated, 0 unchanged" in capsys.readouterr().out
    assert ChannelStatistic.objects.get().calls_handled == 120


BAD_CELLS = [
    ("A,Jam,2016,100,0.5\n", "row 2, column “month”: “Jam” is not a month"),
    ("A,Jan,16,100,0.5\n", "row 2, column “year”: “16” is not a year between 1990 and 2100"),
    ("A,Jan,2016,-3,0.5\n", "row 2, column “calls_handled”: “-3” is not a whole number"),
    ("A,Jan,2016,12.5,0.5\n", "row 2, column “calls_handled”: “12.5” is not a whole number"),
    ("A,Jan,2016,100,soon\n", "row 2, column “avg_wait_minutes”: “soon” is not a number of"),
    (",Jan,2016,100,0.5\n", "row 2, column “queue_group”: the line of business is empty"),
]


@pytest.mark.parametrize(("row", "message"), BAD_CELLS)
def test_a_bad_cell_refuses_the_file_naming_file_row_and_column(
    contact_centre,  # noqa: F811
    tmp_path,
    row,
    message,
):
    good = "B,Jan,2016,100,0.5\n"
    result = import_channel_statistics(
        write(tmp_path, HEADER + row + good), organization="serviceontario"
    )
    assert result.refused
    assert any(issue.text() == f"stats.csv, {message}" or message in issue.text()
               for issue in result.issues), [i.text() for i in result.issues]  # fmt: skip
    assert all(issue.file == "stats.csv" for issue in result.issues)
    assert not ChannelStatistic.objects.exists() and not LineOfBusiness.objects.exists()


def test_a_refused_file_leaves_the_earlier_import_as_it_was(contact_centre, tmp_path):  # noqa: F811
    import_channel_statistics(
        write(tmp_path, HEADER + "A,Jan,2016,100,0.5\n"), organization="serviceontario"
    )
    bad = HEADER + "A,Jan,2016,999,0.5\nA,Feb,2016,100,0.5\nA,Mar,2016,x,0.5\n"
    result = import_channel_statistics(write(tmp_path, bad), organization="serviceontario")
    assert result.refused
    assert list(ChannelStatistic.objects.values_list("calls_handled", flat=True)) == [100]


def test_a_renamed_line_twice_in_one_month_is_a_duplicate(contact_centre, tmp_path):  # noqa: F811
    text = (
        HEADER
        + "Ministry of Energy queues  (English + French),Jul,2019,10,0.5\n"
        + '"Ministry of Energy, Northern Development and Mines queues (English + French)",'
        + "Jul,2019,12,0.5\n"
    )
    result = import_channel_statistics(write(tmp_path, text), organization="serviceontario")
    assert result.refused
    assert "row 3, column “queue_group”" in result.issues[0].text()
    assert "has 2019-07 already, on row 2" in result.issues[0].text()


def test_renames_from_the_caller_and_offered_answered_service_level(contact_centre, tmp_path):  # noqa: F811
    text = (
        "line_of_business,month,calls_offered,calls_answered,service_level\n"
        "Old queue,2020-01,100,90,80\nNew queue,2020-02,110,100,85.5\n"
    )
    result = import_channel_statistics(
        write(tmp_path, text), organization="serviceontario", renames={"Old queue": "New queue"}
    )
    assert not result.refused, [i.text() for i in result.issues]
    line = LineOfBusiness.objects.get()
    assert line.name == "New queue"
    assert list(
        line.statistics.values_list("calls_offered", "calls_answered", "service_level")
    ) == [
        (100, 90, 80.0),
        (110, 100, 85.5),
    ]
    too_many = "line,month,calls_offered,calls_answered\nX,2020-01,10,11\n"
    refused = import_channel_statistics(write(tmp_path, too_many), organization="serviceontario")
    assert "11 calls answered, more than the 10 offered" in refused.issues[0].text()


def test_missing_columns_and_points(serviceontario, tmp_path):
    path = write(tmp_path, "queue,when,calls_handled\nA,2016-01,3\n")
    result = import_channel_statistics(path, organization="serviceontario")
    assert "stats.csv: ServiceOntario has no call or processing centre" in result.issues[0].text()
    result = import_channel_statistics(path, organization="nobody")
    assert "there is no organization “nobody”" in result.issues[0].text()


def test_a_file_without_a_month_column(contact_centre, tmp_path):  # noqa: F811
    path = write(tmp_path, "queue,when,calls_handled\nA,2016-01,3\n")
    result = import_channel_statistics(path, organization="serviceontario")
    assert result.refused
    assert result.issues[0].text() == (
        "stats.csv has no column “month” (or —); its columns: queue, when, calls_handled."
    )
    assert not LineOfBusiness.objects.exists()


def test_the_command_refuses_with_a_clear_error(contact_centre, tmp_path):  # noqa: F811
    path = write(tmp_path, HEADER + "A,13,2016,1,1\n")
    with pytest.raises(CommandError, match="stats.csv was refused; nothing was changed"):
        call_command("import_channel_statistics", str(path), "--organization", "serviceontario")
    with pytest.raises(CommandError, match="--rename wants OLD=NEW"):
        call_command(
            "import_channel_statistics", str(path), "--organization", "x", "--rename", "A"
        )


def test_the_admin_screen_imports_and_refuses(admin_client, contact_centre):  # noqa: F811
    url = reverse("admin:analysis_channelstatistic_import")
    assert (
        url.encode()
        in admin_client.get(reverse("admin:analysis_channelstatistic_changelist")).content
    )
    bad = SimpleUploadedFile("so.csv", (HEADER + "A,Jan,2016,many,1\n").encode())
    page = admin_client.post(url, {"file": bad, "organization": "serviceontario"})
    text = page.content.decode()
    assert "The file was refused; nothing was changed." in text
    assert "so.csv, row 2, column “calls_handled”: “many” is not a whole number" in text
    assert not ChannelStatistic.objects.exists()
    good = SimpleUploadedFile("so.csv", (HEADER + "A,Jan,2016,7,1\n").encode())
    page = admin_client.post(url, {"file": good, "organization": "serviceontario"}, follow=True)
    assert "1 created, 0 updated, 0 unchanged" in page.content.decode()
    assert ChannelStatistic.objects.get().calls_handled == 7


def test_the_admin_screen_needs_the_right_to_edit_the_point(
    client,
    analyst,
    new_brunswick_editor,
    contact_centre,  # noqa: F811
):
    url = reverse("admin:analysis_channelstatistic_import")
    client.force_login(analyst)
    assert client.get(url).status_code in (302, 403)
    client.force_login(new_brunswick_editor)  # no call centre of theirs to import into
    assert client.get(url).status_code == 403
    upload = SimpleUploadedFile("so.csv", (HEADER + "A,Jan,2016,7,1\n").encode())
    assert client.post(url, {"file": upload, "organization": "serviceontario"}).status_code == 403
    assert not ChannelStatistic.objects.exists()


def test_ontario_staff_import_into_their_own_centre(client, ontario_editor, contact_centre):  # noqa: F811
    client.force_login(ontario_editor)
    url = reverse("admin:analysis_channelstatistic_import")
    upload = SimpleUploadedFile("so.csv", (HEADER + "A,Jan,2016,7,1\n").encode())
    page = client.post(url, {"file": upload, "organization": "serviceontario"}, follow=True)
    assert "1 created, 0 updated, 0 unchanged" in page.content.decode()
    listing = client.get(reverse("admin:analysis_channelstatistic_changelist"))
    assert listing.status_code == 200 and url.encode() in listing.content
