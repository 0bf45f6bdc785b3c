#!/usr/bin/python3
"""Makes the odd certificates of tests/odd-certs.sh with python-cryptography:
each is a real certificate from its builder, then one field patched in the
DER the way other tools and old CAs wrote them (the signature is no longer
valid; no parser here checks it).

  gen-odd-certs.py OUTDIR

OUTDIR/NAME.der, and OUTDIR/NAME.dates with what python-cryptography reads
of the validity ("not_after=ISO" or "unreadable"): the claim of the issue is
that it reads the dates of these certificates where OpenSSL refuses them.
"""
import datetime
import os
import sys
import warnings

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

warnings.simplefilter("ignore")	# negative serials: a deprecation warning
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
key = ec.generate_private_key(ec.SECP256R1())
NB = datetime.datetime(2025, 1, 1)
NA = datetime.datetime(2027, 6, 15, 12, 0, 0)


def name(*attrs):
    return x509.Name([x509.NameAttribute(o, v) for o, v in attrs])


def build(subject, issuer, serial=0x1234, san=None, not_after=NA):
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
         .public_key(key.public_key()).serial_number(serial)
         .not_valid_before(NB).not_valid_after(not_after))
    if san:
        b = b.add_extension(x509.SubjectAlternativeName(
            [x509.DNSName(d) for d in san]), critical=False)
    return b.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def patch(der, old, new):
    assert len(old) == len(new), "a patch keeps every length"
    assert der.count(old) == 1, "the patched bytes occur once"
    return der.replace(old, new)


def write(fname, der):
    open(os.path.join(out, fname + ".der"), "wb").write(der)
    try:
        c = x509.load_der_x509_certificate(der)
        dates = "not_after=" + c.not_valid_after.strftime("%Y-%m-%dT%H:%M:%SZ")
    except Exception:
        dates = "unreadable"
    open(os.path.join(out, fname + ".dates"), "w").write(dates + "\n")


CA = name((NameOID.ORGANIZATION_NAME, "Corp"), (NameOID.COMMON_NAME, "Corp CA"))

# invalid UTF-8 in the issuer's CN (a UTF8String holding Latin-1 bytes)
der = build(name((NameOID.COMMON_NAME, "odd-issuer.example")),
            name((NameOID.ORGANIZATION_NAME, "Corp"), (NameOID.COMMON_NAME, "XXXXXXXX")))
write("badutf8-issuer", patch(der, b"\x0c\x08XXXXXXXX", b"\x0c\x08M\xfcler CA"))

# the subject's CN with a tag in the long form: tag number 31 (no string
# type), and UTF8String (12) written in the long form
subj = name((NameOID.ORGANIZATION_NAME, "Corp"), (NameOID.COMMON_NAME, "YYYYYYYY"))
der = build(subj, CA, san=["longtag.example"])
write("longtag", patch(der, b"\x0c\x08YYYYYYYY", b"\x1f\x1f\x07weirdnm"))
write("longtag-utf8", patch(der, b"\x0c\x08YYYYYYYY", b"\x1f\x0c\x07longtag"))
der = build(subj, CA)
write("longtag-nosan", patch(der, b"\x0c\x08YYYYYYYY", b"\x1f\x1f\x07weirdnm"))

# an Active Directory user whose last CN does not decode: the name is the
# DNS name, not the CN before it ("Users")
der = build(name((NameOID.DOMAIN_COMPONENT, "local"), (NameOID.DOMAIN_COMPONENT, "corp"),
                 (NameOID.COMMON_NAME, "Users"), (NameOID.COMMON_NAME, "ZZZZZZZZ")),
            CA, san=["jdoe.corp.local"])
write("ad-longtag", patch(der, b"\x0c\x08ZZZZZZZZ", b"\x1f\x1f\x07weirdnm"))

# a negative serial (-0x04316693ED; DER bytes FB CE 99 6C 13) and the
# certificate it renewed, with the same name and issuer
der = build(name((NameOID.COMMON_NAME, "neg.example")), CA, serial=0x7BCE996C13,
            not_after=datetime.datetime(2027, 6, 15, 12, 0, 0))
write("neg-new", patch(der, b"\x02\x05\x7b\xce\x99\x6c\x13", b"\x02\x05\xfb\xce\x99\x6c\x13"))
write("neg-old", build(name((NameOID.COMMON_NAME, "neg.example")), CA, serial=0x0101,
                       not_after=datetime.datetime(2026, 12, 10, 0, 0, 0)))

# an empty subject and no subjectAltName: named by its serial
write("empty-subject", build(x509.Name([]), CA, serial=0x5A5A01))

# a notAfter that does not read: an error even with the salvage walk
der = build(name((NameOID.COMMON_NAME, "baddate.example")), CA)
write("baddate", patch(der, b"270615120000Z", b"27X615120000Z"))
