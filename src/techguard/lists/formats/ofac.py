"""OFAC legacy CSV files: the SDN list (``ofac_sdn_csv``) and the consolidated non-SDN lists (``ofac_cons_csv``).

One publication is four header-less CSVs (OFAC's "legacy" format, https://ofac.treasury.gov/sdn-list-data-formats-data-schemas):

- ``sdn.csv`` / ``cons_prim.csv``: ``ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type,
  Tonnage, GRT, Vess_flag, Vess_owner, Remarks``
- ``alt.csv`` / ``cons_alt.csv``: ``ent_num, alt_num, alt_type, alt_name, alt_remarks``
- ``add.csv`` / ``cons_add.csv``: ``ent_num, add_num, address, city/state/zip, country, add_remarks``
- ``sdn_comments.csv`` / ``cons_comments.csv``: ``ent_num, remarks continued`` -- the Remarks column is cut
  at 1,000 characters and the rest is here, to be appended without a separator.

``-0-`` (often with a trailing space) means "no value". Files end with a Ctrl-Z line. The snapshots we have
(2021, 2025) are plain ASCII; older OFAC files were written on Windows, so cp1252 is accepted as a fallback
with a warning (never replacement characters).

Names are kept as published ("LAST, First" for individuals). Remarks are kept whole and also mined for the
structured facts OFAC writes there (:func:`parse_remarks`): dates and places of
birth, nationality, citizenship, identifiers, gender, "Linked To:", websites, e-mails and the *weak*
a.k.a.s, which OFAC lists only in Remarks (``a.k.a. 'BNC'``), never in alt.csv.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from techguard.lists.errors import ListFormatError
from techguard.lists.formats import ListFormat, ParseResult, register
from techguard.lists.formats._csv import NumberedRow, find_files, null_if_blank, read_text, rows
from techguard.lists.model import Address, Identifier, Name, NameType, Party, PartyKind
from techguard.text.countries import to_iso2

__all__ = [
    "CONS_FORMAT",
    "SDN_FORMAT",
    "RemarkFacts",
    "list_for_programs",
    "parse_cons",
    "parse_remarks",
    "parse_sdn",
    "split_programs",
]

NULL = "-0-"
LEGACY_ENCODINGS = ("cp1252",)

PRIMARY_COLUMNS = (
    "ent_num",
    "SDN_Name",
    "SDN_Type",
    "Program",
    "Title",
    "Call_Sign",
    "Vess_type",
    "Tonnage",
    "GRT",
    "Vess_flag",
    "Vess_owner",
    "Remarks",
)
ALT_COLUMNS = ("ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks")
ADD_COLUMNS = ("ent_num", "add_num", "address", "city/state/zip", "country", "add_remarks")
COMMENT_COLUMNS = ("ent_num", "remarks continued")

_VESSEL_FIELDS = ("vessel_type", "tonnage", "grt", "vessel_flag", "vessel_owner")
_KINDS = {
    "individual": PartyKind.PERSON,
    "vessel": PartyKind.VESSEL,
    "aircraft": PartyKind.AIRCRAFT,
}
_ALT_TYPES = {"aka": NameType.AKA, "fka": NameType.FKA, "nka": NameType.NKA}

# Program tag -> the non-SDN list it puts an entry on, in priority order (an entry tagged
# "UKRAINE-EO13662] [RUSSIA-EO14024" is on the SSI list). Tags not here leave the entry on "us_ofac_cons".
_NON_SDN_LISTS: tuple[tuple[str, str], ...] = (
    ("UKRAINE-EO13662", "us_ssi"),  # Sectoral Sanctions Identifications
    ("NS-PLC", "us_plc"),  # Palestinian Legislative Council
    ("CMIC-EO13959", "us_cmic"),  # Chinese Military-Industrial Complex companies
    ("NS-CMIC", "us_cmic"),
    ("FSE-IR", "us_fse"),  # Foreign Sanctions Evaders
    ("FSE-SY", "us_fse"),
    ("FSE", "us_fse"),
    ("561-Related", "us_capta"),  # Correspondent/payable-through account sanctions (CAPTA, part 561)
    ("CAPTA", "us_capta"),
    ("NS-MBS", "us_mbs"),  # Non-SDN menu-based sanctions: directive / CAATSA programs
    ("RUSSIA-EO14024", "us_mbs"),
    ("CAATSA - RUSSIA", "us_mbs"),
    ("BURMA-EO14014", "us_mbs"),
    ("ILLICIT-DRUGS-EO14059", "us_mbs"),
)


# Identifier types OFAC writes in Remarks ("Passport 1084010 (Egypt) issued 2010"); longest match wins.
# Anything else (job titles, "Executive Order 13662 ...", dates of listing) stays in the remarks text only.
_ID_TYPES = sorted(
    {
        "Passport", "Diplomatic Passport", "British National Overseas Passport", "Stateless Person Passport",
        "Cedula No.", "National ID No.", "NIT #", "Tax ID No.", "Vessel Registration Identification",
        "Registration ID", "R.F.C. #", "R.F.C.", "RFC", "C.U.R.P. #", "C.U.R.P.", "Registration Number",
        "Government Gazette Number", "Aircraft Manufacturer's Serial Number (MSN)",
        "Aircraft Construction Number (also called L/N or S/N or F/N)", "Aircraft Tail Number",
        "Previous Aircraft Tail Number", "Aircraft Mode S Transponder Code", "Aircraft Serial Identification",
        "ISIN", "RUC #", "Folio Mercantil No.", "Identification Number", "Company Number", "UK Company Number",
        "Matricula Mercantil No", "Commercial Registry Number", "Unified Social Credit Code (USCC)",
        "United Social Credit Code Certificate (USCCC)", "Equity Ticker", "MMSI", "D.N.I.", "D-U-N-S Number",
        "C.R. No.", "Business Registration Number", "Business Registration Document #", "V.A.T. Number",
        "SWIFT/BIC", "RIF #", "Trade License No.", "Electoral Registry No.", "Driver's License No.",
        "Legal Entity Number", "Public Registration Number", "Italian Fiscal Code", "BIK (RU)",
        "Credencial electoral", "Cartilla de Servicio Militar Nacional", "Personal ID Card", "US FEIN",
        "National Foreign ID Number", "Chamber of Commerce Number", "SSN", "Chinese Commercial Code",
        "Residency Number", "I.F.E.", "Birth Certificate Number", "Registered Charity No.", "C.U.I.T.",
        "LE Number", "Branch Unit Number", "Certificate of Incorporation Number", "C.U.I.P.",
        "Turkish Identification Number", "Numero de Identidad", "RTN", "Citizen's Card Number",
        "Kenyan ID No.", "Travel Document Number", "Dubai Chamber of Commerce Membership No.",
        "Enterprise Number", "VisaNumberID", "File Number", "C.U.I.", "Business Number",
        "Tazkira National ID Card", "Immigration No.", "Numero Unico de Identificacao Tributaria (NUIT)",
        "C.I.F.", "SRE Permit No.", "Pilot License Number", "N.I.E.", "Bosnian Personal ID No.",
        "Moroccan Personal ID No.", "CNP (Personal Numerical Code)", "Fiscal Code", "Romanian Tax Registration",
        "Romanian C.R.", "RSIN", "MSB Registration Number", "Central Registration System Number",
        "Seafarer's Identification Document", "Tarjeta Profesional", "UAE Identification",
        "Other Vessel Call Sign", "Istanbul Chamber of Comm. No.", "Refugee ID Card", "Stateless Person ID Card",
        "Serial No.", "Tourism License No.", "Afghan Money Service Provider License Number",
        "Public Security and Immigration No.", "Phone Number", "Telephone No.", "Telephone", "Fax No.", "Fax",
        "Digital Currency Address - XBT", "Digital Currency Address - ETH", "Digital Currency Address - LTC",
        "Digital Currency Address - XMR", "Digital Currency Address - ZEC", "Digital Currency Address - DASH",
        "Digital Currency Address - BTG", "Digital Currency Address - ETC", "Digital Currency Address - BCH",
        "Digital Currency Address - XVG", "Digital Currency Address - USDT", "Digital Currency Address - TRX",
        "Digital Currency Address - BSV", "Digital Currency Address - ARB", "Digital Currency Address - BSC",
    },
    key=len,
    reverse=True,
)  # fmt: skip
_ID_VALUE = re.compile(
    r"(?P<value>.*?)(?: \((?P<country>[^()]*)\))?(?P<note>,? (?:issued|expires|expired|valid)\b.*)?$"
)
_NAME_REMARK = re.compile(r"^(?P<kind>a\.k\.a\.|f\.k\.a\.|n\.k\.a\.) '(?P<name>.+)'$")
_LABELLED = re.compile(
    r"^(?P<label>DOB|POB|nationality|citizen|Gender|Linked To:|Website|Email Address|Email)\s+(?P<value>.+)$"
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1
    )
}
_DATE = re.compile(r"^(?:(?P<day>\d{1,2}) )?(?:(?P<month>[A-Z][a-z]{2}) )?(?P<year>\d{4})$")


def iso_date(text: str) -> str | None:
    """``"01 Jan 1960"`` -> ``"1960-01-01"``, ``"Jan 1960"`` -> ``"1960-01"``, ``"1960"``; else ``None``."""
    match = _DATE.match(text.strip())
    if match is None or (match["day"] and not match["month"]):
        return None
    if match["month"] is None:
        return match["year"]
    month = _MONTHS.get(match["month"])
    if month is None:
        return None
    if match["day"] is None:
        return f"{match['year']}-{month:02d}"
    return f"{match['year']}-{month:02d}-{int(match['day']):02d}"


@dataclass(slots=True)
class RemarkFacts:
    """What :func:`parse_remarks` recognised in an OFAC Remarks text (the text itself is kept too)."""

    names: tuple[Name, ...] = ()
    birth_dates: tuple[str, ...] = ()
    birth_places: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    citizenships: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    gender: str | None = None
    linked_to: tuple[str, ...] = ()
    websites: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    unresolved_countries: tuple[str, ...] = field(default=())

    def extra(self) -> dict[str, object]:
        found: dict[str, object] = {
            "gender": self.gender,
            "linked_to": list(self.linked_to),
            "websites": list(self.websites),
            "emails": list(self.emails),
            "unresolved_countries": list(self.unresolved_countries),
        }
        return {key: value for key, value in found.items() if value}


def _identifier(segment: str) -> Identifier | None:
    for id_type in _ID_TYPES:
        if segment.startswith(id_type + " "):
            match = _ID_VALUE.match(segment[len(id_type) + 1 :])
            if match is None or not match["value"]:
                return None
            country_text = match["country"]
            country = to_iso2(country_text) if country_text else None
            note_parts = [] if country or not country_text else [f"({country_text})"]
            if match["note"]:
                note_parts.append(match["note"].lstrip(", "))
            return Identifier(id_type, match["value"], country, " ".join(note_parts) or None)
    return None


def parse_remarks(remarks: str) -> RemarkFacts:
    """Mine OFAC's ``"; "``-separated Remarks for the facts OFAC keeps nowhere else in the legacy CSV."""
    facts = RemarkFacts()
    lists: dict[str, list[str]] = defaultdict(list)
    names: list[Name] = []
    identifiers: list[Identifier] = []
    text = remarks.strip()
    text = text[:-1] if text.endswith(".") else text
    for raw in text.split("; "):
        segment = raw.strip()
        segment = segment[5:] if segment.startswith("alt. ") else segment
        named = _NAME_REMARK.match(segment)
        if named:
            # OFAC lists low-quality ("weak") a.k.a.s only here, in quotes, never in alt.csv.
            names.append(Name(named["name"], NameType.WEAK_AKA))
            continue
        labelled = _LABELLED.match(segment)
        if labelled:
            label, value = labelled["label"], labelled["value"].strip()
            if label == "DOB":
                lists["dob"].append(iso_date(value) or value)
            elif label == "POB":
                lists["pob"].append(value)
            elif label in ("nationality", "citizen"):
                code = to_iso2(value)
                lists[label if code else "unresolved"].append(code or value)
            elif label == "Gender":
                facts.gender = value
            elif label == "Linked To:":
                lists["linked"].append(value)
            elif label == "Website":
                lists["web"].append(value)
            else:
                lists["email"].append(value)
            continue
        identifier = _identifier(segment)
        if identifier is not None:
            identifiers.append(identifier)
    facts.names = tuple(names)
    facts.identifiers = tuple(identifiers)
    facts.birth_dates = tuple(dict.fromkeys(lists["dob"]))
    facts.birth_places = tuple(dict.fromkeys(lists["pob"]))
    facts.nationalities = tuple(dict.fromkeys(lists["nationality"]))
    facts.citizenships = tuple(dict.fromkeys(lists["citizen"]))
    facts.linked_to = tuple(lists["linked"])
    facts.websites = tuple(lists["web"])
    facts.emails = tuple(lists["email"])
    facts.unresolved_countries = tuple(lists["unresolved"])
    return facts


@dataclass(frozen=True, slots=True)
class _Layout:
    source: str
    primary: str
    alt: str
    add: str
    comments: str


_SDN = _Layout("us_ofac_sdn", "sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")
_CONS = _Layout("us_ofac_cons", "cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv")


def list_for_programs(programs: Sequence[str], *, sdn: bool) -> str:
    """The list code of an OFAC entry: ``us_sdn`` on the SDN file, else derived from its programs."""
    if sdn:
        return "us_sdn"
    for tag, code in _NON_SDN_LISTS:
        if tag in programs:
            return code
    return "us_ofac_cons"


def split_programs(value: str | None) -> tuple[str, ...]:
    """``"SDGT] [IFSR"`` (OFAC strips the outer brackets of ``[SDGT] [IFSR]``) -> ``("SDGT", "IFSR")``."""
    if value is None:
        return ()
    parts = (part.strip(" []") for part in value.split("] ["))
    return tuple(part for part in parts if part)


def _cell(value: str) -> str | None:
    return null_if_blank(value, null_marker=NULL)


def _checked(row: NumberedRow, path: Path, columns: Sequence[str]) -> list[str]:
    if len(row.fields) != len(columns):
        missing = columns[len(row.fields)] if len(row.fields) < len(columns) else "(extra column)"
        raise ListFormatError(
            path,
            f"expected {len(columns)} comma-separated fields, found {len(row.fields)}",
            line=row.line,
            field=missing,
        )
    return row.fields


def _ent_num(value: str, path: Path, line: int) -> str:
    stripped = value.strip()
    if not stripped.isdigit():
        raise ListFormatError(path, f"ent_num must be a number, got {stripped!r}", line=line, field="ent_num")
    return stripped


def _required(value: str, path: Path, line: int, field: str) -> str:
    cell = _cell(value)
    if cell is None:
        raise ListFormatError(path, "required value is empty", line=line, field=field)
    return cell


def _read_rows(path: Path, columns: Sequence[str], warnings: list[str]) -> list[tuple[int, list[str]]]:
    decoded = read_text(path, fallbacks=LEGACY_ENCODINGS)
    if decoded.encoding not in ("utf-8", "utf-8-sig"):
        warnings.append(f"{path.name}: not UTF-8, read as {decoded.encoding} (OFAC legacy encoding)")
    return [(row.line, _checked(row, path, columns)) for row in rows(decoded.text, path)]


def _address(fields: list[str]) -> Address:
    street, city_state_zip, country_text = (_cell(value) for value in fields[2:5])
    full = ", ".join(part for part in (street, city_state_zip, country_text) if part)
    # OFAC writes city, state and postal code in one column; kept whole in ``city``.
    return Address(
        full=full,
        street=street,
        city=city_state_zip,
        country=to_iso2(country_text),
        country_name=country_text,
    )


def _parse(paths: Sequence[Path], layout: _Layout) -> ParseResult:
    names = (layout.primary, layout.alt, layout.add, layout.comments)
    files = find_files(paths, names, required=names[:3])
    warnings: list[str] = []
    counts: Counter[str] = Counter()

    primary_path = files[layout.primary]
    primary_rows = _read_rows(primary_path, PRIMARY_COLUMNS, warnings)
    seen: dict[str, int] = {}
    for line, fields in primary_rows:
        ent_num = _ent_num(fields[0], primary_path, line)
        if ent_num in seen:
            raise ListFormatError(
                primary_path, f"ent_num {ent_num} repeats line {seen[ent_num]}", line=line, field="ent_num"
            )
        seen[ent_num] = line
        _required(fields[1], primary_path, line, "SDN_Name")

    def known(ent_num: str, path: Path, line: int) -> str:
        if ent_num not in seen:
            raise ListFormatError(
                path, f"ent_num {ent_num} is not in {layout.primary}", line=line, field="ent_num"
            )
        return ent_num

    aliases: dict[str, list[Name]] = defaultdict(list)
    alt_path = files[layout.alt]
    for line, fields in _read_rows(alt_path, ALT_COLUMNS, warnings):
        ent_num = known(_ent_num(fields[0], alt_path, line), alt_path, line)
        alt_type_text = _required(fields[2], alt_path, line, "alt_type")
        name_type = _ALT_TYPES.get(alt_type_text.lower().replace(".", "").replace("weak ", ""))
        if name_type is None:
            raise ListFormatError(
                alt_path, f"unknown alt_type {alt_type_text!r}", line=line, field="alt_type"
            )
        alt_remarks = _cell(fields[4]) or ""
        if "weak" in alt_type_text.lower() or "weak" in alt_remarks.lower():
            name_type = NameType.WEAK_AKA
        aliases[ent_num].append(Name(_required(fields[3], alt_path, line, "alt_name"), name_type))
        counts["aliases"] += 1

    addresses: dict[str, list[Address]] = defaultdict(list)
    add_path = files[layout.add]
    for line, fields in _read_rows(add_path, ADD_COLUMNS, warnings):
        ent_num = known(_ent_num(fields[0], add_path, line), add_path, line)
        addresses[ent_num].append(_address(fields))
        counts["addresses"] += 1

    continued: dict[str, str] = defaultdict(str)
    comments_path = files.get(layout.comments)
    if comments_path is None:
        warnings.append(f"{layout.comments} not given: Remarks longer than 1,000 characters stay cut off")
    else:
        for line, fields in _read_rows(comments_path, COMMENT_COLUMNS, warnings):
            ent_num = known(_ent_num(fields[0], comments_path, line), comments_path, line)
            # Not _cell(): the continuation may start or end with a space that belongs to the text.
            continued[ent_num] += fields[1]
            counts["remarks_continued"] += 1

    parties: list[Party] = []
    for _line, fields in primary_rows:
        ent_num = fields[0].strip()
        remarks = _cell(fields[11])
        if ent_num in continued:
            remarks = (fields[11] + continued[ent_num]).strip()
        facts = parse_remarks(remarks or "")
        party = _party(layout, ent_num, fields, remarks, facts, aliases[ent_num], addresses[ent_num])
        parties.append(party)
        counts["entries"] += 1
        counts["weak_aliases"] += len(facts.names)
        counts[f"list:{party.list}"] += 1
    return ParseResult(parties=tuple(parties), warnings=tuple(warnings), counts=dict(counts))


def _party(
    layout: _Layout,
    ent_num: str,
    fields: list[str],
    remarks: str | None,
    facts: RemarkFacts,
    aliases: list[Name],
    addresses: list[Address],
) -> Party:
    programs = split_programs(_cell(fields[3]))
    sdn_type = _cell(fields[2])
    kind = _KINDS.get(sdn_type.lower(), PartyKind.UNKNOWN) if sdn_type else PartyKind.ORGANISATION
    identifiers = list(facts.identifiers)
    call_sign = _cell(fields[5])
    if call_sign:
        identifiers.insert(0, Identifier("Call Sign", call_sign))
    extra: dict[str, object] = {}
    for key, value in zip(_VESSEL_FIELDS, fields[6:11], strict=True):
        cell = _cell(value)
        if cell is not None:
            extra[key] = cell
    if "vessel_flag" in extra:
        extra["vessel_flag_iso2"] = to_iso2(str(extra["vessel_flag"]))
    if sdn_type and kind is PartyKind.UNKNOWN:
        extra["sdn_type"] = sdn_type
    extra.update(facts.extra())
    countries = dict.fromkeys(
        [address.country for address in addresses if address.country]
        + list(facts.nationalities)
        + list(facts.citizenships)
    )
    return Party(
        source=layout.source,
        source_id=ent_num,
        list=list_for_programs(programs, sdn=layout is _SDN),
        kind=kind,
        name=fields[1].strip(),
        names=tuple(aliases) + facts.names,
        countries=tuple(countries),
        addresses=tuple(addresses),
        identifiers=tuple(identifiers),
        birth_dates=facts.birth_dates,
        birth_places=facts.birth_places,
        nationalities=facts.nationalities,
        citizenships=facts.citizenships,
        programs=programs,
        title=_cell(fields[4]),
        remarks=remarks,
        extra=extra,
    )


def parse_sdn(paths: Sequence[Path]) -> ParseResult:
    """Parse OFAC's SDN legacy CSVs (sdn.csv, alt.csv, add.csv, optional sdn_comments.csv)."""
    return _parse(paths, _SDN)


def parse_cons(paths: Sequence[Path]) -> ParseResult:
    """Parse OFAC's consolidated non-SDN legacy CSVs (cons_prim/alt/add.csv, optional cons_comments.csv)."""
    return _parse(paths, _CONS)


SDN_FORMAT = register(
    ListFormat(
        code="ofac_sdn_csv",
        description="OFAC SDN list, legacy CSV files (sdn.csv, alt.csv, add.csv, sdn_comments.csv)",
        default_source=_SDN.source,
        parse=parse_sdn,
        file_names=(_SDN.primary, _SDN.alt, _SDN.add, _SDN.comments),
    )
)
CONS_FORMAT = register(
    ListFormat(
        code="ofac_cons_csv",
        description="OFAC consolidated non-SDN lists (SSI, PLC, CMIC, MBS, ...), legacy CSV files",
        default_source=_CONS.source,
        parse=parse_cons,
        file_names=(_CONS.primary, _CONS.alt, _CONS.add, _CONS.comments),
    )
)
