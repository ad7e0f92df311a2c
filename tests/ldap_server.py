"""A real OpenLDAP server (Debian's slapd) with a throwaway tree, for the directory-login tests:
ldap:// with StartTLS on one port, LDAPS on another.

Its own certificate authority signs the server's certificate; slapd refuses every operation
without TLS (`security tls=1`), so a test passes only if the app really speaks StartTLS and
checks the certificate against LDAP_CA_FILE.

The tree: staff in ou=people (one disabled, one in no mapped group), groups in ou=groups,
and a look-up account that may read but not write.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import socket
import subprocess
import time
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

SUFFIX = "dc=protokoll,dc=test"
LOOKUP_DN = f"cn=lookup,{SUFFIX}"
LOOKUP_PASSWORD = "lookup-secret"  # noqa: S105 (throwaway test tree)
PASSWORD = "Verzeichnis-2026!"  # noqa: S105 (every test person's directory password)

#: uid → (full name, e-mail, groups, disabled)
PEOPLE = {
    "anna": ("Anna Amtmann", "anna.amtmann@berlin.test", ["protokoll-referat"], False),
    "emil": ("Emil Exil", "emil.exil@berlin.test", ["protokoll-emigration"], False),
    "lea": ("Lea Leitung", "lea.leitung@berlin.test", ["protokoll-leitung", "protokoll-referat"], False),
    "dora": ("Dora Draußen", "dora.draussen@berlin.test", ["protokoll-referat"], True),
    "kurt": ("Kurt Kantine", "kurt.kantine@berlin.test", ["kantine"], False),
}
GROUP_ROLES = {
    f"cn=protokoll-referat,ou=groups,{SUFFIX}": "officer",
    f"cn=protokoll-leitung,ou=groups,{SUFFIX}": ["manager"],
    f"cn=protokoll-emigration,ou=groups,{SUFFIX}": "emigration",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A CA and a server certificate for 127.0.0.1 signed by it: (ca, cert, key) files."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Protokoll Test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
          .not_valid_after(now + datetime.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                        x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                           serialization.NoEncryption()))
    paths[2].chmod(0o600)
    return paths


def _tree() -> str:
    entries = [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: protokoll\no: Protokoll Test\n",
        f"dn: {LOOKUP_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: lookup\n"
        f"userPassword: {LOOKUP_PASSWORD}\n",
        f"dn: ou=people,{SUFFIX}\nobjectClass: organizationalUnit\nou: people\n",
        f"dn: ou=groups,{SUFFIX}\nobjectClass: organizationalUnit\nou: groups\n",
    ]
    members: dict[str, list[str]] = {}
    for uid, (name, mail, groups, disabled) in PEOPLE.items():
        dn = f"uid={uid},ou=people,{SUFFIX}"
        entries.append(f"dn: {dn}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {name}\nsn: {name.split()[-1]}\n"
                       f"displayName: {name}\nmail: {mail}\nuserPassword: {PASSWORD}\n"
                       + ("employeeType: disabled\n" if disabled else ""))
        for group in groups:
            members.setdefault(group, []).append(dn)
    for group, dns in members.items():
        entries.append(f"dn: cn={group},ou=groups,{SUFFIX}\nobjectClass: groupOfNames\ncn: {group}\n"
                       + "".join(f"member: {dn}\n" for dn in dns))
    return "\n".join(entries)


class DirectoryServer:
    """slapd on a free port of 127.0.0.1 (StartTLS required), started and stopped by the tests."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = _free_port()
        self.ldaps_port = _free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> DirectoryServer:
        ca, cert, key = _certificates(self.folder)
        self.ca_file = ca
        (self.folder / "db").mkdir(exist_ok=True)
        conf = self.folder / "slapd.conf"
        conf.write_text("\n".join([
            *(f"include /etc/ldap/schema/{s}.schema" for s in ("core", "cosine", "inetorgperson", "nis")),
            f"pidfile {self.folder / 'slapd.pid'}",
            "modulepath /usr/lib/ldap", "moduleload back_mdb",
            f"TLSCACertificateFile {ca}", f"TLSCertificateFile {cert}", f"TLSCertificateKeyFile {key}",
            "security tls=1",
            "database mdb", f'suffix "{SUFFIX}"', f'rootdn "cn=admin,{SUFFIX}"', "rootpw admin-secret",
            f"directory {self.folder / 'db'}",
            "access to attrs=userPassword by anonymous auth by self read by * none",
            f'access to * by dn.exact="{LOOKUP_DN}" read by self read by * none',
        ]) + "\n")
        (self.folder / "tree.ldif").write_text(_tree())
        subprocess.run(["/usr/sbin/slapadd", "-f", str(conf), "-l", str(self.folder / "tree.ldif")],
                       check=True, capture_output=True)
        self.process = subprocess.Popen(
            ["/usr/sbin/slapd", "-f", str(conf), "-h",
             f"ldap://127.0.0.1:{self.port}/ ldaps://127.0.0.1:{self.ldaps_port}/", "-d", "0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"slapd ended: {self.process.stderr.read().decode()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("slapd did not answer within 15 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def settings(self) -> dict:
        """The app's LDAP_* settings for this tree (what the README shows for OpenLDAP)."""
        return {
            "LDAP_URL": f"ldap://127.0.0.1:{self.port}",
            "LDAP_CA_FILE": str(self.ca_file),
            "LDAP_BIND_DN": LOOKUP_DN,
            "LDAP_BIND_PASSWORD": LOOKUP_PASSWORD,
            "LDAP_USER_BASE": f"ou=people,{SUFFIX}",
            "LDAP_USER_FILTER": "(&(objectClass=inetOrgPerson)(mail={email}))",
            "LDAP_ACTIVE_FILTER": "(!(employeeType=disabled))",
            "LDAP_GROUP_BASE": f"ou=groups,{SUFFIX}",
            "LDAP_GROUP_FILTER": "(&(objectClass=groupOfNames)(member={dn}))",
            "LDAP_GROUP_ROLES": json.dumps(GROUP_ROLES),
            "LDAP_NAME_ATTRIBUTE": "displayName",
            "LDAP_TIMEOUT_SECONDS": 3,
        }
