#!/usr/bin/env bash
# fixgate-dev-certs.sh: makes a development CA, a gateway (server) certificate for localhost and 127.0.0.1,
# and client certificates with the given subject CNs, with the openssl CLI. For development and tests only:
# production certificates come from your own PKI. Nothing is ever written under config/.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: tools/certs/fixgate-dev-certs.sh [--dir DIR] [--days N] [--client CN]...

Makes, in DIR (default: var/certs, created if missing; git-ignored):
  ca.pem, ca.key            a development CA (the file for fix.tls.ca_file and fixgate-client --tls-ca)
  server.pem, server.key    the gateway's certificate for localhost / 127.0.0.1 / ::1
                            (fix.tls.certificate_file and fix.tls.private_key_file)
  client-CN.pem, client-CN.key
                            one client certificate per --client CN (fixgate-client --tls-cert/--tls-key;
                            the CN is what a session's client_certificate_cn names)
Keys are RSA 2048 (QuickFIX 1.15.1 loads RSA and DSA keys only) and mode 0600. Existing files are replaced;
an existing CA is reused, so certificates made earlier keep verifying.

Options:
  --dir DIR     output directory (refused when it is under config/)
  --days N      validity in days (default 30, at most 825)
  --client CN   make a client certificate with this subject CN (letters, digits, '.', '_', '-'); repeatable
  -h, --help    this text
USAGE
}

dir="var/certs"
days=30
clients=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --dir) dir="${2:?--dir needs a directory}"; shift 2 ;;
    --days) days="${2:?--days needs a number}"; shift 2 ;;
    --client) clients+=("${2:?--client needs a CN}"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "error: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

if ! [[ "$days" =~ ^[0-9]+$ ]] || (( days < 1 || days > 825 )); then
  echo "error: --days must be 1 to 825, got '$days'" >&2; exit 2
fi
for cn in "${clients[@]}"; do
  if ! [[ "$cn" =~ ^[A-Za-z0-9._-]{1,64}$ ]]; then
    echo "error: client CN '$cn' must be 1 to 64 letters, digits, '.', '_' or '-'" >&2; exit 2
  fi
done
command -v openssl >/dev/null || { echo "error: the openssl command is not installed" >&2; exit 1; }

abs_dir="$(realpath -m "$dir")"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
case "$abs_dir/" in
  "$repo_root/config/"*) echo "error: refusing to write keys under config/ ($abs_dir): use var/certs" >&2; exit 2 ;;
esac
mkdir -p "$abs_dir"
umask 077
tmp="$(mktemp -d "$abs_dir/.tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

newKey() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null; chmod 600 "$1"; }

# sign NAME SUBJECT_CN EXTENSIONS: NAME.key and NAME.pem signed by the CA.
sign() {
  local name="$1" cn="$2" ext="$3"
  newKey "$tmp/$name.key"
  openssl req -new -key "$tmp/$name.key" -subj "/O=fixgate development/CN=$cn" -out "$tmp/$name.csr" 2>/dev/null
  printf '%s\n' "$ext" > "$tmp/$name.ext"
  openssl x509 -req -in "$tmp/$name.csr" -CA "$abs_dir/ca.pem" -CAkey "$abs_dir/ca.key" -set_serial "0x$(openssl rand -hex 16)" \
    -days "$days" -sha256 -extfile "$tmp/$name.ext" -out "$tmp/$name.pem" 2>/dev/null
  mv -f "$tmp/$name.key" "$abs_dir/$name.key"
  mv -f "$tmp/$name.pem" "$abs_dir/$name.pem"
  chmod 644 "$abs_dir/$name.pem"
}

if [[ ! -s "$abs_dir/ca.pem" || ! -s "$abs_dir/ca.key" ]]; then
  newKey "$tmp/ca.key"
  openssl req -x509 -new -key "$tmp/ca.key" -sha256 -days "$days" -subj "/O=fixgate development/CN=fixgate development CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$tmp/ca.pem"
  mv -f "$tmp/ca.key" "$abs_dir/ca.key"
  mv -f "$tmp/ca.pem" "$abs_dir/ca.pem"
  chmod 644 "$abs_dir/ca.pem"
  echo "made the development CA: $abs_dir/ca.pem"
fi

sign server localhost "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"
echo "made the gateway certificate: $abs_dir/server.pem (key server.key)"

for cn in "${clients[@]}"; do
  sign "client-$cn" "$cn" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
  echo "made the client certificate for CN $cn: $abs_dir/client-$cn.pem (key client-$cn.key)"
done
