"""The CSV parser on its own: no database."""
from __future__ import annotations

from dsar.casework import csvimport

HEADER = "name,email,postal_address,phone,country\n"


def parse(text: str) -> csvimport.ParsedFile:
    return csvimport.parse_subjects(text.encode("utf-8"))


def test_it_keeps_good_rows_and_reports_bad_ones_by_line():
    result = parse(HEADER + "Ada Lovelace,ada@example.org,,,GB\n,nobody@example.org,,,\nAlan Turing,alan@,,,GB\n")
    assert [r.name for r in result.rows] == ["Ada Lovelace"]
    assert [(e.line, e.reason) for e in result.errors] == [
        (3, "the name is missing"),
        (4, "“alan@” is not a valid email address"),
    ]


def test_it_counts_lines_of_multiline_addresses():
    text = HEADER + 'Ada,,"1 Main St\nLondon",,GB\nBad,x,,,GB\n'
    result = parse(text)
    assert result.rows[0].postal_address == "1 Main St\nLondon"
    assert [e.line for e in result.errors] == [4]


def test_it_accepts_semicolons_and_a_byte_order_mark():
    data = "\ufeffName;E-Mail;Country\nJana Nováková;jana@example.cz;cz\n".encode()
    result = csvimport.parse_subjects(data)
    assert result.errors == []
    assert result.rows[0] == csvimport.SubjectRow(2, "Jana Nováková", (), "jana@example.cz", "", "", "CZ")


def test_it_normalises_phone_numbers_with_the_country():
    result = parse(HEADER + "Max,,,030 901820,DE\nMia,,,12,DE\n")
    assert result.rows[0].phone == "+4930901820"
    assert result.errors[0].line == 3 and "phone" in result.errors[0].reason


def test_it_rejects_unknown_countries_and_wrong_field_counts():
    result = parse(HEADER + "A,,,,XX\nB,,\n")
    assert [e.line for e in result.errors] == [2, 3]
    assert "country" in result.errors[0].reason
    assert result.errors[1].reason == "expected 5 fields, found 3"


def test_it_reports_a_person_repeated_in_the_file():
    result = parse(HEADER + "Ada  Lovelace,ada@example.org,,,\nada lovelace,ADA@example.org,,,\n")
    assert len(result.rows) == 1
    assert result.errors[0].line == 3 and "line 2" in result.errors[0].reason


def test_it_refuses_a_file_with_unknown_columns():
    result = parse("name,passport_number\nA,123\n")
    assert "passport_number" in result.fatal
    assert result.rows == [] and result.errors == []


def test_it_refuses_a_file_without_a_name_column():
    assert parse("email\na@example.org\n").fatal == str(csvimport.ERR_NO_NAME_COLUMN)


def test_it_refuses_a_file_that_is_not_utf8():
    assert csvimport.parse_subjects("name\nJürgen\n".encode("latin-1")).fatal == str(csvimport.ERR_ENCODING)


def test_it_rejects_overlong_fields_and_skips_blank_lines():
    result = parse(HEADER + "\n" + "A" * 501 + ",,,,\n,,,,\n")
    assert [(e.line, e.reason) for e in result.errors] == [(3, "“name” is longer than 500 characters")]


def test_it_splits_other_names_on_semicolons():
    result = parse('name,other_names\nA,"B; C ;"\n')
    assert result.rows[0].other_names == ("B", "C")


def test_it_normalises_names_for_comparison():
    assert csvimport.normalise_name("  ÅSA\u00a0 Berg ") == csvimport.normalise_name("åsa berg")
