"""Single sign-on without a network: OIDC through the real callback with a mocked token and userinfo endpoint,
SAML through the backend djangosaml2 calls after checking the response (and the SP metadata page), LDAP with a
mocked directory connection. New SSO users are researchers; the department comes from an attribute."""

from __future__ import annotations

import gc
import time
import warnings
from collections.abc import Iterator
from typing import Any
from unittest import mock
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory

from techguard.web.accounts import sso_settings
from techguard.web.accounts.account_urls import sso_urlpatterns
from techguard.web.audit.models import AuditEvent
from techguard.web.urls import urlpatterns as _base

pytestmark = [
    pytest.mark.django_db,
    # pysaml2's IdP side (used here to answer our SP) still imports cryptography's CFB mode from its old place
    pytest.mark.filterwarnings("ignore:CFB has been moved:cryptography.utils.CryptographyDeprecationWarning"),
]


@pytest.fixture(autouse=True)
def _collect_pysaml2_temp_files() -> Iterator[None]:
    """pysaml2 leaves the temporary PEM files of its xmlsec1 calls open in reference cycles; collect them here,
    quietly, rather than at some later test's garbage collection."""
    yield
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


urlpatterns = [*_base, *sso_urlpatterns(["oidc", "saml"])]  # this module is the URLconf of the SSO tests

CLIENT_SECRET = "an-oidc-client-secret-of-forty-bytes-xyz"
OIDC = {
    "OIDC_RP_CLIENT_ID": "techguard",
    "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example.ac.jp/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example.ac.jp/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.example.ac.jp/userinfo",
    "OIDC_RP_SIGN_ALGO": "HS256",
    "OIDC_RP_SCOPES": "openid email profile",
    "TECHGUARD_OIDC_DEPARTMENT_CLAIM": "department",
    "TECHGUARD_OIDC_USERNAME_CLAIM": "preferred_username",
}


class _Response:
    def __init__(self, payload: dict[str, Any]) -> None:
        self.payload, self.status_code, self.headers = payload, 200, {"content-type": "application/json"}

    def json(self) -> dict[str, Any]:
        return self.payload

    def raise_for_status(self) -> None:
        return None


def _oidc_sign_in(client: Client, claims: dict[str, Any], *, nonce_override: str | None = None) -> Any:
    import jwt

    start = client.get("/oidc/authenticate/")
    assert start.status_code == 302 and start["Location"].startswith("https://idp.example.ac.jp/authorize")
    query = parse_qs(urlparse(start["Location"]).query)
    state, nonce = query["state"][0], query["nonce"][0]
    id_token = jwt.encode({"iss": "https://idp.example.ac.jp", "aud": "techguard", "sub": claims["sub"],
                           "nonce": nonce_override or nonce, "exp": int(time.time()) + 300},
                          CLIENT_SECRET, algorithm="HS256")
    token = _Response({"id_token": id_token, "access_token": "access-1", "token_type": "Bearer"})
    with mock.patch("mozilla_django_oidc.auth.requests.post", return_value=token) as post, \
            mock.patch("mozilla_django_oidc.auth.requests.get", return_value=_Response(claims)) as get:
        response = client.get("/oidc/callback/", {"code": "the-code", "state": state})
    assert post.call_args.kwargs["data"]["code"] == "the-code"
    # the userinfo endpoint is asked only after the ID token passed its checks
    assert get.call_args is None or get.call_args.kwargs["headers"] == {"Authorization": "Bearer access-1"}
    response.userinfo_asked = get.called
    return response


@pytest.fixture()
def oidc(settings: Any) -> None:
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend",
                                        "techguard.web.accounts.sso.oidc.OidcBackend"]
    for key, value in OIDC.items():
        setattr(settings, key, value)


@pytest.mark.urls(__name__)
def test_oidc_sign_in_creates_a_researcher_in_the_named_department(oidc, departments):
    client = Client()
    claims = {"sub": "u-1", "email": "hanako@example.ac.jp", "preferred_username": "hanako",
              "given_name": "Hanako", "family_name": "Suzuki", "department": "物理学科"}
    response = _oidc_sign_in(client, claims)
    assert response.status_code == 302 and response["Location"] == "/" and response.userinfo_asked
    user = get_user_model().objects.get(username="hanako")
    assert (user.email, user.first_name, user.has_usable_password()) == ("hanako@example.ac.jp", "Hanako", False)
    assert (user.profile.role, user.profile.department.name) == ("researcher", "Physics")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.get("/").status_code == 200
    created = AuditEvent.objects.get(action="user.created", object_id=str(user.pk))
    assert created.changes["method"] == "oidc" and created.changes["role"] == "researcher"


@pytest.mark.urls(__name__)
def test_oidc_sign_in_of_an_officer_keeps_the_role(oidc, users):
    claims = {"sub": "u-2", "email": "olga@example.org", "department": "Chemistry"}
    client = Client()
    _oidc_sign_in(client, claims)
    olga = get_user_model().objects.get(username="olga")
    assert int(client.session["_auth_user_id"]) == olga.pk
    olga.profile.refresh_from_db()
    assert (olga.profile.role, olga.profile.department.name) == ("officer", "Chemistry")
    assert AuditEvent.objects.filter(action="user.department_changed", object_id=str(olga.pk)).exists()


@pytest.mark.urls(__name__)
def test_oidc_token_with_the_wrong_nonce_signs_nobody_in(oidc, departments):
    client = Client(raise_request_exception=False)
    response = _oidc_sign_in(client, {"sub": "u-3", "email": "eve@example.ac.jp"}, nonce_override="replayed")
    assert response.status_code == 400  # Django's answer to SuspiciousOperation("JWT Nonce verification failed")
    assert not response.userinfo_asked
    assert "_auth_user_id" not in client.session
    assert not get_user_model().objects.filter(email="eve@example.ac.jp").exists()


# --- SAML (学認 / Shibboleth) ---

SAML_MAPPING = {"eduPersonPrincipalName": ("username",), "mail": ("email",), "givenName": ("first_name",),
                "sn": ("last_name",)}


def _session_info(**ava: list[str]) -> dict[str, Any]:
    """What djangosaml2 hands the backend once pysaml2 has checked the response's signature."""
    return {"issuer": "https://idp.example.ac.jp/idp/shibboleth", "ava": ava, "name_id": None}


def test_saml_sign_in_creates_a_researcher_with_the_gakunin_attributes(settings, departments):
    settings.AUTHENTICATION_BACKENDS = ["techguard.web.accounts.sso.saml.SamlBackend"]
    settings.SAML_DJANGO_USER_MAIN_ATTRIBUTE = "username"
    settings.TECHGUARD_SAML_DEPARTMENT_ATTRIBUTE = "jaou,ou"
    request = RequestFactory().post("/saml2/acs/")
    user = authenticate(request, session_info=_session_info(
        eduPersonPrincipalName=["t-yamada@example.ac.jp"], mail=["t.yamada@example.ac.jp"], givenName=["Taro"],
        sn=["Yamada"], jaou=["化学科"], ou=["Department of Chemistry"]), attribute_mapping=SAML_MAPPING,
        create_unknown_user=True)
    assert user is not None and user.username == "t-yamada@example.ac.jp"
    assert (user.email, user.last_name) == ("t.yamada@example.ac.jp", "Yamada")
    assert (user.profile.role, user.profile.department.name) == ("researcher", "Chemistry")


def test_saml_unknown_department_is_created_only_when_allowed(settings, departments):
    settings.AUTHENTICATION_BACKENDS = ["techguard.web.accounts.sso.saml.SamlBackend"]
    settings.SAML_DJANGO_USER_MAIN_ATTRIBUTE = "username"
    settings.TECHGUARD_SAML_DEPARTMENT_ATTRIBUTE = "ou"
    request = RequestFactory().post("/saml2/acs/")
    first = authenticate(request, session_info=_session_info(eduPersonPrincipalName=["a@x.ac.jp"], ou=["Biology"]),
                         attribute_mapping=SAML_MAPPING)
    assert first.profile.department is None
    settings.TECHGUARD_SSO_CREATE_DEPARTMENTS = True
    second = authenticate(request, session_info=_session_info(eduPersonPrincipalName=["b@x.ac.jp"], ou=["Biology"]),
                          attribute_mapping=SAML_MAPPING)
    assert second.profile.department.name == "Biology"


def _key_and_cert(tmp_path: Any) -> tuple[str, str]:
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "techguard-sp")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + timedelta(days=30))
            .sign(key, hashes.SHA256()))
    key_file, cert_file = tmp_path / "sp.key", tmp_path / "sp.crt"
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(key_file), str(cert_file)


IDP_METADATA = """<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.ac.jp/idp/shibboleth">
 <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
  <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
   Location="https://idp.example.ac.jp/idp/profile/SAML2/Redirect/SSO"/>
 </md:IDPSSODescriptor>
</md:EntityDescriptor>"""


def _saml_env(monkeypatch: Any, tmp_path: Any) -> None:
    key, cert = _key_and_cert(tmp_path)
    metadata = tmp_path / "idp.xml"
    metadata.write_text(IDP_METADATA, encoding="utf-8")
    monkeypatch.setenv("TECHGUARD_SAML_IDP_METADATA", str(metadata))
    monkeypatch.setenv("TECHGUARD_SAML_SP_KEY", key)
    monkeypatch.setenv("TECHGUARD_SAML_SP_CERT", cert)


@pytest.mark.urls(__name__)
def test_saml_settings_from_the_environment_serve_metadata_and_redirect_to_the_idp(settings, monkeypatch, tmp_path):
    import shutil

    if not shutil.which("xmlsec1"):
        pytest.skip("xmlsec1 not installed (apt-get install xmlsec1)")
    _saml_env(monkeypatch, tmp_path)
    config = sso_settings.from_environment("https://tg.example.ac.jp")
    assert config.methods == ["saml"] and "djangosaml2" in config.apps
    assert config.backends == ["techguard.web.accounts.sso.saml.SamlBackend"]
    assert "djangosaml2.middleware.SamlSessionMiddleware" in config.middleware
    for key, value in config.values.items():
        setattr(settings, key, value)
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, *config.middleware]
    metadata = Client().get("/saml2/metadata/")
    assert metadata.status_code == 200
    text = metadata.content.decode()
    assert 'entityID="https://tg.example.ac.jp/saml2/metadata/"' in text
    assert "https://tg.example.ac.jp/saml2/acs/" in text and "X509Certificate" in text
    login = Client().get("/saml2/login/")
    assert login.status_code == 302
    assert login["Location"].startswith("https://idp.example.ac.jp/idp/profile/SAML2/Redirect/SSO?SAMLRequest=")


def test_saml_without_xmlsec1_is_a_clear_start_up_error(monkeypatch, tmp_path):
    _saml_env(monkeypatch, tmp_path)
    monkeypatch.setenv("TECHGUARD_SAML_XMLSEC1", str(tmp_path / "no-such-xmlsec1"))
    with pytest.raises(ImproperlyConfigured, match="apt-get install xmlsec1"):
        sso_settings.from_environment("https://tg.example.ac.jp")


def test_sso_methods_name_what_is_missing(monkeypatch):
    monkeypatch.setenv("TECHGUARD_OIDC_CLIENT_ID", "techguard")
    with pytest.raises(ImproperlyConfigured, match="TECHGUARD_OIDC_TOKEN_ENDPOINT"):
        sso_settings.from_environment("https://tg.example.ac.jp")
    for name in ("CLIENT_SECRET", "AUTHORIZATION_ENDPOINT", "TOKEN_ENDPOINT", "USERINFO_ENDPOINT"):
        monkeypatch.setenv(f"TECHGUARD_OIDC_{name}", "https://idp.example.ac.jp/x")
    with pytest.raises(ImproperlyConfigured, match="JWKS"):
        sso_settings.from_environment("https://tg.example.ac.jp")
    monkeypatch.setenv("TECHGUARD_OIDC_JWKS_ENDPOINT", "https://idp.example.ac.jp/jwks")
    assert sso_settings.from_environment("https://tg.example.ac.jp").methods == ["oidc"]
    with mock.patch("importlib.util.find_spec", return_value=None), \
            pytest.raises(ImproperlyConfigured, match=r"pip install 'techguard\[sso\]'"):
        sso_settings.from_environment("https://tg.example.ac.jp")


def test_nothing_configured_means_local_accounts_only(monkeypatch):
    for name in ("TECHGUARD_OIDC_CLIENT_ID", "TECHGUARD_SAML_IDP_METADATA", "TECHGUARD_LDAP_SERVER_URI"):
        monkeypatch.delenv(name, raising=False)
    config = sso_settings.from_environment("http://127.0.0.1:8000")
    assert (config.methods, config.backends, config.apps) == ([], [], [])
    assert b"sso-oidc" not in Client().get("/login/").content


def test_site_url_must_be_absolute(monkeypatch):
    monkeypatch.setenv("TECHGUARD_SITE_URL", "techguard.example.ac.jp")
    with pytest.raises(ImproperlyConfigured, match="TECHGUARD_SITE_URL"):
        sso_settings.site_url(True, ["techguard.example.ac.jp"])
    monkeypatch.delenv("TECHGUARD_SITE_URL")
    assert sso_settings.site_url(True, ["techguard.example.ac.jp"]) == "https://techguard.example.ac.jp"
    assert sso_settings.site_url(True, [".example.ac.jp"]) == "https://example.ac.jp"
    assert sso_settings.site_url(False, ["localhost"]) == "http://127.0.0.1:8000"


# --- a complete SAML exchange: our SP's AuthnRequest, answered by a pysaml2 IdP with a signed assertion ---

IDP_ENTITY = "https://idp.example.ac.jp/idp/shibboleth"
IDP_SSO = "https://idp.example.ac.jp/idp/profile/SAML2/Redirect/SSO"


def _idp_config(tmp_path: Any, sp_metadata: str | None) -> Any:
    import shutil

    from saml2 import BINDING_HTTP_REDIRECT
    from saml2.config import IdPConfig
    from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_TRANSIENT

    idp_dir = tmp_path / "idp"
    if not idp_dir.exists():  # one key pair per IdP: it signs, and the SP trusts it through the metadata
        idp_dir.mkdir()
        _key_and_cert(idp_dir)
    key, cert = str(idp_dir / "sp.key"), str(idp_dir / "sp.crt")
    config: dict[str, Any] = {
        "entityid": IDP_ENTITY,
        "xmlsec_binary": shutil.which("xmlsec1"),
        "service": {"idp": {
            "endpoints": {"single_sign_on_service": [(IDP_SSO, BINDING_HTTP_REDIRECT)]},
            "policy": {"default": {"lifetime": {"minutes": 15}, "attribute_restrictions": None,
                                   "name_form": NAME_FORMAT_URI}},
            "name_id_format": [NAMEID_FORMAT_TRANSIENT],
        }},
        "key_file": key, "cert_file": cert,
    }
    if sp_metadata is not None:
        config["metadata"] = {"inline": [sp_metadata]}
    return IdPConfig().load(config)


def _signed_response(tmp_path: Any, settings: Any, monkeypatch: Any, client: Client,
                     identity: dict[str, list[str]]) -> str:
    """Set the SP up against a freshly made IdP; return the base64 SAMLResponse answering the SP's request."""
    import base64
    import shutil

    from saml2 import BINDING_HTTP_REDIRECT
    from saml2.metadata import entity_descriptor
    from saml2.saml import NAMEID_FORMAT_TRANSIENT, NameID
    from saml2.server import Server

    if not shutil.which("xmlsec1"):
        pytest.skip("xmlsec1 not installed (apt-get install xmlsec1)")
    (tmp_path / "sp").mkdir()
    key, cert = _key_and_cert(tmp_path / "sp")
    idp_metadata = tmp_path / "idp-metadata.xml"
    # the same IdP key pair signs the assertion and is published in the metadata the SP trusts
    idp_config = _idp_config(tmp_path, None)
    idp_metadata.write_text(str(entity_descriptor(idp_config)), encoding="utf-8")
    monkeypatch.setenv("TECHGUARD_SAML_IDP_METADATA", str(idp_metadata))
    monkeypatch.setenv("TECHGUARD_SAML_SP_KEY", key)
    monkeypatch.setenv("TECHGUARD_SAML_SP_CERT", cert)
    monkeypatch.setenv("TECHGUARD_SSO_DEPARTMENT_ATTRIBUTE", "ou")
    config = sso_settings.from_environment("https://tg.example.ac.jp")
    for name, value in config.values.items():
        setattr(settings, name, value)
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, *config.middleware]
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend", *config.backends]
    sp_metadata = client.get("/saml2/metadata/").content.decode()
    server = Server(config=_idp_config(tmp_path, sp_metadata))
    # the SP's AuthnRequest (its id is kept in the SP's SAML session as an outstanding query)
    login = client.get("/saml2/login/", {"next": "/"})
    request_b64 = parse_qs(urlparse(login["Location"]).query)["SAMLRequest"][0]
    request = server.parse_authn_request(request_b64, BINDING_HTTP_REDIRECT).message
    response = server.create_authn_response(
        identity, in_response_to=request.id, destination=request.assertion_consumer_service_url,
        sp_entity_id=config.values["SAML_CONFIG"]["entityid"], userid=identity["eduPersonPrincipalName"][0],
        name_id=NameID(format=NAMEID_FORMAT_TRANSIENT, text="a1b2c3"),
        authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"},
        sign_assertion=True, sign_response=True)
    return base64.b64encode(str(response).encode()).decode()


@pytest.mark.urls(__name__)
def test_saml_signed_response_signs_in_a_new_researcher(settings, monkeypatch, tmp_path, departments):
    client = Client()
    saml_response = _signed_response(tmp_path, settings, monkeypatch, client, {
        "eduPersonPrincipalName": ["s-kato@example.ac.jp"], "mail": ["kato@example.ac.jp"], "givenName": ["Sho"],
        "sn": ["Kato"], "ou": ["物理学科"]})
    answer = client.post("/saml2/acs/", {"SAMLResponse": saml_response, "RelayState": "/"})
    assert answer.status_code == 302 and answer["Location"] == "/"
    user = get_user_model().objects.get(username="s-kato@example.ac.jp")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert (user.email, user.last_name, user.has_usable_password()) == ("kato@example.ac.jp", "Kato", False)
    assert (user.profile.role, user.profile.department.name) == ("researcher", "Physics")
    assert AuditEvent.objects.get(action="user.created", object_id=str(user.pk)).changes["method"] == "saml"


@pytest.mark.urls(__name__)
def test_saml_response_altered_after_signing_is_refused(settings, monkeypatch, tmp_path, departments):
    import base64

    client = Client()
    saml_response = _signed_response(tmp_path, settings, monkeypatch, client, {
        "eduPersonPrincipalName": ["mallory@example.ac.jp"], "mail": ["mallory@example.ac.jp"], "ou": ["Physics"]})
    forged = base64.b64decode(saml_response).decode().replace("mallory@example.ac.jp", "admin@example.ac.jp")
    answer = client.post("/saml2/acs/", {"SAMLResponse": base64.b64encode(forged.encode()).decode(),
                                         "RelayState": "/"})
    assert answer.status_code in {400, 403} and b'id="sso-error"' in answer.content
    assert "_auth_user_id" not in client.session
    assert not get_user_model().objects.filter(username__in=["admin@example.ac.jp", "mallory@example.ac.jp"]).exists()
