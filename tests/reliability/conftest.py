"""The reliability suite reuses the web tests' Django set-up and fixtures (users of every role, a screener)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_NAME = "techguard_tests_web_conftest"
if _NAME not in sys.modules:
    _spec = importlib.util.spec_from_file_location(_NAME, Path(__file__).resolve().parents[1] / "web" / "conftest.py")
    assert _spec is not None and _spec.loader is not None
    _module = importlib.util.module_from_spec(_spec)
    sys.modules[_NAME] = _module
    _spec.loader.exec_module(_module)
_web = sys.modules[_NAME]

_screener = _web._screener
departments = _web.departments
users = _web.users
make_case = _web.make_case
login = _web.login
make_user = _web.make_user
