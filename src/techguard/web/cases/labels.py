"""Readable, translated labels for what the engine stores as codes: determination outcomes, fact paths and fact
values. The memo, the case page (``_jurisdiction.html`` through the ``case_labels`` filters) and the reports use
these, so a Japanese page never shows ``licence_required`` or ``recipient.citizenships``.

The codes stay the engine's vocabulary (stored, exported, audited); only their display goes through gettext.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from techguard.web.cases.interview import CHOICE_LABELS

# Every outcome either side (or the overall answer) can give: techguard.rules.result.UsOutcome, JpOutcome and
# the three verdicts of Overall.
OUTCOME_LABELS: dict[str, Any] = {
    "not_applicable": _("Not applicable"),
    "not_subject": _("Not subject to the EAR"),
    "not_an_export": _("Not an export"),
    "not_a_deemed_reexport": _("Not a deemed re-export"),
    "no_licence_required": _("No licence required"),
    "licence_required": _("Licence required"),
    "licence_required_unless_exception": _("Licence required unless a licence exception applies"),
    "incomplete": _("Cannot decide yet (facts missing)"),
    "exempt_public": _("Exempt: publicly available technology (公知)"),
    "exempt_basic_science": _("Exempt: basic science research (基礎科学)"),
    "not_a_controlled_provision": _("Not a controlled provision of technology"),
    "approval_required": _("Approval required (承認)"),
    "required": _("Authorisation needed"),
    "not_required": _("No authorisation needed"),
}

# The activity model's fact paths (techguard.rules.activity.Activity), as the officer reads them.
FACT_LABELS: dict[str, Any] = {
    "activity": _("Kind of activity"),
    "as_of": _("Rules as of (date)"),
    "from_country": _("From country"),
    "to_country": _("Destination country"),
    "use_abroad_country": _("Country of use abroad"),
    "end_use": _("End use"),
    "jp_inform_received": _("Inform notice received (インフォーム通知)"),
    "encrypted_end_to_end": _("Encrypted end to end"),
    "item.type": _("Item type"),
    "item.description": _("Item description"),
    "item.eccn": _("ECCN"),
    "item.eccn_control.reasons": _("ECCN reasons for control"),
    "item.eccn_control.lvs_value_usd": _("LVS value limit (USD)"),
    "item.eccn_control.gbs": _("GBS eligible"),
    "item.jp_list_item": _("Item number (項番)"),
    "item.jp_list_controlled": _("Controlled under items 1-15 (リスト規制)"),
    "item.jp_appendix_2_3": _("Export Order Appendix 2-3 goods"),
    "item.hs_code": _("HS code"),
    "item.hs_listed_part_746": _("HS code listed in Supplements to Part 746"),
    "item.origin_country": _("Country of origin"),
    "item.us_content_percent": _("Controlled US content (%)"),
    "item.us_content_total_percent": _("Total US content (%)"),
    "item.us_content_eccns": _("ECCNs of the US content"),
    "item.foreign_direct_product.us_technology_or_software_eccn": _("US technology or software used (ECCN)"),
    "item.foreign_direct_product.made_by_plant_or_equipment_that_is_direct_product":
        _("Made by a plant or equipment that is a US direct product"),
    "item.value.amount": _("Value"),
    "item.value.currency": _("Currency"),
    "item.published": _("Published"),
    "item.publication_planned": _("Publication planned"),
    "item.event_open_to_public": _("Event open to the public"),
    "item.in_patent_or_open_application": _("In a patent or open patent application"),
    "item.fundamental_research": _("Fundamental research"),
    "item.fundamental_research_role": _("Role in the fundamental research"),
    "item.kept_restricted": _("Results kept restricted"),
    "item.basic_science": _("Basic science research (基礎科学分野の研究)"),
    "item.catalog_course": _("Catalogue course"),
    "item.software_form": _("Software form"),
    "item.own_use_only": _("For own use only"),
    "item.audience": _("Audience"),
    "item.jp_exemption": _("Exemption (貿易外省令9条2項)"),
    "item.tsu_eligible": _("TSU eligible"),
    "item.kept_under_travellers_control": _("Kept under the traveller's control"),
    "item.returned_within_one_year": _("Returned within one year"),
    "provider.jp_resident": _("Provider is a resident of Japan (居住者)"),
    "provider.name": _("Provider"),
    "provider.country": _("Provider's country"),
    "recipient.kind": _("Recipient kind"),
    "recipient.name": _("Recipient"),
    "recipient.citizenships": _("Nationality"),
    "recipient.permanent_residence": _("Permanent residence"),
    "recipient.last_status_obtained": _("Status obtained last"),
    "recipient.us_person_status": _("US person status"),
    "recipient.location_country": _("Location"),
    "recipient.jp_residency.entered_japan": _("Entered Japan on (stay from)"),
    "recipient.jp_residency.leaves_japan": _("Leaves Japan on (stay until)"),
    "recipient.jp_residency.employed_at_office_in_japan": _("Employed at an office in Japan"),
    "recipient.jp_residency.foreign_government_official": _("Foreign government official"),
    "recipient.jp_residency.lives_abroad": _("Lives abroad"),
    "recipient.jp_resident": _("Recipient is a resident of Japan (居住者)"),
    "recipient.employer": _("Employer or affiliation"),
    "recipient.permanent_regular_employee_of_releasing_entity": _("Permanent regular employee of the releasing entity"),
    "recipient.releasing_entity_screening_done": _("Screened by the releasing entity"),
    "recipient.releasing_entity_authorised_to_receive": _("Authorised to receive by the releasing entity"),
    "recipient.foreign_influence.employment_or_contract_with_foreign_government_or_entity":
        _("特定類型 1: employment or contract with a foreign government or entity"),
    "recipient.foreign_influence.japanese_employer_instructions_prevail":
        _("Japanese employer's instructions prevail"),
    "recipient.foreign_influence.foreign_party_is_group_company": _("Foreign party is a group company"),
    "recipient.foreign_influence.foreign_government_income_share":
        _("特定類型 2: share of income from a foreign government"),
    "recipient.foreign_influence.foreign_company_income_share": _("Share of income from a foreign company"),
    "recipient.foreign_influence.acting_under_foreign_government_instruction":
        _("特定類型 3: acting under a foreign government's instruction"),
    "recipient.foreign_influence.significant_foreign_government_benefit":
        _("特定類型 2: significant benefit from a foreign government"),
    "recipient.owned_50_percent_or_more_by_listed_entities": _("Owned 50% or more by listed entities"),
    "end_user.name": _("End user"),
    "end_user.country": _("End user's country"),
    "end_user.owned_50_percent_or_more_by_listed_entities": _("End user owned 50% or more by listed entities"),
}

# Values of the activity model's enums that the interview's CHOICE_LABELS does not already name.
VALUE_LABELS: dict[str, Any] = {
    "export": _("export"),
    "reexport": _("re-export"),
    "release": _("release (deemed export)"),
    "transfer_in_country": _("transfer in country"),
    "publication": _("publication"),
    "teaching": _("teaching"),
    "storage": _("storage"),
    "carry_abroad": _("carrying abroad"),
    "source_code": _("source code"),
    "object_code": _("object code"),
    "anyone": _("anyone (the public)"),
    "specific_recipients": _("specific recipients only"),
    "citizenship": _("citizenship"),
    "patent_application": _("patent application"),
    "commercial_program": _("commercial program"),
    "minimum_use_technology": _("minimum technology for use"),
}


# Fact paths holding ISO country codes: shown with the country's name in the reader's language.
COUNTRY_PATHS = frozenset({
    "from_country", "to_country", "use_abroad_country", "item.origin_country", "provider.country",
    "recipient.citizenships", "recipient.permanent_residence", "recipient.location_country", "end_user.country",
})

# The roles a named party plays in a case (``case.parties[].role``).
PARTY_ROLE_LABELS: dict[str, Any] = {
    "recipient": _("recipient"),
    "employer": _("employer"),
    "end_user": _("end user"),
    "consignee": _("consignee"),
    "intermediate": _("intermediate party"),
    "funder": _("funder"),  # the visitor/hire/student form's funding source (rules.intake)
}


def party_role_label(role: Any) -> str:
    label = PARTY_ROLE_LABELS.get(str(role or ""))
    return str(label) if label is not None else str(role or "")


def country_text(code: Any) -> str:
    """"中国 (CN)" / "China (CN)"; a value that is not a country code is shown as it is."""
    from django.utils.translation import get_language

    from techguard.text.countries import country_name

    if not isinstance(code, str) or len(code.strip()) != 2:
        return value_text(code)
    lang = "ja" if (get_language() or "en").startswith("ja") else "en"
    try:
        return f"{country_name(code, lang)} ({code.strip().upper()})"
    except KeyError:
        return code


def outcome_label(code: Any) -> str:
    """The translated text of an outcome code; an unknown code is shown as it is (never hidden)."""
    if code is None or code == "":
        return ""
    label = OUTCOME_LABELS.get(str(code))
    return str(label) if label is not None else str(code)


def fact_label(path: str) -> str:
    """The translated label of a fact path; a path the table does not know is shown as the path itself."""
    label = FACT_LABELS.get(path)
    return str(label) if label is not None else path


def value_text(value: Any) -> str:
    """A fact value as a reader wants it: yes/no, enum labels, lists joined."""
    if value is True:
        return str(_("Yes"))
    if value is False:
        return str(_("No"))
    if value is None:
        return str(_("Not known"))
    if isinstance(value, list | tuple):
        return ", ".join(value_text(v) for v in value)
    if isinstance(value, str):
        label = CHOICE_LABELS.get(value) or VALUE_LABELS.get(value)
        return str(label) if label is not None else value
    return str(value)


def fact_rows(facts: Any, prefix: str = "") -> list[tuple[str, str, str]]:
    """The facts as ``(path, label, value text)`` rows in the order stored; lists of objects are numbered."""
    rows: list[tuple[str, str, str]] = []
    if isinstance(facts, dict):
        for key, value in facts.items():
            rows.extend(fact_rows(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(facts, list) and any(isinstance(v, dict | list) for v in facts):
        for index, item in enumerate(facts):
            rows.extend(fact_rows(item, f"{prefix}[{index}]"))
    elif prefix in COUNTRY_PATHS:
        codes = facts if isinstance(facts, list | tuple) else [facts]
        rows.append((prefix, fact_label(prefix), ", ".join(country_text(c) for c in codes)))
    else:
        rows.append((prefix, fact_label(prefix), value_text(facts)))
    return rows


def localized_text(item: dict[str, Any], language: str) -> str:
    """A step's finding, an overall answer, a missing fact's question or a licence exception's note in ``language``:
    the engine's text per catalogued language (``findings`` / ``text`` / ``notes``) where it has one, else the
    Japanese or English field (results stored before the per-language texts existed have only those)."""
    lang = language.split("-")[0].lower()
    for per_language in ("findings", "text", "notes"):
        texts = item.get(per_language)
        if isinstance(texts, dict) and texts.get(lang):
            return str(texts[lang])
    if "note" in item:  # a licence exception stored before its notes were given per language
        return str(item["note"])
    if "finding" in item:
        return str(item.get("finding_ja") if lang == "ja" and item.get("finding_ja") else item["finding"])
    if "question_en" in item:
        return str(item.get("question_ja") if lang == "ja" and item.get("question_ja") else item["question_en"])
    return str(item.get("text_ja") if lang == "ja" and item.get("text_ja") else item.get("text_en", ""))


__all__ = ["COUNTRY_PATHS", "FACT_LABELS", "OUTCOME_LABELS", "PARTY_ROLE_LABELS", "VALUE_LABELS", "country_text",
           "fact_label", "fact_rows", "localized_text", "outcome_label", "party_role_label", "value_text"]
