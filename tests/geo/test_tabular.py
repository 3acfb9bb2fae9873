"""Tables as they come (``geo.io.tabular.open_table``): each quirk of how an export reaches
a user, told from the file's content, and what a bad row becomes (a rejection naming its
line, the other rows read).

The fixtures (``tests/data/exports/tabular/``, see its README) are rows written for the
project in the layouts of real exports; the compressed, UTF-16 and spreadsheet variants
are written here from them.
"""

from __future__ import annotations

import bz2
import codecs
import csv
import datetime as dt
import gzip
import io
import json
import lzma
import zipfile
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import InputError
from geo.io import csv as csv_io
from geo.io.csv import table_frame
from geo.io.tabular import detect_format, gdelt_columns, is_acled_json, open_table
from geo.report import Rejected

DATA = Path(__file__).resolve().parents[1] / "data" / "exports" / "tabular"


def rows(t) -> list[dict]:
    return t.table.to_pylist()


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


# --------------------------------------------------------------------------- encodings


def test_windows_1252_is_read_with_a_note_naming_the_first_line_not_utf8():
    t = open_table(DATA / "acled_2015_windows1252.csv")
    assert t.format == "acled"
    assert t.notes == [f"{DATA / 'acled_2015_windows1252.csv'}: read as Windows-1252: "
                       "not UTF-8 (line 2)"]  # fmt: skip
    first, second = rows(t)
    assert first["admin1"] == "Ségou"
    assert "village’s market; the « chef de village »" in first["notes"]
    assert second["notes"].endswith("préfecture – about 200 people.")
    assert t.numbers.tolist() == [2, 3] and t.rejected == []


def test_windows_1252_past_the_first_megabyte(tmp_path):
    body = "".join(f"r{i},plain text\n" for i in range(60_000))  # > 1 MiB of ASCII
    path = write(tmp_path, "late.csv", ("id,title\n" + body + "z,caf\xe9\n").encode("cp1252"))
    t = open_table(path)
    assert t.notes == [f"{path}: read as Windows-1252: not UTF-8 (line 60002)"]
    assert rows(t)[-1] == {"id": "z", "title": "café"}


def test_utf8_with_and_without_bom_has_no_note(tmp_path):
    plain = open_table(write(tmp_path, "a.csv", "id,title\na,Kyiv ’24\n"))
    bom = open_table(write(tmp_path, "b.csv", codecs.BOM_UTF8 + "id,title\na,Kyiv ’24\n".encode()))
    assert rows(plain) == rows(bom) == [{"id": "a", "title": "Kyiv ’24"}]
    assert plain.notes == bom.notes == []


@pytest.mark.parametrize(
    ("codec", "bom", "note"),
    [
        ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16 (its byte order mark)"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "UTF-16 (its byte order mark)"),
        ("utf-32-le", codecs.BOM_UTF32_LE, "UTF-32 (its byte order mark)"),
        ("utf-32-be", codecs.BOM_UTF32_BE, "UTF-32 (its byte order mark)"),
        ("utf-16-le", b"", "UTF-16 (little-endian, no byte order mark)"),
        ("utf-16-be", b"", "UTF-16 (big-endian, no byte order mark)"),
    ],
)  # fmt: skip
def test_utf16_and_utf32_are_read_with_a_note(tmp_path, codec, bom, note):
    # Excel's "Unicode text" is UTF-16 with a BOM, tab-separated.
    text = (DATA / "acled_semicolon_bom.csv").read_text(encoding="utf-8-sig")
    buf = io.StringIO()
    csv.writer(buf, delimiter="\t").writerows(csv.reader(io.StringIO(text), delimiter=";"))
    path = write(tmp_path, "unicode.txt", bom + buf.getvalue().encode(codec))
    t = open_table(path)
    assert t.notes == [f"{path}: read as {note}"]
    assert rows(t) == rows(open_table(DATA / "acled_semicolon_bom.csv"))


def test_a_file_in_neither_utf8_nor_windows_1252_is_refused_where_it_stops_being_utf8(tmp_path):
    path = write(tmp_path, "x.csv", b"id,title\na,ok\nb,caf\xe9\nc,\x81\n")
    with pytest.raises(InputError) as info:
        open_table(path)
    assert str(info.value) == (
        f"{path}: line 3: expected UTF-8 text, found byte 0xE9 (invalid continuation byte); "
        "not Windows-1252 either (byte 0x81 on line 4)"
    )


# --------------------------------------------------------------------------- delimiters


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_is_the_header_lines(tmp_path, delimiter):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerows(
        [["id", "title", "notes"], ["a", "x, y; z | w", 'a "quoted"\tnote'], ["b", "", "2"]]
    )
    t = open_table(write(tmp_path, "d.csv", buf.getvalue()))
    assert rows(t) == [{"id": "a", "title": "x, y; z | w", "notes": 'a "quoted"\tnote'},
                       {"id": "b", "title": "", "notes": "2"}]  # fmt: skip


def test_semicolons_bom_and_crlf_as_a_european_spreadsheet_saves_them():
    t = open_table(DATA / "acled_semicolon_bom.csv")
    assert t.format == "acled" and t.notes == [] and t.table.column_names[0] == "event_id_cnty"
    first, second = rows(t)
    assert first["event_date"] == "28/12/2022" and first["timestamp"] == "1672736400"
    assert second["notes"] == 'Synthetic test row: clashes; a note with a ; and a "quote".'
    assert all(c == pa.string() for c in t.table.schema.types)


def test_pipes_and_the_pandas_index_in_a_flat_table():
    t = open_table(DATA / "events_pipe.txt")
    assert t.format == "table"
    assert t.table.column_names == ["id", "date", "kind", "title", "place", "lat", "lon", "source"]
    assert rows(t)[1]["place"] == "Kursk Oblast" and rows(t)[1]["lat"] == ""


# --------------------------------------------------------------------------- header quirks


def test_the_hxl_hashtag_row_is_skipped_and_counted():
    path = DATA / "ucdp_hdx.csv"
    t = open_table(path)
    assert t.format == "ucdp"
    assert [r["id"] for r in rows(t)] == ["990001", "990002"]
    assert t.numbers.tolist() == [3, 4]  # row 2 is the hashtags: the rows keep their numbers
    assert t.records == 2
    assert t.notes == [f"{path}: row 2: skipped the HXL hashtag row ('#date+year, "
                       "#group+name+first, #group...ate+start, #date+end, #affected+killed')"]  # fmt: skip
    assert rows(t)[0]["source_article"] == '"Synthetic test source, 2023-03-12"'


def test_a_row_of_text_starting_with_hash_is_not_hxl(tmp_path):
    t = open_table(write(tmp_path, "h.csv", "id,title\n#1,#2 in line\n"))
    assert rows(t) == [{"id": "#1", "title": "#2 in line"}] and t.notes == []


@pytest.mark.parametrize("index", ['""', "Unnamed: 0", ""])
def test_the_index_column_is_dropped(tmp_path, index):
    t = open_table(write(tmp_path, "i.csv", f"{index},event_id_cnty,event_date,event_type\n"
                                            "0,UKR1,2024-03-14,Battles\n"))  # fmt: skip
    assert t.table.column_names == ["event_id_cnty", "event_date", "event_type"]
    assert rows(t) == [
        {"event_id_cnty": "UKR1", "event_date": "2024-03-14", "event_type": "Battles"}
    ]


def test_a_named_first_column_is_kept(tmp_path):
    t = open_table(write(tmp_path, "i.csv", "index,id\n0,a\n"))
    assert t.table.column_names == ["index", "id"]


def test_the_2015_upper_case_header_is_lower_cased():
    t = open_table(DATA / "acled_2015_windows1252.csv")
    assert t.table.column_names[:4] == ["gwno", "event_id_cnty", "event_id_no_cnty", "event_date"]
    assert "ally_actor_1" in t.table.column_names


def test_an_r_dashboard_subset_without_ids_or_coordinates_is_acled():
    t = open_table(DATA / "acled_dashboard.csv")
    assert t.format == "acled"
    assert t.table.column_names == ["region", "country", "year", "event_date", "source", "admin1",
                                    "admin2", "admin3", "location", "event_type", "sub_event_type",
                                    "interaction", "fatalities", "timestamp"]  # fmt: skip
    assert rows(t)[0]["location"] == "Djibo" and t.numbers.tolist() == [2, 3]


def test_a_flat_table_keeps_its_header_as_written(tmp_path):
    t = open_table(write(tmp_path, "f.csv", "ID, Title\na,b\n"))
    assert t.format == "table" and t.table.column_names == ["ID", " Title"]


def test_a_column_named_twice_gives_two_columns(tmp_path):
    t = open_table(write(tmp_path, "t.csv", "event_id_cnty,event_date,event_type,notes,notes\n"
                                            "A,2024-01-01,Battles,first,second\n"))  # fmt: skip
    assert t.table.column_names[-2:] == ["notes", "notes"]
    assert [c[0].as_py() for c in t.table.columns[-2:]] == ["first", "second"]


@pytest.mark.parametrize(
    ("header", "format"),
    [
        ("event_id_cnty,event_date,year,event_type,latitude,longitude", "acled"),
        ("data_id,iso,event_id_cnty,event_id_no_cnty,event_date,year", "acled"),
        ("GWNO,EVENT_ID_CNTY,EVENT_ID_NO_CNTY,EVENT_DATE,YEAR", "acled"),
        ("region,country,year,event_date,source,admin1,admin2,admin3,location,event_type", "acled"),
        ("event_date,event_type", "table"),  # two column names are not an export
        ("id,relid,year,active_year,code_status,type_of_violence", "ucdp"),
        ("ID,RELID,TYPE_OF_VIOLENCE", "ucdp"),
        ("type_of_violence,best,date_start,date_end", "ucdp"),
        ("GLOBALEVENTID,SQLDATE,MonthYear,Year", "gdelt"),
        ("globaleventid,sqldate", "gdelt"),
        ("id,date,kind,title,place,source", "table"),
        ("id,type,best", "table"),
    ],
)  # fmt: skip
def test_detect_format(header, format):
    assert detect_format(header.split(",")) == format


# --------------------------------------------------------------------------- GDELT


@pytest.mark.parametrize(
    ("name", "fields", "last"),
    [("200601.csv", 57, "DATEADDED"), ("20160728.export.CSV", 58, "SOURCEURL"),
     ("20240301120000.export.CSV", 61, "SOURCEURL")],
)  # fmt: skip
def test_gdelt_without_a_header_gets_the_codebooks_names(name, fields, last):
    t = open_table(DATA / name)
    assert t.format == "gdelt"
    assert t.table.column_names == gdelt_columns(fields)
    assert t.table.num_columns == fields and t.table.column_names[-1] == last
    assert t.numbers.tolist() == [1, 2]  # no header: the first line is row 1
    first = rows(t)[0]
    assert first["SQLDATE"][:4] == first["Year"] and first["EventRootCode"] == "19"
    assert first["ActionGeo_Lat"] == "48.0159" and first["ActionGeo_CountryCode"] == "UP"
    assert ("ActionGeo_ADM2Code" in first) == (fields == 61)


def test_gdelt_never_quotes():
    t = open_table(DATA / "20160728.export.CSV")
    assert rows(t)[1]["Actor2Name"] == '"SOUTH KOREA'  # not the start of a quoted field
    assert rows(t)[1]["SOURCEURL"] == "BBC Monitoring"


def test_gdelt_codebook_names():
    v1, v2 = gdelt_columns(58), gdelt_columns(61)
    assert v1[:8] == ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
                      "Actor1Code", "Actor1Name", "Actor1CountryCode"]  # fmt: skip
    assert v1[25:35] == ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
                         "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone"]  # fmt: skip
    assert v1[35:42] == ["Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode",
                         "Actor1Geo_ADM1Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID"]  # fmt: skip
    assert v2[35:43] == ["Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode",
                         "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long",
                         "Actor1Geo_FeatureID"]  # fmt: skip
    assert v2[-10:] == ["ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode",
                        "ActionGeo_ADM1Code", "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long",
                        "ActionGeo_FeatureID", "DATEADDED", "SOURCEURL"]  # fmt: skip
    assert gdelt_columns(57) == v1[:-1] and gdelt_columns(60) is None


def test_a_gdelt_line_of_another_length_is_rejected(tmp_path):
    lines = (DATA / "20240301120000.export.CSV").read_text().splitlines()
    path = write(tmp_path, "20240301121500.export.CSV",
                 f"{lines[0]}\n{lines[1][:80]}\n{lines[1]}\n")  # fmt: skip
    t = open_table(path)
    assert t.numbers.tolist() == [1, 3]
    [r] = t.rejected
    assert (r.record, r.field) == ("line 2", None)
    assert r.reason.startswith("expected 61 fields (GDELT 2.0), got 17: '1160000002\\t20240301")


def test_a_gdelt_header_in_any_case_gets_the_codebooks_spelling(tmp_path):
    t = open_table(
        write(tmp_path, "bq.csv", "globaleventid,sqldate,actiongeo_lat,Extra\n1,20240301,50.1,x\n")
    )
    assert t.format == "gdelt"
    assert t.table.column_names == ["GLOBALEVENTID", "SQLDATE", "ActionGeo_Lat", "Extra"]


# --------------------------------------------------------------------------- bad rows


def test_a_truncated_last_line_is_rejected_with_its_line_and_the_rest_read():
    path = DATA / "acled_truncated.csv"
    t = open_table(path)
    assert [r["event_id_cnty"] for r in rows(t)] == ["UKR230101", "UKR230102"]
    assert t.numbers.tolist() == [2, 3] and t.records == 3
    [r] = t.rejected
    assert t.rejected_numbers == [4]
    assert str(r).startswith(f"{path}: line 4: expected 31 fields as in the header, got 28: "
                             "'UKR230103,28/12/2022,2022,1,Political")  # fmt: skip


def test_ragged_rows_are_named_by_their_line_and_the_others_keep_their_row_numbers(tmp_path):
    path = write(
        tmp_path, "r.csv", 'id,title,source\na,"two\nlines",s\nb,s\n\nc,t,s\nd,t,s,extra\ne,t,s\n'
    )
    t = open_table(path)
    assert [r["id"] for r in rows(t)] == ["a", "c", "e"]
    assert t.numbers.tolist() == [2, 5, 7]  # an empty line: no record, a spreadsheet's row 4
    assert [(r.record, r.reason) for r in t.rejected] == [
        ("line 4", "expected 3 fields as in the header, got 2: 'b,s'"),
        ("line 7", "expected 3 fields as in the header, got 4: 'd,t,s,extra'"),
    ]  # fmt: skip
    assert t.rejected_numbers == [3, 6] and t.records == 5


@pytest.mark.parametrize(
    ("name", "pack"),
    [
        ("q.csv", lambda b: b),
        ("q.csv.gz", gzip.compress),
        ("q.zip", lambda b: _zip("q.csv", b)),
        ("q.txt", lambda b: codecs.BOM_UTF16_LE + b.decode().encode("utf-16-le")),
    ],
)  # fmt: skip
def test_a_stray_quote_inside_a_field_still_names_the_right_lines(tmp_path, name, pack):
    # Arrow quotes only a field that starts with a quote; the byte scan cannot tell,
    # and the rows are counted again by Python's csv module.
    path = write(tmp_path, name, pack(b'id,title\na,a 5" gun\nb,x,y\nc,"ok"\nd\n'))
    t = open_table(path)
    assert rows(t) == [{"id": "a", "title": 'a 5" gun'}, {"id": "c", "title": "ok"}]
    assert t.numbers.tolist() == [2, 4]
    assert [r.record for r in t.rejected] == ["line 3", "line 5"]


_PACKS = [
    ("q.csv", lambda b: b),
    ("q.csv.gz", gzip.compress),
    ("q.txt", lambda b: codecs.BOM_UTF16_LE + b.decode().encode("utf-16-le")),  # Python's csv
]


@pytest.mark.parametrize(("name", "pack"), _PACKS)
def test_an_unclosed_quote_is_rejected_alone_and_the_lines_after_it_read(tmp_path, name, pack):
    # A hand-edited export: a field opened with a quote no quote closes ran on to the end
    # of the file, one record of 28 fields, rows 5 to 8 lost and counted nowhere.
    lines = [f"Q{i},Sumy,notes" for i in range(1, 8)]
    lines[2] = 'Q3,Sumy,"unterminated'
    path = write(tmp_path, name, pack(("id,place,notes\n" + "\n".join(lines) + "\n").encode()))
    t = open_table(path)
    assert [r["id"] for r in rows(t)] == ["Q1", "Q2", "Q4", "Q5", "Q6", "Q7"]
    assert t.numbers.tolist() == [2, 3, 5, 6, 7, 8] and t.rejected_numbers == [4]
    assert t.records == 7
    [r] = t.rejected
    assert (r.record, r.field) == ("line 4", None)
    assert r.reason == (
        "an unclosed quote on line 4: it took in the 4 lines after it, read on their own; "
        "expected 3 fields as in the header and each quote closed: 'Q3,Sumy,\"unterminated'"
    )


def test_a_quote_closed_lines_later_by_another_stray_one(tmp_path):
    # Arrow reads lines 3-6 as one record (the second stray quote closes the first);
    # a quote followed by more text is no CSV: each line is read on its own.
    path = write(tmp_path, "q.csv", (
        'id,place,notes\na,Sumy,x\nb,Sumy,"unterminated\nc,Sumy,x\n\nd,Sumy,"Shelling" of Sumy\n'
        'e,Sumy,"x, and y"\nf,Sumy\n'
    ))  # fmt: skip
    t = open_table(path)
    assert rows(t) == [
        {"id": "a", "place": "Sumy", "notes": "x"},
        {"id": "c", "place": "Sumy", "notes": "x"},
        {"id": "d", "place": "Sumy", "notes": "Shelling of Sumy"},
        {"id": "e", "place": "Sumy", "notes": "x, and y"},
    ]
    assert t.numbers.tolist() == [2, 4, 6, 7] and t.rejected_numbers == [3, 8]
    assert [(r.record, r.reason[:40]) for r in t.rejected] == [
        ("line 3", "an unclosed quote on line 3: it took in "),
        ("line 8", "expected 3 fields as in the header, got "),
    ]
    assert "took in the 3 lines after it" in t.rejected[0].reason
    assert t.records == 6


def test_a_well_formed_record_over_several_lines_stays_one_and_says_its_lines(tmp_path):
    path = write(tmp_path, "q.csv", 'id,place,notes\na,"Sumy\nand Kharkiv",x,extra\nb,c,d\n')
    t = open_table(path)
    assert rows(t) == [{"id": "b", "place": "c", "notes": "d"}] and t.numbers.tolist() == [3]
    [r] = t.rejected
    assert (r.record, r.reason) == ("line 2", "expected 3 fields as in the header, got 4 (a "
                                    "record of lines 2-3): 'a,\"Sumy\\nand Kharkiv\",x,extra'")  # fmt: skip


@pytest.mark.parametrize(("name", "pack"), _PACKS)
@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_rows_after_an_empty_line_keep_the_numbers_a_spreadsheet_shows(tmp_path, name, pack, end):
    # Arrow skips empty lines (ignore_empty_lines); a spreadsheet shows each as a row.
    text = end.join(["", "id,kind", "", "a,x", "", "", "b,y", 'c,"two', "", 'lines"', "d", "e,z"])
    t = open_table(write(tmp_path, name, pack((text + end + end).encode())))
    assert [r["id"] for r in rows(t)] == ["a", "b", "c", "e"]
    assert t.numbers.tolist() == [4, 7, 8, 10] and t.rejected_numbers == [9]
    assert [r.record for r in t.rejected] == ["line 11"] and t.records == 5


def test_a_flat_tables_messages_name_the_row_after_an_empty_line_as_a_spreadsheet(tmp_path):
    path = write(tmp_path, "events.csv", (
        "id,kind,title,place,lat,lon,source\n\n"
        "a,statement,Fine,Moscow,55.75,37.62,TASS\n\n"
        "b,statement,No source,Moscow,55.75,37.62,\n"
    ))  # fmt: skip
    ev = csv_io.csv_frame(path)
    assert list(ev["id"]) == ["a"]
    assert [r.record for r in ev.attrs["rejected"]] == ["row 5 ('b')"]
    assert ev.attrs["records"] == 2


def test_an_empty_line_in_gdelt(tmp_path):
    lines = (DATA / "20240301120000.export.CSV").read_text().splitlines()
    path = write(tmp_path, "20240301121500.export.CSV", f"{lines[0]}\n\n{lines[1]}\n")
    t = open_table(path)
    assert t.numbers.tolist() == [1, 3] and t.records == 2


def test_a_row_of_empty_fields_is_a_record(tmp_path):
    t = open_table(write(tmp_path, "e.csv", "id,kind\n,\n\na,x\n"))
    assert rows(t) == [{"id": "", "kind": ""}, {"id": "a", "kind": "x"}]
    assert t.numbers.tolist() == [2, 4]


def test_the_same_bad_line_twice_is_rejected_twice(tmp_path):
    t = open_table(write(tmp_path, "d.csv", "id,title\nx\na,b\nx\n"))
    assert [r.record for r in t.rejected] == ["line 2", "line 4"] and t.numbers.tolist() == [3]


def test_ragged_rows_in_windows_1252_and_in_utf16(tmp_path):
    text = "id,title\na,café\nb\nc,’\n"
    for codec, bom in (("cp1252", b""), ("utf-16-le", codecs.BOM_UTF16_LE)):
        t = open_table(write(tmp_path, f"{codec}.csv", bom + text.encode(codec)))
        assert rows(t) == [{"id": "a", "title": "café"}, {"id": "c", "title": "’"}]
        assert [r.record for r in t.rejected] == ["line 3"] and t.numbers.tolist() == [2, 4]


def test_a_row_longer_than_a_block(tmp_path):
    long = "x" * (3 << 20)
    t = open_table(write(tmp_path, "l.csv", f"id,notes\na,{long}\nb\n"))
    assert rows(t)[0]["notes"] == long and [r.record for r in t.rejected] == ["line 3"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file; expected a header line naming the columns"),
        (b"\n\n  \n", "empty file; expected a header line naming the columns"),
        (b'{"type": "FeatureCollection", "features": []}',
         "expected a table in JSON: ACLED's API JSON, an object with a 'data' list of rows; "
         "got an object with keys ['type', 'features']"),
        (b'{"status": 403, "success": false, "error": [{"status": 403, "message": "Access denied"}]}',
         "an API error response (status 403: [{'message': 'Access denied', 'status': 403}]); "
         "expected rows in 'data'"),
        (b'{"data": [', "line 1: not valid JSON: Expecting value"),
    ],
)  # fmt: skip
def test_files_that_are_no_table(tmp_path, content, message):
    path = write(tmp_path, "x.csv", content)
    with pytest.raises(InputError) as info:
        open_table(path)
    assert str(info.value) == f"{path}: {message}"


def test_a_header_only(tmp_path):
    t = open_table(write(tmp_path, "h.csv", "event_id_cnty,event_date,event_type\n"))
    assert t.format == "acled" and t.table.num_rows == 0 and t.numbers.tolist() == []
    assert t.table.column_names == ["event_id_cnty", "event_date", "event_type"]


# --------------------------------------------------------------------------- compression


def _zip(name: str, data: bytes, *more: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, data)
        for other in more:
            z.writestr(other, b"x")
    return buf.getvalue()


COMPRESSED = {
    "gzip": ("export.csv.gz", gzip.compress),
    "bz2": ("export.csv.bz2", bz2.compress),
    "xz": ("export.csv.xz", lzma.compress),
    "zip": ("export.zip", lambda data: _zip("export.csv", data, "__MACOSX/._export.csv")),
    "gzip named .csv": ("export.csv", gzip.compress),  # told from the content
}


@pytest.mark.parametrize("kind", COMPRESSED)
@pytest.mark.parametrize("fixture", ["acled_truncated.csv", "acled_2015_windows1252.csv",
                                     "20160728.export.CSV", "acled_api.json"])  # fmt: skip
def test_compressed_files_read_as_the_plain_one(tmp_path, kind, fixture):
    name, compress = COMPRESSED[kind]
    plain = open_table(DATA / fixture)
    packed = open_table(write(tmp_path, name, compress((DATA / fixture).read_bytes())))
    assert packed.format == plain.format
    assert packed.table.equals(plain.table)
    assert packed.numbers.tolist() == plain.numbers.tolist()
    assert [(r.record, r.reason) for r in packed.rejected] == [
        (r.record, r.reason) for r in plain.rejected
    ]
    assert [n.split(": ", 1)[1] for n in packed.notes] == [n.split(": ", 1)[1] for n in plain.notes]


def test_a_zip_of_several_files_is_refused(tmp_path):
    path = write(tmp_path, "x.zip", _zip("a.csv", b"id\na\n", "b.csv"))
    with pytest.raises(InputError, match="a zip archive of 2 files; expected one table"):
        open_table(path)


def test_a_truncated_gzip_is_refused(tmp_path):
    data = gzip.compress((DATA / "acled_semicolon_bom.csv").read_bytes())
    with pytest.raises(InputError, match="not a readable"):
        open_table(write(tmp_path, "x.csv.gz", data[: len(data) // 2]))


@pytest.mark.parametrize("kind", ["gzip", "bz2", "xz", "zip"])
@pytest.mark.parametrize("body", ["rows", "one line", "json"])
def test_a_decompression_bomb_is_refused_before_it_is_read(tmp_path, monkeypatch, kind, body):
    # 4 MB of repeats from a file of a few KB: past 100 times its size and the floor (made
    # 1 MB here, 64 MB in use), refused as the reading gets there, not once all is held.
    from geo.io import tabular

    monkeypatch.setattr(tabular, "_FLOOR", 1 << 20)
    data = {
        "rows": b"id,kind\n" + b"a,x\n" * (1 << 20),
        "one line": b"id,kind\n" + b"a" * (4 << 20),
        "json": b'{"data": [' + b'{"a": "x"},' * (1 << 19) + b"{}]}",
    }[body]
    name, compress = COMPRESSED[kind]
    path = write(tmp_path, name, compress(data))
    assert path.stat().st_size * 100 < len(data)
    with pytest.raises(InputError) as e:
        open_table(path)
    what = "zip archive's 'export.csv'" if kind == "zip" else f"{kind} file"
    budget = max(1 << 20, 100 * path.stat().st_size)
    assert str(e.value) == (
        f"{path}: the {what} decompresses to more than {budget:,} bytes, from a file of "
        f"{path.stat().st_size:,} bytes; expected at most 100 times the file's size (is it a "
        "decompression bomb?)"
    )


def test_a_compressed_export_under_the_bound_reads(tmp_path, monkeypatch):
    from geo.io import tabular

    monkeypatch.setattr(tabular, "_FLOOR", 1 << 20)
    data = b"id,kind\n" + b"".join(b"%d,x\n" % i for i in range(100_000))  # 1.2 MB, 5:1
    t = open_table(write(tmp_path, "x.csv.gz", gzip.compress(data)))
    assert t.table.num_rows == 100_000


def _workbook_bomb(size: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", b"<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<c>" + b"0" * size + b"</c>")
    return buf.getvalue()


@pytest.mark.parametrize("pack", ["plain", "gzip", "zip"])
def test_a_workbook_bomb_is_refused_before_the_spreadsheet_reader_holds_it(
    tmp_path, monkeypatch, pack
):
    from geo.io import tabular

    monkeypatch.setattr(tabular, "_FLOOR", 1 << 20)
    book = _workbook_bomb(4 << 20)
    data = {"plain": book, "gzip": gzip.compress(book), "zip": _zip("x.xlsx", book)}[pack]
    path = write(tmp_path, "x.xlsx" + {"plain": "", "gzip": ".gz", "zip": ".zip"}[pack], data)
    with pytest.raises(InputError, match=r"the workbook decompresses to more than 1,048,576 "
                       r"bytes, from a file of [\d,]+ bytes; expected at most 100 times"):  # fmt: skip
        open_table(path)


# --------------------------------------------------------------------------- spreadsheets


def test_xlsx_cells_read_as_a_csv_export_writes_them(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Export"
    sheet.append(["event_id_cnty", "event_date", "event_type", "latitude", "longitude",
                  "fatalities", "notes", "timestamp"])  # fmt: skip
    sheet.append(
        ["UKR1", dt.date(2024, 3, 14), "Battles", 50.9216, 34.8003, 2, "Sumy’s centre", 1731024000]
    )
    sheet.append([])  # an empty row is no record
    sheet.append(["UKR2", dt.datetime(2024, 3, 15), "Protests", -0.00001, 36.0, None, None, None])
    sheet.append(["UKR3", "2024-03-16 10:30", "Riots", "48.1", "37.2", "0", "", "", "beyond"])
    book.create_sheet("Notes")
    path = tmp_path / "export.xlsx"
    book.save(path)
    t = open_table(path)
    assert t.format == "acled"
    assert rows(t)[:2] == [
        {"event_id_cnty": "UKR1", "event_date": "2024-03-14", "event_type": "Battles",
         "latitude": "50.9216", "longitude": "34.8003", "fatalities": "2",
         "notes": "Sumy’s centre", "timestamp": "1731024000"},
        {"event_id_cnty": "UKR2", "event_date": "2024-03-15", "event_type": "Protests",
         "latitude": "-0.00001", "longitude": "36", "fatalities": "", "notes": "",
         "timestamp": ""},
    ]  # fmt: skip
    assert t.numbers.tolist() == [2, 4]  # the spreadsheet's own row numbers
    [r] = t.rejected
    assert (r.record, r.reason) == ("row 5", "expected 8 fields as in the header, got 9: "
                                    "['UKR3', '2024-03-16 10:30', 'Riots', '48.1', ...]")  # fmt: skip
    assert t.notes == [f"{path}: read the sheet 'Export'; not the others ('Notes')"]
    # The same workbook zipped, or gzipped, is the same table.
    for name, packed in (("x.zip", _zip("export.xlsx", path.read_bytes())),
                         ("x.xlsx.gz", gzip.compress(path.read_bytes()))):  # fmt: skip
        assert open_table(write(tmp_path, name, packed)).table.equals(t.table)


def test_a_spreadsheet_that_starts_lower_and_has_an_empty_first_sheet(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "Empty"
    sheet = book.create_sheet("Data")
    sheet["B3"], sheet["C3"], sheet["B4"], sheet["C4"] = "id", "title", "a", "T"
    path = tmp_path / "x.xlsx"
    book.save(path)
    t = open_table(path)
    assert rows(t) == [{"id": "a", "title": "T"}]  # the empty column A is no column
    assert t.numbers.tolist() == [4]


def test_a_broken_workbook_is_refused(tmp_path):
    path = write(tmp_path, "x.xlsx", _zip("xl/workbook.xml", b"<not xml"))
    with pytest.raises(InputError, match="not a readable workbook"):
        open_table(path)


# --------------------------------------------------------------------------- API JSON


def test_acleds_api_json_reads_as_its_csv():
    t = open_table(DATA / "acled_api.json")
    csv_rows = rows(open_table(DATA / "acled_semicolon_bom.csv"))
    assert t.format == "acled" and t.notes == [] and t.rejected == []
    assert t.numbers.tolist() == [1, 2]  # the items of 'data', from 1
    for got, want, date in zip(rows(t), csv_rows, ("2022-12-28", "2022-12-29"), strict=True):
        assert got == {**want, "event_date": date}


def test_api_json_items_as_a_reader_would_take_them(tmp_path):
    data = {"status": 200, "success": True, "count": 4, "data": [
        {"event_id_cnty": "A1", "event_date": "2024-01-01", "event_type": "Battles", "fatalities": 3},
        ["not", "an", "object"],
        {"event_id_cnty": "A3", "event_date": "2024-01-02", "event_type": "Protests",
         "latitude": 50.25, "extra": {"k": 1}, "fatalities": None},
    ]}  # fmt: skip
    path = write(tmp_path, "page.json", json.dumps(data))
    t = open_table(path)
    assert rows(t) == [
        {"event_id_cnty": "A1", "event_date": "2024-01-01", "event_type": "Battles",
         "fatalities": "3", "latitude": "", "extra": ""},
        {"event_id_cnty": "A3", "event_date": "2024-01-02", "event_type": "Protests",
         "fatalities": "", "latitude": "50.25", "extra": '{"k": 1}'},
    ]  # fmt: skip
    assert t.numbers.tolist() == [1, 3]
    assert [str(r) for r in t.rejected] == [f"{path}: row 2: expected an object of fields, got "
                                            "['not', 'an', 'object']"]  # fmt: skip
    assert t.notes == [f"{path}: 'count' says 4 rows; 'data' has 3"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"status": 200, "success": true, "count": 0, "data": []}', True),
        ('\ufeff {"data": [{"type": "Feature"}]}', True),
        ('{"type": "FeatureCollection", "features": [{"properties": {"data": [1]}}]}', False),
        ('{"type": "Feature", "geometry": null, "properties": {"data": []}}', False),
        ('[{"event_id_cnty": "A"}]', False),
        ("event_id_cnty,event_date", False),
    ],
)  # fmt: skip
def test_is_acled_json(tmp_path, text, expected):
    assert is_acled_json(write(tmp_path, "x.json", text)) is expected


# --------------------------------------------------------------------------- to the frame


def test_a_flat_table_rejects_its_bad_rows_in_file_order(tmp_path):
    path = write(tmp_path, "events.csv", (
        "id,kind,title,place,lat,lon,source\n"
        "a,statement,Fine,Moscow,55.75,37.62,TASS\n"
        "b,statement,No source,Moscow,55.75,37.62,\n"
        "c,statement,Ragged\n"
        "a,statement,Again,Moscow,55.75,37.62,TASS\n"
        "d,statement,Far north,Moscow,95,37.62,TASS\n"
        "e,statement,Fine too,Moscow,55.75,37.62,TASS\n"
    ))  # fmt: skip
    ev = csv_io.csv_frame(path)
    assert list(ev["id"]) == ["a", "e"]
    assert [(r.record, r.field) for r in ev.attrs["rejected"]] == [
        ("row 3 ('b')", "source"), ("line 4", None), ("row 5 ('a')", "id"),
        ("row 6 ('d')", "place.lat"),
    ]  # fmt: skip
    assert (
        ev.attrs["rejected"][2].reason == "duplicate id; first used by row 2; expected unique ids"
    )
    assert ev.attrs["records"] == 6 == len(ev) + len(ev.attrs["rejected"])


@pytest.mark.parametrize("missing", ["NA", "N/A", "nan", "NULL", "null", "n/a", "None"])
def test_a_flat_tables_missing_spellings_are_missing_as_an_exports_are(tmp_path, missing):
    """``value=NA`` is no figure (not a bad row), ``source=NA`` no source (the row is
    refused for it, not read with a source named "NA"), ``lat=NA, lon=NA`` no point."""
    m = missing
    path = write(tmp_path, "events.csv", (
        "id,kind,title,place,lat,lon,value,unit,source,actors\n"
        f"a,strike,T1,Kyiv,50.45,30.52,{m},{m},Reuters,{m}\n"
        f"b,strike,T2,Kyiv,{m},{m},,,Reuters,\n"
        f"c,strike,T3,Kyiv,50.45,30.52,,,{m},\n"
        f"{m},strike,T4,Kyiv,50.45,30.52,,,Reuters,\n"
    ))  # fmt: skip
    ev = csv_io.csv_frame(path)
    assert list(ev["id"]) == ["a", "b"]
    assert ev.loc[0, "quantities"] == [] and ev.loc[0, "actors"] == []
    assert ev.loc[1, "places"][0].name == "Kyiv"  # placed by its name, not refused
    assert [(r.record, r.field) for r in ev.attrs["rejected"]] == [
        ("row 4 ('c')", "source"), ("row 5", "id")]  # fmt: skip
    assert ev.attrs["records"] == 4


def test_a_flat_table_in_windows_1252_says_so(tmp_path):
    path = write(tmp_path, "e.csv", "id,kind,title,place,lat,lon,source\n"
                                    "a,statement,Café,Moscow,55.75,37.62,TASS\n".encode("cp1252"))  # fmt: skip
    ev = csv_io.csv_frame(path)
    assert ev.loc[0, "title"] == "Café"
    assert ev.attrs["notes"] == [f"{path}: read as Windows-1252: not UTF-8 (line 2)"]


def test_the_hxl_row_keeps_the_row_numbers_of_a_flat_tables_messages(tmp_path):
    path = write(tmp_path, "e.csv", "id,kind,title,place,source\n#meta+id,,,#loc+name,\n"
                                    "a,statement,T,Moscow,\n")  # fmt: skip
    ev = csv_io.csv_frame(path)
    assert [str(r) for r in ev.attrs["rejected"]] == [
        f"{path}: row 3 ('a'): source: empty; expected the name of who says so"
    ]


def test_exports_go_to_their_reader_with_the_row_numbers(tmp_path, monkeypatch):
    seen = {}

    def reader(table, *, file, geocoder=None, numbers=None):
        seen.update(file=file, numbers=list(numbers), rows=table.num_rows)
        frame = csv_io._rows_frame(open_table(tmp_path / "empty.csv"), file=file, geocoder=None)
        frame.attrs["rejected"] = [Rejected(file, "row 2 ('UKR230101')", "event_date", "bad"),
                                   Rejected(file, "row 5 ('X')", "id", "bad")]  # fmt: skip
        frame.attrs["notes"] = ["the reader's note"]
        frame.attrs["records"] = table.num_rows
        return frame

    write(tmp_path, "empty.csv", "id,kind,title,source\n")
    monkeypatch.setitem(csv_io._READERS, "acled", lambda: reader)
    lines = (DATA / "acled_truncated.csv").read_text().splitlines()
    path = write(tmp_path, "x.csv", "\n".join([lines[0], lines[1], lines[3][:60], lines[2]]) + "\n")
    ev = table_frame(open_table(path), file=str(path))
    assert seen == {"file": str(path), "numbers": [2, 4], "rows": 2}
    assert [r.record for r in ev.attrs["rejected"]] == [
        "row 2 ('UKR230101')",
        "line 3",
        "row 5 ('X')",
    ]
    assert ev.attrs["notes"] == ["the reader's note"]
    assert ev.attrs["records"] == 3


# --------------------------------------------------------------------------- property

field = st.text(alphabet=st.sampled_from(list('ab ,;"\n\r’é')), max_size=6)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.lists(field, min_size=1, max_size=5), st.booleans(), st.booleans()),
        max_size=12,
    ),
    st.sampled_from([",", ";", "\t", "|"]),
    st.sampled_from(["\n", "\r\n"]),
    st.sampled_from(["utf-8", "cp1252"]),
)
def test_every_row_is_read_or_rejected_at_its_line(tmp_path, records, delimiter, end, codec):
    """For any mix of good and ragged rows (quoted delimiters, quotes, line ends inside
    fields, empty lines), the good rows are the table, in order, with their record numbers
    (an empty line counted, as a spreadsheet shows it), and each ragged one is rejected at
    the line it starts on."""
    header = ["id", "title", "notes"]
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=end)
    quoted = csv.writer(buf, delimiter=delimiter, lineterminator=end, quoting=csv.QUOTE_ALL)
    w.writerow(header)
    expected_rows, expected_numbers, expected_lines = [], [], []
    line = 1 + 1
    n = 1
    for fields, good, empty_before in records:
        if empty_before:
            buf.write(end)
            line, n = line + 1, n + 1
        n += 1
        fields = (fields + ["x"] * 3)[:3] if good else (fields if len(fields) != 3 else fields[:2])
        if fields == [""]:
            fields = ["", ""]  # a lone empty field is an empty line: no record
        start = buf.tell()
        (quoted if any("\r" in f for f in fields) else w).writerow(fields)  # a bare \r ends a line
        written = buf.getvalue()[start:]
        if good:
            expected_rows.append(dict(zip(header, fields, strict=True)))
            expected_numbers.append(n)
        else:
            expected_lines.append(f"line {line}")
        line += written.count("\n") + written.replace("\r\n", "").count("\r")
    path = tmp_path / "p.csv"
    path.write_bytes(buf.getvalue().encode(codec))
    t = open_table(path)
    assert rows(t) == expected_rows
    assert t.numbers.tolist() == expected_numbers
    assert [r.record for r in t.rejected] == expected_lines
    assert t.records == len(records)
