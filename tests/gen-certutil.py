#!/usr/bin/python3
"""Writes Windows certutil -view exports (text and CSV, English and German,
UTF-16LE/UTF-8/cp1252/cp850) from the format documented in FORMATS.md, with
the truth the plugin must report.

usage: gen-certutil.py OUTDIR TZNAME CERT.pem...

For every export FILE it writes FILE.truth (rows reported by default) and
FILE.truth-all (with --include-revoked): one line per certificate,
"cn|serial|not_after|template|request_id|requester|record", sorted.
"""
import datetime
import os
import sys
import zoneinfo

from cryptography import x509
from cryptography.x509.oid import NameOID

UTC = datetime.timezone.utc

NAMES = {
    "en": {
        "RequestID": "Request ID",
        "Request.RequesterName": "Requester Name",
        "SerialNumber": "Serial Number",
        "CommonName": "Issued Common Name",
        "DistinguishedName": "Issued Distinguished Name",
        "NotBefore": "Certificate Effective Date",
        "NotAfter": "Certificate Expiration Date",
        "CertificateTemplate": "Certificate Template",
        "Request.Disposition": "Request Disposition",
        "RawCertificate": "Binary Certificate",
    },
    "de": {
        "RequestID": "Anforderungs-ID",
        "Request.RequesterName": "Name des Anforderers",
        "SerialNumber": "Seriennummer",
        "CommonName": "Ausgestellter allgemeiner Name",
        "DistinguishedName": "Ausgestellter definierter Name",
        "NotBefore": "G\u00fcltigkeitsbeginn des Zertifikats",
        "NotAfter": "Ablaufdatum des Zertifikats",
        "CertificateTemplate": "Zertifikatvorlage",
        "Request.Disposition": "Anforderungsstatus",
        "RawCertificate": "Bin\u00e4rzertifikat",
    },
}
DISP = {
    "en": {20: "Issued", 21: "Revoked", 31: "Denied", 9: "Pending"},
    "de": {20: "Ausgestellt", 21: "Gesperrt", 31: "Verweigert", 9: "Ausstehend"},
}
COLS = list(NAMES["en"].keys())
ENCODINGS = ["utf16le", "utf8bom", "utf8", "cp1252", "cp850"]


def d(*a):
    return datetime.datetime(*a, tzinfo=UTC)


def rows(certs):
    r = [
        dict(reqid=2, requester="CORP\\Administrator", serial="6100000002a1b2c3d4e5",
             cn="web01.corp.example", dn="CN=web01.corp.example, OU=IT, O=Corp, C=DE",
             nb=d(2025, 4, 25, 19, 36, 12), na=d(2027, 4, 25, 19, 36, 12),
             template="WebServer", tpl_oid=None, disp=20),
        dict(reqid=3, requester="CORP\\mueller", serial="6100000003ffee",
             cn="M\u00fcller, J\u00fcrgen", dn='CN="M\u00fcller, J\u00fcrgen", O=Corp',
             nb=d(2025, 12, 1, 8, 5, 0), na=d(2026, 12, 1, 8, 5, 59),
             template="Corp User", tpl_oid="1.3.6.1.4.1.311.21.8.4711.42", disp=20),
        dict(reqid=4, requester="CORP\\bob", serial="6100000004aa",
             cn="revoked.corp.example", dn="CN=revoked.corp.example",
             nb=d(2025, 1, 2, 3, 4, 5), na=d(2027, 1, 2, 3, 4, 5),
             template="WebServer", tpl_oid=None, disp=21),
        dict(reqid=5, requester="CORP\\eve", serial=None, cn=None, dn=None,
             nb=None, na=None, template="WebServer", tpl_oid=None, disp=31),
        dict(reqid=6, requester="CORP\\carol", serial=None, cn=None, dn=None,
             nb=None, na=None, template="User", tpl_oid=None, disp=9),
        dict(reqid=7, requester="CORP\\Administrator", serial="61000000070102",
             cn="multi.corp.example", multi="second.corp.example",
             dn="CN=multi.corp.example", nb=d(2026, 2, 1, 0, 0, 0),
             na=d(2028, 2, 29, 23, 59, 59), template="WebServer", tpl_oid=None,
             disp=20),
    ]
    for i, path in enumerate(certs):
        pem = open(path, "rb").read()
        c = x509.load_pem_x509_certificate(pem)
        cn = c.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
        r.append(dict(reqid=10 + i, requester="CORP\\svc", serial="%x" % c.serial_number,
                      cn=cn, dn="CN=" + cn,
                      nb=c.not_valid_before.replace(tzinfo=UTC),
                      na=c.not_valid_after.replace(tzinfo=UTC),
                      template="WebServer", tpl_oid=None, disp=20,
                      pem=pem.decode().strip()))
    return r


def fmt_date(t, lang, tz, seconds, gmt):
    if t is None:
        return None
    lt = t if gmt else t.astimezone(tz)
    if lang == "en":
        h = lt.hour % 12 or 12
        s = "%d/%d/%d %d:%02d" % (lt.month, lt.day, lt.year, h, lt.minute)
        if seconds:
            s += ":%02d" % lt.second
        s += " AM" if lt.hour < 12 else " PM"
    else:
        s = "%02d.%02d.%d %02d:%02d" % (lt.day, lt.month, lt.year, lt.hour, lt.minute)
        if seconds:
            s += ":%02d" % lt.second
    if gmt:
        s += " GMT"
    return s


def truth(rs, include_revoked, seconds, fmt, with_cert):
    out = []
    for rec, r in enumerate(rs, 1):
        if r["disp"] != 20 and (not include_revoked or r["na"] is None):
            continue
        na = r["na"]
        cert = "pem" in r and with_cert
        if not cert and not seconds:
            na = na.replace(second=0)
        serial = r["serial"].upper()
        if cert:
            serial = serial if len(serial) % 2 == 0 else "0" + serial
        # a multi-valued name: the last, most specific value names it
        out.append("|".join([r.get("multi") or r["cn"], serial, na.strftime("%Y-%m-%dT%H:%M:%SZ"),
                             r["template"], str(r["reqid"]), r["requester"],
                             str(rec), fmt]))
    return sorted(out)


def text_export(rs, lang, tz, seconds, gmt, schema, with_cert):
    n = NAMES[lang]
    cols = [c for c in COLS if with_cert or c != "RawCertificate"]
    L = []
    if schema:
        L.append("Schema:")
        L.append("  Column Name                   Localized Name                "
                 "Type    MaxLength")
        L.append("  ----------------------------  ----------------------------  "
                 "------  ---------")
        for c in cols:
            L.append("  %-28s  %-28s  %-6s  %s" % (c, n[c], "String", "64 -- Indexed"))
        L.append("")
    for rec, r in enumerate(rs, 1):
        L.append(("Row %d:" if lang == "en" else "Zeile %d:") % rec)
        for c in cols:
            v = value(r, c, lang, tz, seconds, gmt, text=True)
            if c == "RawCertificate":
                if v is None:
                    L.append("  %s: EMPTY" % n[c])
                else:
                    L.append("  %s:" % n[c])
                    L.extend(v.splitlines())
                    L.append("")
                continue
            if c == "CommonName" and r.get("multi"):
                L.append('  %s: "%s' % (n[c], r["cn"]))
                L.append('%s"' % r["multi"])
                L.append("    0000  6d 75 6c 74 69 2e 63 6f   multi.co")
                L.append("    0008  72 70 3a 20 78 79 7a 0a   rp: xyz.")
                continue
            L.append("  %s: %s" % (n[c], "EMPTY" if v is None else v))
        L.append("")
    L.append("Maximum Row Index: %d" % len(rs))
    L.append("")
    L.append("%d Rows" % len(rs))
    L.append("  %d Row Properties, Total Size = 4242, Max Size = 128, Ave Size = 20"
             % (len(rs) * len(cols)))
    L.append("   0 Request Attributes, Total Size = 0, Max Size = 0, Ave Size = 0")
    L.append("   0 Certificate Extensions, Total Size = 0, Max Size = 0, Ave Size = 0")
    L.append("CertUtil: -view command completed successfully.")
    return "\r\n".join(L) + "\r\n"


def value(r, c, lang, tz, seconds, gmt, text):
    disp = r["disp"]
    if c == "RequestID":
        return "0x%x (%d)" % (r["reqid"], r["reqid"]) if text else str(r["reqid"])
    if c == "Request.Disposition":
        return "0x%x (%d) -- %s" % (disp, disp, DISP[lang][disp]) if text else \
            "%d -- %s" % (disp, DISP[lang][disp])
    if c in ("NotBefore", "NotAfter"):
        return fmt_date(r["nb" if c == "NotBefore" else "na"], lang, tz, seconds, gmt)
    if c == "RawCertificate":
        return r.get("pem")
    if c == "CertificateTemplate":
        if r["tpl_oid"]:
            return ('"%s" %s' % (r["tpl_oid"], r["template"]) if text
                    else "%s %s" % (r["tpl_oid"], r["template"]))
        v = r["template"]
    else:
        key = {"Request.RequesterName": "requester", "SerialNumber": "serial",
               "CommonName": "cn", "DistinguishedName": "dn"}[c]
        v = r[key]
        if c == "CommonName" and r.get("multi") and not text:
            v = r["cn"] + "\n" + r["multi"]
    if v is None:
        return None
    return '"%s"' % v if text else v


def csv_export(rs, lang, tz, seconds, gmt, with_cert):
    n = NAMES[lang]
    cols = [c for c in COLS if with_cert or c != "RawCertificate"]
    L = [",".join('"%s"' % n[c] for c in cols)]
    for r in rs:
        f = []
        for c in cols:
            v = value(r, c, lang, tz, seconds, gmt, text=False)
            f.append("EMPTY" if v is None else
                     '"%s"' % v.replace('"', '""').replace("\n", "\r\n"))
        L.append(",".join(f))
    return "\r\n".join(L) + "\r\n"


def encode(s, enc):
    if enc == "utf16le":
        return b"\xff\xfe" + s.encode("utf-16-le")
    if enc == "utf8bom":
        return b"\xef\xbb\xbf" + s.encode("utf-8")
    return s.encode({"utf8": "utf-8", "cp1252": "cp1252", "cp850": "cp850"}[enc])


def main():
    outdir, tzname, certs = sys.argv[1], sys.argv[2], sys.argv[3:]
    tz = zoneinfo.ZoneInfo(tzname)
    rs = rows(certs)
    os.makedirs(outdir, exist_ok=True)
    i = 0
    for form in ("text", "csv"):
        for lang in ("en", "de"):
            for enc in ENCODINGS:
                i += 1
                seconds = i % 2 == 0
                gmt = form == "csv" and enc == "utf8"
                with_cert = enc != "cp850"
                if form == "text":
                    body = text_export(rs, lang, tz, seconds, gmt,
                                       schema=(lang == "en" or enc == "utf16le"),
                                       with_cert=with_cert)
                else:
                    body = csv_export(rs, lang, tz, seconds, gmt, with_cert)
                name = os.path.join(outdir, "certutil-%s-%s-%s.%s" % (
                    form, lang, enc, "txt" if form == "text" else "csv"))
                fmt = "certutil-" + form
                with open(name, "wb") as f:
                    f.write(encode(body, enc))
                for suffix, inc in ((".truth", False), (".truth-all", True)):
                    with open(name + suffix, "w", encoding="utf-8") as f:
                        for line in truth(rs, inc, seconds, fmt, with_cert):
                            f.write(line + "\n")


main()
