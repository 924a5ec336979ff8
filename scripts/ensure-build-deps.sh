#!/usr/bin/env bash
# System packages the Python install, the single sign-on tests and the PDFs need (fonts-ipaexfont-gothic: the
# CJK font embedded in memos and 該非判定書); libldap-dev and libsasl2-dev (python-ldap
# compiles against them: the ldap extra) and xmlsec1 (pysaml2 checks SAML signatures with it). Installs them from
# apt where missing when run as root; otherwise says what is missing.
set -euo pipefail
missing=()
for pkg in libldap-dev libsasl2-dev xmlsec1 fonts-ipaexfont-gothic; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} = 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "warning: missing ${missing[*]} (apt-get install ${missing[*]}); LDAP and SAML-signature tests are skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
