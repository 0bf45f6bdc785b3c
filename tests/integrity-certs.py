#!/usr/bin/python3
"""Certificates and CA-export rows whose names try to break the outputs.

usage: integrity-certs.py OUTDIR

Writes OUTDIR/NAME.pem (EC P-256, expiring in 3 days: CRITICAL, so every one
shows in the long output), OUTDIR/index.txt (an OpenSSL CA database with the
same kind of names) and OUTDIR/names.json (file -> the name as the plugin
should report it in JSON, for the names that are valid UTF-8).
The signatures do not matter to the plugin: invalid UTF-8 is patched into
the DER after signing.
"""
import datetime
import json
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
key = ec.generate_private_key(ec.SECP256R1())
now = datetime.datetime.now(datetime.timezone.utc)

NAMES = {
    "pipe": "a|b|c=1;2;3 | certificates=999;;;0",
    "crlf": "evil\r\nCERT_EXPIRY OK - injected\rX",
    "lf": "line1\nOK: fake.example expires never",
    "ansi": "\x1b[31mred\x1b[0m\x07bell\x1b]0;title\x07",
    "json": 'quote" back\\slash </script> \u2028 \u2029 {"x":1}',
    "nul": "nul\x00inside",
    "del": "del\x7fc1\u0085\u009b31m",
    "unicode": "M\u00fcller\u2013Zertifikat \u2713 \U0001f512",
    "badutf8": "badutf8-MARK-end",
}


def make(fname, cn, dns=None, serial=1):
    subject = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Integrity Test")]
    if cn is not None:
        subject.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    name = x509.Name(subject)
    b = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
         .public_key(key.public_key()).serial_number(serial)
         .not_valid_before(now - datetime.timedelta(days=1))
         .not_valid_after(now + datetime.timedelta(days=3, hours=12)))
    if dns:
        b = b.add_extension(x509.SubjectAlternativeName([x509.DNSName(d) for d in dns]),
                            critical=False)
    der = b.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
    return der


def pem(der):
    import base64
    b = base64.encodebytes(der).decode().replace("\n", "")
    lines = [b[i:i + 64] for i in range(0, len(b), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


truth = {}
serial = 100
for fname, cn in NAMES.items():
    serial += 1
    der = make(fname, cn, serial=serial)
    if fname == "badutf8":
        der = der.replace(b"MARK", b"\xff\xfe\xc0\x80")
        # read with U+FFFD for each byte that does not decode
        truth[fname + ".pem"] = cn.replace("MARK", "\ufffd" * 4)
    else:
        # NUL cannot travel through C strings: it comes back as U+FFFD
        truth[fname + ".pem"] = cn.replace("\x00", "\ufffd")
    open(os.path.join(out, fname + ".pem"), "w").write(pem(der))

# 64 KiB: no CN, one dNSName of 65536 bytes (the display name)
long_dns = ("x" * 63 + ".") * 1024
der = make("long", None, dns=[long_dns], serial=200)
open(os.path.join(out, "long.pem"), "w").write(pem(der))
truth["long.pem"] = long_dns

# index.txt rows (one-line DNs, escaped the way openssl ca writes them)
exp = (now + datetime.timedelta(days=3, hours=12)).strftime("%y%m%d%H%M%SZ")
rows = [
    ("1001", "/O=Corp/CN=row|pipe | certificates=5;;;0"),
    ("1002", "/O=Corp/CN=row\x1b[31mansi\x07"),
    ("1003", "/O=Corp/CN=row\rcr"),
    ("1004", "/O=Corp/CN=" + "r" * 65536),
    ("1005", "/O=Corp/CN=row\"quote\\back"),
]
with open(os.path.join(out, "index.txt"), "wb") as f:
    for serial, dn in rows:
        f.write(("V\t%s\t\t%s\tunknown\t%s\n" % (exp, serial, dn)).encode())
    f.write(b"V\t" + exp.encode() + b"\t\t1006\tunknown\t/O=Corp/CN=row\xff\xfeinvalid\n")
json.dump(truth, open(os.path.join(out, "names.json"), "w"))
