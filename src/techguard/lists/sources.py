"""The official lists techguard knows: who publishes them, where, in which format, and how fresh they must be.

``techguard lists update`` downloads the sources that have download URLs. Sources without one (the METI
export-ban PDFs, MOF's asset-freeze workbook, MOFCOM) are import-only: an officer downloads the file and
runs ``techguard lists import``. ``us_bis_dpl`` is covered by the trade.gov Consolidated Screening List, so
it is not downloaded separately.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum

from techguard.i18n import gettext


class Discovery(StrEnum):
    """How the download URL(s) of a source are found."""

    DIRECT = "direct"  # the URLs in ``urls`` are the files themselves
    METI_XLSX_LINK = (
        "meti_xlsx_link"  # ``urls[0]`` is an HTML page; the newest .xlsx linked from it is the file
    )
    MANUAL = "manual"  # no automatic download: import the file by hand


@dataclass(frozen=True, slots=True)
class OfficialSource:
    code: str
    title_en: str  # also the gettext msgid of the title: other languages come from the catalogues (techguard.i18n)
    publisher: str
    format: str  # the list format code the downloaded file(s) are parsed with
    urls: tuple[str, ...]  # what to fetch (see ``discovery``); empty for manual sources
    local_names: tuple[str, ...]  # the file names to save each download as (the format's expected names)
    covers: str
    landing_page: str  # where an officer finds the publication by hand
    max_age_days: int  # older than this → stale warning
    discovery: Discovery = Discovery.DIRECT
    covered_by: str | None = None  # another source that already contains this list

    def title(self, lang: str) -> str:
        return gettext(self.title_en, lang)

    @property
    def title_ja(self) -> str:
        return self.title("ja")

    @property
    def updatable(self) -> bool:
        return self.discovery is not Discovery.MANUAL and self.covered_by is None


_OFAC_EXPORTS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
SANCTIONS_MAX_AGE_DAYS = 7
METI_MAX_AGE_DAYS = 30

SOURCES: dict[str, OfficialSource] = {
    s.code: s
    for s in (
        OfficialSource(
            code="us_csl",
            title_en="US Consolidated Screening List (trade.gov)",
            publisher="US International Trade Administration (Commerce, State, Treasury lists)",
            format="csl_csv",
            urls=("https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv",),
            local_names=("consolidated.csv",),
            covers="Entity List, Denied Persons, Unverified List, Military End User, SDN, SSI, FSE, "
            "PLC, CMIC, ISN, DTC debarred, CAP, MBS",
            landing_page="https://www.trade.gov/consolidated-screening-list",
            max_age_days=SANCTIONS_MAX_AGE_DAYS,
        ),
        OfficialSource(
            code="us_ofac_sdn",
            title_en="OFAC Specially Designated Nationals (SDN) List",
            publisher="US Treasury, Office of Foreign Assets Control",
            format="ofac_sdn_csv",
            urls=tuple(_OFAC_EXPORTS + n for n in ("SDN.CSV", "ALT.CSV", "ADD.CSV", "SDN_COMMENTS.CSV")),
            local_names=("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"),
            covers="SDN list: blocked persons, entities, vessels and aircraft of all OFAC programs",
            landing_page="https://sanctionslist.ofac.treas.gov/Home/SdnList",
            max_age_days=SANCTIONS_MAX_AGE_DAYS,
        ),
        OfficialSource(
            code="us_ofac_cons",
            title_en="OFAC Consolidated (non-SDN) Sanctions List",
            publisher="US Treasury, Office of Foreign Assets Control",
            format="ofac_cons_csv",
            urls=tuple(
                _OFAC_EXPORTS + n
                for n in ("CONS_PRIM.CSV", "CONS_ALT.CSV", "CONS_ADD.CSV", "CONS_COMMENTS.CSV")
            ),
            local_names=("cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv"),
            covers="SSI, NS-PLC, NS-CMIC, FSE, NS-MBS, CAPTA and other non-SDN lists",
            landing_page="https://sanctionslist.ofac.treas.gov/Home/ConsolidatedList",
            max_age_days=SANCTIONS_MAX_AGE_DAYS,
        ),
        OfficialSource(
            code="un_sc",
            title_en="UN Security Council Consolidated List",
            publisher="United Nations Security Council",
            format="un_sc_xml",
            urls=("https://scsanctions.un.org/resources/xml/en/consolidated.xml",),
            local_names=("consolidated.xml",),
            covers="all UNSC sanctions regimes (ISIL/Al-Qaida, Taliban, DPRK, Libya, ...)",
            landing_page="https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list",
            max_age_days=SANCTIONS_MAX_AGE_DAYS,
        ),
        OfficialSource(
            code="jp_meti_eul",
            title_en="METI End User List",
            publisher="Ministry of Economy, Trade and Industry (METI), Japan",
            format="meti_eul_xlsx",
            urls=("https://www.meti.go.jp/policy/anpo/law00.html",),
            local_names=("end_user_list.xlsx",),
            covers="foreign entities of WMD / conventional-weapons concern (catch-all control)",
            landing_page="https://www.meti.go.jp/policy/anpo/law00.html",
            max_age_days=METI_MAX_AGE_DAYS,
            discovery=Discovery.METI_XLSX_LINK,
        ),
        OfficialSource(
            code="uk_ofsi",
            title_en="UK OFSI Consolidated List of Financial Sanctions Targets",
            publisher="HM Treasury, Office of Financial Sanctions Implementation",
            format="uk_conlist_csv",
            urls=("https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv",),
            local_names=("ConList.csv",),
            covers="UK financial sanctions targets, all regimes. RETIRED on 2026-01-28: the FCDO UK Sanctions "
            "List replaced it and the file is no longer updated, so techguard does not download it (a "
            "fetched copy would look current); import an archived ConList.csv by hand if needed",
            landing_page="https://www.gov.uk/government/publications/the-uk-sanctions-list",
            max_age_days=SANCTIONS_MAX_AGE_DAYS,
            discovery=Discovery.MANUAL,
        ),
        OfficialSource(
            code="uk_fcdo",
            title_en="UK Sanctions List (FCDO)",
            publisher="Foreign, Commonwealth & Development Office (FCDO), United Kingdom",
            format="uk_sanctions_xml",
            urls=("https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml",),
            local_names=("UK-Sanctions-List.xml",),
            covers="all UK sanctions designations (financial, trade, immigration, transport) under the "
            "Sanctions Act; the single official UK list since 2026-01-28, replacing OFSI's ConList",
            landing_page="https://www.gov.uk/government/publications/the-uk-sanctions-list",
            max_age_days=SANCTIONS_MAX_AGE_DAYS,
        ),
        OfficialSource(
            code="eu_fsf",
            title_en="EU Financial Sanctions Files (consolidated list)",
            publisher="European Commission (FISMA)",
            format="eu_fsf_xml",
            urls=(
                "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content"
                "?token=dG9rZW4tMjAxNw",
            ),
            local_names=("eu_fsf.xml",),
            covers="persons, groups and entities subject to EU financial sanctions",
            landing_page="https://data.europa.eu/data/datasets/consolidated-list-of-persons-groups-and-entities-"
            "subject-to-eu-financial-sanctions",
            max_age_days=SANCTIONS_MAX_AGE_DAYS,
        ),
        OfficialSource(
            code="us_bis_dpl",
            title_en="BIS Denied Persons List",
            publisher="US Commerce, Bureau of Industry and Security",
            format="bis_dpl",
            urls=(),
            local_names=("dpl.txt",),
            covers="persons denied export privileges (also inside the CSL as 'Denied Persons List')",
            landing_page="https://www.bis.gov/dpl",
            max_age_days=SANCTIONS_MAX_AGE_DAYS,
            discovery=Discovery.MANUAL,
            covered_by="us_csl",
        ),
        OfficialSource(
            code="jp_meti_ban",
            title_en="METI export-ban lists (Russia, Belarus, third countries)",
            publisher="Ministry of Economy, Trade and Industry (METI), Japan",
            format="meti_ban_pdf",
            urls=(),
            local_names=(),
            covers="entities designated under 外為法 export bans (MOFA notices)",
            landing_page="https://www.meti.go.jp/policy/external_economy/trade_control/01_seido/04_seisai/crimea.html",
            max_age_days=METI_MAX_AGE_DAYS,
            discovery=Discovery.MANUAL,
        ),
        OfficialSource(
            code="jp_mof",
            title_en="MOF asset-freeze list (economic sanctions under the FEFTA)",
            publisher="Ministry of Finance, Japan",
            format="mof_jp_xlsx",
            urls=(),
            local_names=(),
            covers="persons and entities subject to Japanese asset freezes",
            landing_page="https://www.mof.go.jp/policy/international_policy/gaitame_kawase/gaitame/economic_sanctions/list.html",
            max_age_days=SANCTIONS_MAX_AGE_DAYS,
            discovery=Discovery.MANUAL,
        ),
        OfficialSource(
            code="cn_mofcom",
            title_en="China MOFCOM export-control lists",
            publisher="Ministry of Commerce of the People's Republic of China",
            format="mofcom_json",
            urls=(),
            local_names=(),
            covers="control list, unreliable entity list, attention list",
            landing_page="http://exportcontrol.mofcom.gov.cn/",
            max_age_days=METI_MAX_AGE_DAYS,
            discovery=Discovery.MANUAL,
        ),
    )
}

# Lists an officer keeps themselves (simple_csv watch lists, FtM imports) are never stale by default.
DEFAULT_CUSTOM_MAX_AGE_DAYS = 365
MAX_AGE_ENV = "TECHGUARD_LIST_MAX_AGE_DAYS"


def get_source(code: str) -> OfficialSource:
    try:
        return SOURCES[code]
    except KeyError:
        raise KeyError(f"unknown list source {code!r}; known sources: {', '.join(sorted(SOURCES))}") from None


def updatable_sources() -> list[OfficialSource]:
    return [s for s in SOURCES.values() if s.updatable]


def max_age_days(source: str, env: str | None = None) -> int:
    """The stale threshold for ``source``.

    ``TECHGUARD_LIST_MAX_AGE_DAYS`` is either one number for every list (``10``) or per-source overrides
    (``us_csl=3,jp_meti_eul=45``), optionally with a ``*=N`` default.
    """
    raw = os.environ.get(MAX_AGE_ENV, "") if env is None else env
    overrides = _parse_max_age(raw)
    if source in overrides:
        return overrides[source]
    if "*" in overrides:
        return overrides["*"]
    known = SOURCES.get(source)
    return known.max_age_days if known is not None else DEFAULT_CUSTOM_MAX_AGE_DAYS


def _parse_max_age(raw: str) -> dict[str, int]:
    raw = raw.strip()
    if not raw:
        return {}
    result: dict[str, int] = {}
    for part in raw.split(","):
        key, sep, value = part.partition("=")
        if not sep:
            key, value = "*", key
        try:
            days = int(value.strip())
        except ValueError:
            raise ValueError(
                f"{MAX_AGE_ENV}={raw!r}: {value.strip()!r} is not a whole number of days "
                "(use e.g. '10' or 'us_csl=3,jp_meti_eul=45')"
            ) from None
        if days < 0:
            raise ValueError(f"{MAX_AGE_ENV}={raw!r}: days must not be negative")
        result[key.strip()] = days
    return result


__all__ = [
    "MAX_AGE_ENV",
    "SOURCES",
    "Discovery",
    "OfficialSource",
    "get_source",
    "max_age_days",
    "updatable_sources",
]
