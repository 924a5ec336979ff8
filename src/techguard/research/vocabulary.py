"""Word lists the resolver uses to read affiliation strings (all in folded form, see ``normalise.fold``)."""

from __future__ import annotations

# Folded words that open a department / sub-unit ("Dept. of Physics", "School of Medicine").
DEPARTMENT_WORDS = frozenset({
    "department", "departamento", "departement", "dipartimento", "abteilung", "school", "faculty", "faculte",
    "facultad", "fakultat", "division", "laboratory", "laboratories", "laboratoire", "laboratorio", "unit",
    "unite", "section", "graduate", "program", "programme", "group", "team", "chair", "lehrstuhl", "institute",
    "institut", "instituto", "istituto", "center", "centro", "key", "clinic", "klinik", "service", "research",
    "college", "core", "centres", "ward", "cluster", "platform", "branch", "office",
    # plurals open a unit too: "1 Departments of Bioengineering and Medicine"
    "departments", "divisions", "faculties", "schools",
})
# Folded words after which a name continues: "Nanjing University | of Aeronautics" is not Nanjing University.
CONTINUATION_WORDS = frozenset({
    "of", "for", "and", "de", "del", "della", "degli", "di", "do", "da", "des", "du", "der", "fur", "at", "in",
    "y", "e", "et", "und", "on", "la", "le", "van", "voor", "zu",
})
# Folded words that may end the text before a name ("School of Medicine at the University of Utah").
LINK_WORDS = frozenset({"at", "in", "within", "affiliated", "to", "a", "an", "part"})

# Folded words that name no institution on their own: a name made only of these ("University of Technology",
# "Engineering") must fill its whole segment, or "Toyohashi University of Technology" would match it.
GENERIC_WORDS = DEPARTMENT_WORDS | CONTINUATION_WORDS | frozenset({
    "university", "universidad", "universite", "universitat", "universita", "universidade", "universiteit",
    "technology", "science", "national", "medical", "medicine", "engineering", "hospital", "academy", "state",
    "general", "health", "international", "polytechnic", "higher", "studies", "advanced", "applied", "arts",
    "humanities", "social", "natural", "cancer", "mental", "public", "foundation", "society", "central",
    "technical", "agricultural", "agriculture", "biology", "chemistry", "physics", "mathematics", "economics",
    "management", "education", "children", "childrens", "womens", "clinical", "biomedical", "molecular",
    "cell", "neuroscience", "information", "computer", "environmental", "marine", "federal", "city", "new",
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "first", "second", "third",
    "people", "peoples", "regional", "county", "district", "provincial", "municipal", "royal", "catholic",
    "open", "free", "laboratory", "museum", "library", "trust", "council", "ministry", "agency",
})

# Folded words of French / European research-unit codes written after an institution ("CNRS UMR 5229").
UNIT_CODE_WORDS = frozenset({"umr", "u", "usr", "ums", "upr", "ur", "ea", "fr", "ird", "uar", "umi", "irl",
                             "erl", "cnrs", "inserm", "inrae", "inra", "cea", "unit", "n", "no"})

# Folded words that say "this is an organisation" (a partial match after a unit prefix must contain one).
INSTITUTION_WORDS = frozenset({
    "university", "universidad", "universite", "universitat", "universita", "universidade", "universiteit",
    "universitet", "uniwersytet", "universitas", "universiti", "univerzita", "univerza", "universitatea",
    "universitetet", "egyetem", "yliopisto", "institute", "institut", "instituto", "istituto", "college", "academy",
    "academie", "akademie", "hospital", "hopital", "klinikum", "clinic", "center", "centre", "centro", "school",
    "laboratory", "laboratories", "foundation", "council", "agency", "museum", "society", "observatory",
    "organization", "organisation", "corporation", "company", "inc", "limited", "gmbh", "trust", "ministry",
    "polytechnic", "politecnico", "hochschule", "ecole", "escuela", "escola", "service", "authority", "bureau",
    "administration", "office", "network", "consortium", "association", "station", "garden", "library",
})

# Folded last words of an academic unit named after its institution ("Brown University | Warren Alpert Medical
# School", "University of Chicago | Neuroscience Institute", "Zhejiang University | School of Medicine"). Hospitals,
# medical and health-science centres are left out on purpose: ROR lists them as institutions of their own
# ("University of Mississippi Medical Center", "Aarhus University Hospital"), so the university is not their answer.
UNIT_TAIL_WORDS = frozenset({
    "institute", "institut", "instituto", "school", "college", "faculty", "laboratory", "laboratories",
    "program", "programme", "department", "division", "campus", "institutes", "facility",
})
# Folded legal-form words written after a company or association name ("Genentech Inc", "Forschungszentrum
# Jülich GmbH", "... e. V.").
LEGAL_FORM_WORDS = frozenset({
    "inc", "incorporated", "limited", "llc", "gmbh", "ag", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "plc",
    "corporation", "co", "company", "kk", "ev", "e", "v", "ggmbh", "ab", "as", "oy", "pty", "lp", "llp",
})

# Folded articles that may stand before a name ("Les Laboratoires Servier", "Die Universität ...").
ARTICLES = frozenset({"les", "la", "le", "l", "los", "las", "el", "il", "lo", "die", "der", "das", "het"})

# Folded street words of addresses written after a name, next to a house number ("39E Rue Camille Guérin").
ADDRESS_WORDS = frozenset({
    "rue", "avenue", "av", "ave", "boulevard", "blvd", "bd", "street", "road", "rd", "lane", "drive", "way",
    "place", "square", "plaza", "via", "viale", "piazza", "corso", "calle", "avenida", "rua", "praca", "paseo",
    "platz", "allee", "chemin", "route", "straat", "laan", "gade", "vej", "ulica", "box", "po", "bp", "cp",
})

# CJK unit suffixes that may follow an institution name ("東京大学 | 大学院工学系研究科").
CJK_LOCATION_ENDINGS = ("市", "省", "区", "县", "州", "都", "府", "国", "法人", "自治区", "号", "路", "街", "楼", "室",
                        "丁目", "番地", "町", "村", "県", "道")
# A CJK name ending like a place (東京都, 北京市) inside a longer run is an address, not an institution.
CJK_PLACE_SUFFIXES = ("都", "道", "府", "県", "县", "市", "区", "町", "村", "省", "州")


__all__ = [
    "ADDRESS_WORDS",
    "ARTICLES",
    "CJK_LOCATION_ENDINGS",
    "CJK_PLACE_SUFFIXES",
    "CONTINUATION_WORDS",
    "DEPARTMENT_WORDS",
    "GENERIC_WORDS",
    "INSTITUTION_WORDS",
    "LEGAL_FORM_WORDS",
    "LINK_WORDS",
    "UNIT_CODE_WORDS",
    "UNIT_TAIL_WORDS",
]
