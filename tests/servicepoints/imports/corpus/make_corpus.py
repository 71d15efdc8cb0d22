"""Write the malformed-file corpus beside this script (the files are checked in; this is how they
were made, and how to make them again). README.md says what each file is and what reading it
must give; tests/servicepoints/imports/test_readers.py checks exactly that.

    .venv/bin/python tests/servicepoints/imports/corpus/make_corpus.py

Needs ogr2ogr (gdal-bin) for the Shapefiles and GeoPackages. Every file stays a few KB.
"""

import json
import sqlite3
import struct
import subprocess
import tempfile
import zipfile
import zlib
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
WHEN = (2024, 1, 1, 0, 0, 0)
# A tiny valid PNG (1x1 pixel).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
POINTS = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "Service Canada Victoria", "code": "V1"},
            "geometry": {"type": "Point", "coordinates": [-123.3656, 48.4284]},
        },
        {
            "type": "Feature",
            "properties": {"name": "Service Canada Nanaimo", "code": "N1"},
            "geometry": {"type": "Point", "coordinates": [-123.9401, 49.1659]},
        },
    ],
}
CUSTOM_PROJ = (
    "+proj=lcc +lat_1=40 +lat_2=70 +lat_0=50 +lon_0=-100 +x_0=0 +y_0=0 +ellps=GRS80 +units=m"
)


def write(name, data):
    path = HERE / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def zip_bytes(members, *, compress=zipfile.ZIP_DEFLATED):
    """A zip of (name, bytes) with fixed dates, so the corpus is byte-stable."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "out.zip"
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in members:
                info = zipfile.ZipInfo(name, date_time=WHEN)
                info.compress_type = compress
                archive.writestr(info, data)
        return path.read_bytes()


def ogr2ogr(source, driver, target, *extra):
    subprocess.run(
        ["ogr2ogr", "-q", "-f", driver, str(target), str(source), *extra],
        check=True,
        env={"PATH": "/usr/bin:/bin", "PROJ_NETWORK": "OFF"},
    )


def shapefile_parts(collection, *extra):
    """{extension: bytes} of a Shapefile made from a GeoJSON FeatureCollection."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.geojson"
        source.write_text(json.dumps(collection))
        target = Path(folder) / "offices.shp"
        ogr2ogr(source, "ESRI Shapefile", target, *extra)
        return {
            path.suffix: path.read_bytes()
            for path in Path(folder).glob("offices.*")
            if path.suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg")
        }


def shapefile_zip(parts, *, leave_out=(), prefix="offices"):
    return zip_bytes(
        [(f"{prefix}{ext}", data) for ext, data in sorted(parts.items()) if ext not in leave_out]
    )


def geopackage(collection, srs):
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.geojson"
        source.write_text(json.dumps(collection))
        target = Path(folder) / "out.gpkg"
        ogr2ogr(source, "GPKG", target, "-a_srs", srs, "-nln", "offices")
        return target.read_bytes()


def workbook(rows, text_cells=()):
    """An XLSX of the rows; `text_cells` (like "C3") are stored as text even if they start
    with "=" (openpyxl otherwise writes such a value as a formula)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Offices"
    for row in rows:
        sheet.append(row)
    for reference in text_cells:
        sheet[reference].data_type = "s"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "book.xlsx"
        book.save(path)
        # Rewrite with fixed dates (openpyxl stamps the time of writing into docProps).
        with zipfile.ZipFile(path) as source:
            return zip_bytes([(info.filename, source.read(info)) for info in source.infolist()])


def lying_zip(name, real, declared):
    """A zip whose headers say the member expands to `declared` bytes; it expands to more."""
    data = bytearray(zip_bytes([(name, real)]))
    size = struct.pack("<I", declared)
    local = data.index(b"PK\x03\x04")
    data[local + 22 : local + 26] = size
    central = data.index(b"PK\x01\x02")
    data[central + 24 : central + 28] = size
    return bytes(data)


def overlapping_zip(count, payload):
    """One deflated payload listed `count` times in the central directory (a flat zip bomb)."""
    compressed = zlib.compress(payload, 9)[2:-4]
    crc = zlib.crc32(payload)
    name = b"layer.shp"
    local = (
        struct.pack(
            "<IHHHHHIIIHH",
            0x04034B50,
            20,
            0,
            8,
            0,
            0x5821,
            crc,
            len(compressed),
            len(payload),
            len(name),
            0,
        )
        + name
        + compressed
    )
    directory = b""
    for index in range(count):
        member = f"layer{index}.shp".encode()
        directory += (
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x5821,
                crc,
                len(compressed),
                len(payload),
                len(member),
                0,
                0,
                0,
                0,
                0,
                0,
            )
            + member
        )
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), len(local), 0)
    return local + directory + end


def main():
    # CSV ------------------------------------------------------------------------------------
    write("empty.csv", b"")
    write("whitespace_only.csv", "\n  \n\t\n")
    write("header_only.csv", "name,street_address,community\n")
    write("header_then_blank_rows.csv", "name,street_address,community\n\n,,\n\n")
    write(
        "unterminated_quote.csv",
        'name,street_address,community\nOffice A,1 Main St,Ottawa\nOffice B,"12 King St\n',
    )
    write(
        "truncated_last_row.csv",
        "name,street_address,community,postal_code\n"
        "Office A,1 Main St,Ottawa,K1P 1J1\nOffice B,12 Ki",
    )
    write("binary_garbage.csv", bytes((i * 37 + 11) % 256 for i in range(600)))
    write("control_characters.csv", "name,code\n" + "\x01\x02\x03\x04\x05\x06\x07\x08" * 20)
    write("image_renamed.csv", PNG)
    write(
        "windows_1252.csv",
        "nom,localité\nCentre Service Canada,Montréal\nBureau,Trois-Rivières\n".encode("cp1252"),
    )
    write(
        "latin1_not_cp1252.csv",
        b"name,note\nOffice A,control \x81 byte\nOffice B,caf\xe9\n",
    )
    write("utf16.csv", "name\tcommunity\nOffice A\tOttawa\n".encode("utf-16"))
    write("duplicate_headers.csv", "Name,name ,Street Address,street  address\na,b,c,d\n")
    write("unnamed_column_with_data.csv", "name,,community\nOffice A,oops,Ottawa\n")
    write("unnamed_empty_column.csv", "name,community,\nOffice A,Ottawa,\nOffice B,Hull,\n")
    write(
        "extra_cells.csv",
        "name,community\nOffice A,Ottawa\nOffice B,Hull,Quebec,J8X\nOffice C,Gatineau,,\n",
    )
    write(
        "formula_injection.csv",
        "name,phone,longitude,note\n"
        'Office A,+1 613 555 0100,-75.69,"=HYPERLINK(""http://evil.example"",""click"")"\n'
        "Office B,@SUM(A1:A9),-75.70,fine\n"
        "Office C,613-555-0101,-75.71,-2+3+cmd|' /C calc'!A0\n"
        "Office D,+cmd,-75.72,-\n",
    )
    write("geojson_named.csv", json.dumps(POINTS))
    write("csv_named.geojson", "name,latitude,longitude\nOffice A,45.4,-75.7\n")
    write("workbook_named.csv", workbook([["name"], ["Office A"]]))
    write("legacy_excel.xls", bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504))
    write("report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    write("over_limit.csv", "name,community\n" + "Office,Ottawa\n" * 20)
    # Readable files whose rows an import must refuse (tests/.../test_corpus_pipeline.py).
    write(
        "swapped_coordinates.csv",
        "id,name,organization,province,latitude,longitude\n"
        "SO-1,ServiceOntario Ottawa,serviceontario,ON,45.4215,-75.6972\n"
        "SO-2,ServiceOntario Kingston,serviceontario,ON,-76.4860,44.2312\n",
    )
    write(
        "other_jurisdiction.csv",
        "id,name,organization,province,latitude,longitude\n"
        "SO-1,ServiceOntario Ottawa,serviceontario,ON,45.4215,-75.6972\n"
        "SNB-1,Service New Brunswick Fredericton,service-new-brunswick,NB,45.9636,-66.6431\n",
    )

    # GeoJSON --------------------------------------------------------------------------------
    write("invalid_json.geojson", json.dumps(POINTS)[:150])
    write("single_feature.geojson", json.dumps(POINTS["features"][0]))
    write("bare_geometry.geojson", json.dumps({"type": "Point", "coordinates": [-75.7, 45.4]}))
    write("json_array.json", "[1, 2, 3]")
    write("no_features.geojson", json.dumps({"type": "FeatureCollection", "features": []}))
    write(
        "invalid_geometries.geojson",
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    POINTS["features"][0],
                    {  # a bow tie: the ring crosses itself
                        "type": "Feature",
                        "properties": {"name": "bow tie"},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [
                                [[-75, 45], [-74, 46], [-74, 45], [-75, 46], [-75, 45]]
                            ],
                        },
                    },
                    {
                        "type": "Feature",
                        "properties": {"name": "unknown type"},
                        "geometry": {"type": "Circle", "coordinates": [-75, 45], "radius": 3},
                    },
                    {
                        "type": "Feature",
                        "properties": {"name": "text coordinates"},
                        "geometry": {"type": "Point", "coordinates": ["-75.7", "45.4"]},
                    },
                    {
                        "type": "Feature",
                        "properties": {"name": "no geometry"},
                        "geometry": None,
                    },
                ],
            }
        ),
    )
    write(
        "nan_coordinates.geojson",
        '{"type": "FeatureCollection", "features": ['
        '{"type": "Feature", "properties": {"name": "ok"}, '
        '"geometry": {"type": "Point", "coordinates": [-75.7, 45.4]}}, '
        '{"type": "Feature", "properties": {"name": "nan"}, '
        '"geometry": {"type": "Point", "coordinates": [NaN, 45.4]}}, '
        '{"type": "Feature", "properties": {"name": "infinity"}, '
        '"geometry": {"type": "LineString", "coordinates": [[-75.7, 45.4], [Infinity, 46]]}}, '
        '{"type": "Feature", "properties": {"name": "overflow"}, '
        '"geometry": {"type": "Point", "coordinates": [-75.7, 1e999]}}]}',
    )
    write(
        "projected_without_crs.geojson",
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": "metres, not degrees"},
                        "geometry": {"type": "Point", "coordinates": [1195000.0, 383000.0]},
                    }
                ],
            }
        ),
    )
    write(
        "crs_file_path.geojson",
        json.dumps(
            {
                "type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": "/etc/passwd"}},
                "features": POINTS["features"],
            }
        ),
    )
    write(
        "not_a_feature.geojson",
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [POINTS["features"][0], {"type": "Point", "coordinates": [0, 0]}],
            }
        ),
    )
    write(
        "latin1.geojson",
        json.dumps(POINTS, ensure_ascii=False).replace("Nanaimo", "Québec").encode("latin-1"),
    )

    # XLSX -----------------------------------------------------------------------------------
    write("header_only.xlsx", workbook([["name", "community"]]))
    write("blank_sheet.xlsx", workbook([]))
    write(
        "formula_cells.xlsx",
        workbook(
            [
                ["name", "phone", "note"],
                ["Office A", "+1 613 555 0100", '=HYPERLINK("http://evil.example")'],
                ["Office B", "@SUM(A1)", "=1+2"],
            ],
            text_cells=["C2"],
        ),
    )
    write("damaged.xlsx", workbook([["name"], ["Office A"]])[:-200])
    write(
        "zip_bomb.xlsx",
        zip_bytes(
            [
                ("[Content_Types].xml", b"<Types/>"),
                ("xl/workbook.xml", b"<workbook/>"),
                ("xl/worksheets/sheet1.xml", b"\x00" * (8 * 1024 * 1024)),
            ]
        ),
    )

    # Zip archives and Shapefiles -------------------------------------------------------------
    parts = shapefile_parts(POINTS)
    write("shapefile_missing_dbf.zip", shapefile_zip(parts, leave_out=(".dbf",)))
    write("shapefile_missing_shx.zip", shapefile_zip(parts, leave_out=(".shx",)))
    write("shapefile_missing_prj.zip", shapefile_zip(parts, leave_out=(".prj",)))
    custom = shapefile_parts(POINTS, "-s_srs", "EPSG:4326", "-t_srs", CUSTOM_PROJ)
    write("shapefile_custom_crs.zip", shapefile_zip(custom))
    write(
        "shapefile_prj_not_wkt.zip",
        shapefile_zip({**parts, ".prj": b"+proj=longlat +datum=WGS84 +no_defs"}),
    )
    empty = shapefile_parts(POINTS, "-where", "code = 'none'")
    write("shapefile_no_features.zip", shapefile_zip(empty))
    nan = dict(parts)
    shp = bytearray(nan[".shp"])
    shp[112:120] = struct.pack("<d", float("nan"))  # x of the first point record
    nan[".shp"] = bytes(shp)
    write("shapefile_nan_point.zip", shapefile_zip(nan))
    write(
        "zip_slip.zip",
        zip_bytes([(f"../../offices{ext}", data) for ext, data in sorted(parts.items())]),
    )
    write("absolute_member.zip", zip_bytes([("/tmp/offices.geojson", json.dumps(POINTS))]))  # noqa: S108
    write(
        "shapefile_zip_bomb.zip",
        zip_bytes(
            [
                ("offices.shp", b"\x00" * (8 * 1024 * 1024)),
                ("offices.shx", parts[".shx"]),
                ("offices.dbf", parts[".dbf"]),
                ("offices.prj", parts[".prj"]),
            ]
        ),
    )
    write("overlapping_members.zip", overlapping_zip(520, b"\x00" * (1024 * 1024)))
    write(
        "lying_sizes.zip",
        lying_zip("offices.geojson", json.dumps(POINTS).encode() + b" " * 4 * 1024 * 1024, 300),
    )
    write("no_data_inside.zip", zip_bytes([("readme.txt", b"nothing to import")]))
    write(
        "word_document.zip",
        zip_bytes([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w/>")]),
    )
    write("lone.shp", parts[".shp"])

    # GeoPackage -----------------------------------------------------------------------------
    write("geopackage_custom_crs.gpkg", geopackage(POINTS, CUSTOM_PROJ))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plain.sqlite"
        connection = sqlite3.connect(path)
        connection.execute("CREATE TABLE offices (name TEXT)")
        connection.execute("INSERT INTO offices VALUES ('Office A')")
        connection.commit()
        connection.close()
        write("sqlite_not_geopackage.gpkg", path.read_bytes())


if __name__ == "__main__":
    main()
