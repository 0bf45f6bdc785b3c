#!/usr/bin/python3
"""Builds the seed corpora of the fuzz targets.

    seeds.py SRCDIR BUILDDIR OUTDIR

Reads every file under SRCDIR/tests/data and BUILDDIR/tests/fixtures (plus
the saved regressions), sorts them by content into OUTDIR/TARGET/ (one file
per seed, named by its SHA-1) and adds hand-written seeds for the small
parsers (ranges, dates). Files larger than 64 KiB are left out.
"""
import base64
import hashlib
import os
import re
import sys

MAX = 64 * 1024
PEM = re.compile(rb"-----BEGIN ([A-Z0-9 #]+)-----\r?\n(.*?)-----END \1-----", re.S)


def put(out, target, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def kinds(path, data):
    """The targets a file seeds, by content (and extension for DER types)."""
    k = {"scan"}
    low = path.lower()
    head = data[:4096]
    text = head.replace(b"\x00", b"")
    if b"-----BEGIN" in data:
        k |= {"pem", "reader-pem"}
    if data[:4] in (b"\xfe\xed\xfe\xed", b"\xce\xce\xce\xce"):
        k.add("jks")
    if data[:1] == b"\x30":
        if low.endswith((".p12", ".pfx")):
            k.add("pkcs12")
        elif low.endswith((".p7b", ".p7c", ".p7")):
            k.add("pkcs7")
        else:
            k |= {"der", "reader-der", "pkcs7", "pkcs12"}
    if re.search(rb"(Row|Zeile) \d+:", text):
        k.add("certutil-text")
    if re.search(rb"^\"?[A-Za-z. ]+\"?,", text, re.M) and b"," in text:
        k.add("certutil-csv")
    if re.search(rb"^[VRE]\t\d{12,14}Z\t", data, re.M):
        k.add("index")
    if k & {"reader-pem", "index", "certutil-csv"}:
        k.add("pieces")     # the readers that read in pieces
    return k


def main():
    src, build, out = sys.argv[1:4]
    roots = [os.path.join(src, "tests", "data"), os.path.join(build, "tests", "fixtures"),
             os.path.join(src, "fuzz", "regressions")]
    n = 0
    for root in roots:
        for dirpath, _, files in os.walk(root):
            for name in files:
                p = os.path.join(dirpath, name)
                if not os.path.isfile(p) or os.path.getsize(p) > MAX:
                    continue
                with open(p, "rb") as f:
                    data = f.read()
                if "regressions" in p and name == "README":
                    continue
                if "regressions" in p:
                    put(out, os.path.basename(os.path.dirname(p)), data)
                    continue
                for t in kinds(p, data):
                    put(out, t, data)
                for m in PEM.finditer(data):
                    body = m.group(2)
                    put(out, "base64", body)
                    try:
                        der = base64.b64decode(re.sub(rb"[^A-Za-z0-9+/=]", b"", body))
                    except Exception:
                        continue
                    label = m.group(1)
                    if label in (b"CERTIFICATE", b"TRUSTED CERTIFICATE", b"X509 CERTIFICATE"):
                        put(out, "der", der)
                        put(out, "reader-der", der)
                    elif label == b"PKCS7":
                        put(out, "pkcs7", der)
                n += 1
    for r in ["30", "7", "10:", "~:10", "@10:20", "10:20", "-5", "0.5", "1e3:", "@~:0"]:
        put(out, "range", r.encode())
    dates = {
        0: ["2026-11-24", "2026-11-24T12:00:00Z", "@1790000000", "@-1"],
        1: ["261124120000Z", "500101000000Z", "491231235959Z"],
        5: ["20261124120000Z", "99991231235959Z", "19500101000000Z"],
        2: ["4/25/2027 7:36 PM", "25.04.2027 19:36:12", "2027-04-25 19:36",
            "2027-04-25T19:36:12 GMT", "25/04/2027 19:36", "4/25/2027 7:36:05 AM UTC"],
    }
    for sel, vals in dates.items():
        for v in vals:
            put(out, "dates", bytes([sel]) + v.encode())
    print("seeds: %d files from %s" % (n, ", ".join(roots)))


main()
