"""Imports every format module so each registers itself. Add new format modules here."""

from techguard.lists.formats import un  # noqa: F401
from techguard.lists.formats import ofac  # noqa: F401
from techguard.lists.formats import simple_csv  # noqa: F401
from techguard.lists.formats import ftm  # noqa: F401
from techguard.lists.formats import meti_eul  # noqa: F401
from techguard.lists.formats import csl  # noqa: F401
from techguard.lists.formats import mofcom  # noqa: F401
from techguard.lists.formats import dpl  # noqa: F401
from techguard.lists.formats import meti_ban  # noqa: F401
from techguard.lists.formats import uk_conlist  # noqa: F401
from techguard.lists.formats import eu_fsf  # noqa: F401
from techguard.lists.formats import mof_jp  # noqa: F401
from techguard.lists.formats import uk_sanctions  # noqa: F401
