"""A site's own certificate authority, the broker's certificate and its TLS listener.

`loket provision tls --out DIR --site SITE --host NAME…` writes:
ca.pem, ca.key (keep it on the hub, owner-only), broker.pem, broker.key, and
mosquitto-tls.conf (a listener on 8883 for enrolled devices, each logged in with its own
credentials and bound to its client id, and one on 8884 for enrolment: the only place a
client without credentials may connect). Enrolment hands ca.pem to each device,
which then checks the broker against it. Run it again with other hosts to re-issue the
broker's certificate under the same CA; the CA is only replaced with --force.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from provisioning.files import private_dir, write_atomic

CA_CERT, CA_KEY = "ca.pem", "ca.key"
BROKER_CERT, BROKER_KEY = "broker.pem", "broker.key"
LISTENER = "mosquitto-tls.conf"
#: Always in the broker's certificate, so the hub (and the tests) can use loopback.
LOOPBACK = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class Issued:
    """A certificate and its private key."""

    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    def cert_pem(self) -> bytes:
        """The certificate as PEM."""
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def key_pem(self) -> bytes:
        """The private key as unencrypted PKCS#8 PEM."""
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def _name(common: str, site: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Loket"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, site),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def make_ca(site: str, now: datetime, days: int = 3650) -> Issued:
    """A new certificate authority for one site."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(f"Loket CA {site}", site)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(cert, key)


def _alt_names(hosts: list[str]) -> list[x509.GeneralName]:
    names: list[x509.GeneralName] = []
    for host in dict.fromkeys([*hosts, *LOOPBACK]):
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    return names


def issue(
    ca: Issued,
    common: str,
    site: str,
    now: datetime,
    *,
    hosts: list[str] | None = None,
    client: bool = False,
    days: int = 825,
) -> Issued:
    """A certificate signed by `ca`: a server's (with `hosts` as names) or a client's."""
    key = ec.generate_private_key(ec.SECP256R1())
    usage = ExtendedKeyUsageOID.CLIENT_AUTH if client else ExtendedKeyUsageOID.SERVER_AUTH
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common, site))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False
        )
    )
    if not client:
        builder = builder.add_extension(
            x509.SubjectAlternativeName(_alt_names(hosts or [])), critical=False
        )
    return Issued(builder.sign(ca.key, hashes.SHA256()), key)


def load(cert_path: Path, key_path: Path) -> Issued:
    """A certificate and key from PEM files."""
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{key_path}: not an EC private key")
    return Issued(cert, key)


#: The TLS listener for enrolment (anonymous clients), beside the devices' on 8883.
ENROL_PORT = 8884


def listener_conf(
    folder: Path, port: int = 8883, bind: str | None = None, enrol_port: int | None = ENROL_PORT
) -> str:
    """Mosquitto's TLS listeners using the files in `folder`: the devices' (credentials
    only, the username is the client id) and, unless None, the enrolment one."""
    text = _tls_listener(folder, port, bind) + "use_username_as_clientid true\n"
    if enrol_port is not None:
        text += "# Enrolment: anonymous clients may ask for a pairing code, nothing else.\n"
        text += _tls_listener(folder, enrol_port, bind)
    return text


def _tls_listener(folder: Path, port: int, bind: str | None) -> str:
    where = f"{port} {bind}" if bind else f"{port}"
    return (
        f"listener {where}\n"
        f"cafile {folder / CA_CERT}\n"
        f"certfile {folder / BROKER_CERT}\n"
        f"keyfile {folder / BROKER_KEY}\n"
        "tls_version tlsv1.2\n"
    )


def provision_tls(
    out: str | os.PathLike[str],
    site: str,
    hosts: list[str],
    *,
    now: datetime | None = None,
    force: bool = False,
    port: int = 8883,
    enrol_port: int | None = ENROL_PORT,
    devices: list[str] | None = None,
) -> list[Path]:
    """Write (or reuse) the site's CA, issue the broker's certificate, write the listener."""
    now = now or datetime.now(UTC)
    folder = private_dir(out, 0o750)
    ca_cert, ca_key = folder / CA_CERT, folder / CA_KEY
    if ca_cert.exists() and ca_key.exists() and not force:
        ca = load(ca_cert, ca_key)
    else:
        ca = make_ca(site, now)
        write_atomic(ca_key, ca.key_pem(), 0o600)
        write_atomic(ca_cert, ca.cert_pem(), 0o644)
    broker = issue(ca, hosts[0] if hosts else "localhost", site, now, hosts=hosts)
    written = [ca_cert, ca_key]
    written.append(write_atomic(folder / BROKER_KEY, broker.key_pem(), 0o640))
    written.append(write_atomic(folder / BROKER_CERT, broker.cert_pem(), 0o644))
    written.append(
        write_atomic(folder / LISTENER, listener_conf(folder, port, enrol_port=enrol_port), 0o644)
    )
    for device in devices or []:
        issued = issue(ca, device, site, now, client=True)
        written.append(write_atomic(folder / f"{device}.key", issued.key_pem(), 0o600))
        written.append(write_atomic(folder / f"{device}.pem", issued.cert_pem(), 0o644))
    return written
