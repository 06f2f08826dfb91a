#!/bin/bash
# Set up a site's hub on Debian / Raspberry Pi OS: users, folders, broker files, TLS,
# Mosquitto's configuration and the systemd units, each file readable by whom needs it.
#
#   sudo deploy/setup-hub.sh --config config/townhall.yaml --host loket-hub.local --host 10.20.0.2
#
# Run as root from the checkout (/opt/loket, with `make venv` done). Safe to run again: an
# edited /etc/loket/site.yaml is kept; other --host names re-issue the broker's certificate
# under the same CA. The steps and why each permission is what it is: deploy/PROVISIONING.md.
# Tests set LOKET_PREFIX (install under that folder, start nothing) and LOKET_VENV.
set -euo pipefail

usage() {
    echo "usage: $0 --config SITE.yaml --host NAME [--host NAME ...]" >&2
    exit 2
}

config=""
hosts=()
while [ $# -gt 0 ]; do
    case "$1" in
        --config) config="${2:?}"; shift 2 ;;
        --host) hosts+=("${2:?}"); shift 2 ;;
        *) usage ;;
    esac
done
[ -n "$config" ] && [ "${#hosts[@]}" -gt 0 ] || usage
[ "$(id -u)" -eq 0 ] || { echo "$0: run as root (sudo)" >&2; exit 1; }
id -u mosquitto >/dev/null 2>&1 || { echo "$0: install mosquitto first" >&2; exit 1; }

root="${LOKET_PREFIX:-}"
venv="${LOKET_VENV:-/opt/loket/.venv}"
deploy="$(cd "$(dirname "$0")" && pwd)"
loket="$venv/bin/loket"
etc="$root/etc/loket"
data="$root/var/lib/loket"
site="$("$venv/bin/python" -c 'import sys; from siteconfig import load_site
print(load_site(sys.argv[1]).id)' "$config")"

# 1. The loket user runs the hub and the live page; Mosquitto's user comes with its package.
id -u loket >/dev/null 2>&1 ||
    useradd --system --home-dir /var/lib/loket --no-create-home --shell /usr/sbin/nologin loket

# 2. Folders. /etc/loket is readable by all (Mosquitto passes through it to its TLS files);
#    the site file is for loket. /var/lib/loket is loket's, and Mosquitto may enter it only
#    to read broker/, which the hub writes (setgid: the files get the group mosquitto).
install -d -o root -g root -m 0755 "$etc" "$root/etc/mosquitto/conf.d"
[ -e "$etc/site.yaml" ] || install -o root -g loket -m 0640 "$config" "$etc/site.yaml"
install -d -o loket -g mosquitto -m 0750 "$data"
install -d -o loket -g mosquitto -m 2750 "$data/broker"
install -d -o mosquitto -g mosquitto -m 0750 "$root/var/lib/mosquitto"

# 3. Every device's broker credential and ACL, from the site file, the service accounts
#    (hub, provisioning, admin, web) and the site's broker options (loket-site.conf); the
#    hub (loket) keeps them up to date afterwards, so they become its files.
"$loket" provision init --config "$etc/site.yaml" --data "$data/provisioning" \
    --broker-dir "$data/broker" >/dev/null
chown -R loket:loket "$data/provisioning"
chown loket:mosquitto "$data/broker/passwd" "$data/broker/acl" "$data/broker/loket-site.conf"

# 4. The site's CA and the broker's certificate. The CA key stays root's; Mosquitto's group
#    reads the broker's key; the CA certificate is copied where the hub can read it.
host_args=()
for host in "${hosts[@]}"; do host_args+=(--host "$host"); done
"$loket" provision tls --out "$etc/tls" --site "$site" "${host_args[@]}" >/dev/null
chgrp mosquitto "$etc/tls" "$etc/tls/broker.key"
chmod 0750 "$etc/tls"
chmod 0640 "$etc/tls/broker.key"
install -o root -g root -m 0644 "$etc/tls/ca.pem" "$etc/ca.pem"

# 5. Mosquitto's configuration, all in conf.d (Mosquitto reads include_dir only in its main
#    file): loopback and the broker files, the TLS listeners (8883 for enrolled devices, 8884
#    for enrolment), the site's options (client-id prefix, message size); and the units,
#    with this machine's paths and host name (loket-web is installed, not enabled: it wants
#    the reverse proxy first).
place() {
    sed -e "s#/opt/loket/.venv#$venv#g" -e "s#/etc/loket#$etc#g" \
        -e "s#/var/lib/#$root/var/lib/#g" -e "s#loket-hub.local:8883#${hosts[0]}:8883#g" \
        "$deploy/$1" >"$2"
    chmod 0644 "$2"
}
units="$root/etc/systemd/system"
install -d -m 0755 "$units" "$units/loket-hub.service.d"
place mosquitto-loket-provisioned.conf "$root/etc/mosquitto/conf.d/loket.conf"
install -o root -g root -m 0644 "$etc/tls/mosquitto-tls.conf" \
    "$root/etc/mosquitto/conf.d/loket-tls.conf"
install -o root -g root -m 0644 "$data/broker/loket-site.conf" \
    "$root/etc/mosquitto/conf.d/loket-site.conf"
for unit in loket-hub.service loket-web.service loket-broker-reload.path \
    loket-broker-reload.service; do
    place "$unit" "$units/$unit"
done
place loket-hub-provisioning.conf "$units/loket-hub.service.d/loket-hub-provisioning.conf"

# 6. Start (not in a test's prefix: there is no systemd there).
if [ -z "$root" ]; then
    systemctl daemon-reload
    systemctl enable --now loket-broker-reload.path
    systemctl restart mosquitto
    systemctl enable loket-hub
    systemctl restart loket-hub
fi
echo "hub of site $site set up; the broker's certificate is for: ${hosts[*]}"
