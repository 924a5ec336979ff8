"""Research security: institution registry (ROR), affiliation resolution, designations and assessments,
disclosures, and declared-vs-observed reconciliation. Plain typed Python; no Django.

Typical use::

    registry = load_registry("ror-data.zip")
    resolver = Resolver(registry)
    resolver.resolve("Dept. of Physics, Harbin Inst. of Tech., Harbin 150001, China")

With imported lists and the cached index of the data directory: ``open_resolver(config.data_dir())``.
"""

from techguard.research.designations import DesignationBook, ListedEntry, read_list
from techguard.research.disclosures import Disclosure, disclosure_from_json, load_disclosure, validate
from techguard.research.index import NameIndex, build_index, load_or_build_index
from techguard.research.publications import (
    ObservedAffiliation,
    fetch_observations,
    iter_observations,
    read_observations,
)
from techguard.research.reconcile import DeclaredAffiliation, Flag, ReviewState, Triage, reconcile, review
from techguard.research.registry import Institution, Registry
from techguard.research.resolver import Membership, Resolution, Resolver
from techguard.research.ror import load_registry
from techguard.research.store import RegistryMissing, import_registry, open_resolver

__all__ = [
    "DeclaredAffiliation",
    "DesignationBook",
    "Disclosure",
    "Flag",
    "Institution",
    "ListedEntry",
    "Membership",
    "NameIndex",
    "ObservedAffiliation",
    "Registry",
    "RegistryMissing",
    "Resolution",
    "Resolver",
    "ReviewState",
    "Triage",
    "build_index",
    "disclosure_from_json",
    "fetch_observations",
    "import_registry",
    "iter_observations",
    "load_disclosure",
    "load_or_build_index",
    "load_registry",
    "open_resolver",
    "read_list",
    "read_observations",
    "reconcile",
    "review",
    "validate",
]
