#!/usr/bin/python3
"""Writes certutil -view exports shaped as real CAs write them (FORMATS.md):
full dumps (a prompt line, a schema of about 80 columns, -v hex dumps after
every value, blank lines inside rows, Binary Request blocks), German ones
with the "Ausgestellt: " column names, LEER and German dates, and exports of
queries without a serial or without any identity.

usage: gen-certutil-ca.py OUTDIR WEB.pem AD.pem REVOKED.pem EMPTYSUBJ.pem REQ.csr

Writes OUTDIR/NAME for each export below (see main()).
"""
import datetime
import os
import sys

from cryptography import x509

UTC = datetime.timezone.utc

# internal name -> (English, German) localised names, as certutil's schema
# prints them; the German "Issued ..." columns carry "Ausgestellt: "
KNOWN = [
    ("RequestID", "Issued Request ID", "Ausgestellt: Anforderungs-ID", "Long"),
    ("Request.RequesterName", "Requester Name", "Antragstellername", "String"),
    ("SerialNumber", "Serial Number", "Seriennummer", "String"),
    ("CommonName", "Issued Common Name", "Ausgestellt: Allgemeiner Name", "String"),
    ("DistinguishedName", "Issued Distinguished Name", "Ausgestellt: Definierter Name",
     "String"),
    ("NotBefore", "Certificate Effective Date", "Anfangsdatum des Zertifikats", "Date"),
    ("NotAfter", "Certificate Expiration Date", "Ablaufdatum des Zertifikats", "Date"),
    ("CertificateTemplate", "Certificate Template", "Zertifikatvorlage", "String"),
    ("Request.Disposition", "Request Disposition", "Anforderungsstatus", "Long"),
    ("Request.RawRequest", "Binary Request", "Bin\u00e4re Anforderung", "Binary"),
    ("RawCertificate", "Binary Certificate", "Bin\u00e4rzertifikat", "Binary"),
]
# columns the plugin does not read (the rest of a full dump's schema):
# internal name, label; localised as "Issued LABEL" / "Request LABEL" in
# English and "Ausgestellt: LABEL" / "Anforderung: LABEL" in German, so
# that many names hold ": "
FILLER = [
    ("Request.RawArchivedKey", "Archived Key"), ("Request.KeyRecoveryHashes",
     "Key Recovery Agent Hashes"), ("Request.RawOldCertificate", "Old Certificate"),
    ("Request.RequestAttributes", "Attributes"), ("Request.RequestType", "Type"),
    ("Request.RequestFlags", "Flags"), ("Request.StatusCode", "Status Code"),
    ("Request.DispositionMessage", "Disposition Message"),
    ("Request.SubmittedWhen", "Submission Date"), ("Request.ResolvedWhen",
     "Resolution Date"), ("Request.RevokedWhen", "Revocation Date"),
    ("Request.RevokedEffectiveWhen", "Effective Revocation Date"),
    ("Request.CallerName", "Caller Name"), ("Request.SignerPolicies", "Signer Policies"),
    ("Request.SignerApplicationPolicies", "Signer Application Policies"),
    ("Request.Officer", "Officer"), ("Request.DistinguishedName", "Distinguished Name"),
    ("Request.RawName", "Binary Name"), ("Request.Country", "Country/Region"),
    ("Request.Organization", "Organization"), ("Request.OrgUnit", "Organization Unit"),
    ("Request.CommonName", "Common Name"), ("Request.Locality", "City"),
    ("Request.State", "State"), ("Request.Title", "Title"),
    ("Request.GivenName", "First Name"), ("Request.Initials", "Initials"),
    ("Request.SurName", "Last Name"), ("Request.DomainComponent", "Domain Component"),
    ("Request.EMail", "Email Address"), ("Request.StreetAddress", "Street Address"),
    ("Request.UnstructuredName", "Unstructured Name"),
    ("Request.UnstructuredAddress", "Unstructured Address"),
    ("Request.DeviceSerialNumber", "Device Serial Number"),
    ("Request.AttestationChallenge", "Attestation Challenge"),
    ("Request.EndorsementKeyHash", "Endorsement Key Hash"),
    ("Request.EndorsementCertificateHash", "Endorsement Certificate Hash"),
    ("CertificateHash", "Certificate Hash"), ("EnrollmentFlags", "Enrollment Flags"),
    ("GeneralFlags", "General Flags"), ("PrivatekeyFlags", "Private Key Flags"),
    ("IssuerNameID", "Issuer Name ID"), ("SubjectKeyIdentifier", "Subject Key Identifier"),
    ("RawPublicKey", "Binary Public Key"), ("PublicKeyLength", "Public Key Length"),
    ("PublicKeyAlgorithm", "Public Key Algorithm"),
    ("RawPublicKeyAlgorithmParameters", "Public Key Algorithm Parameters"),
    ("PublishExpiredCertInCRL", "Publish Expired Certificate in CRL"),
    ("UPN", "User Principal Name"), ("RawName", "Binary Name"),
    ("Country", "Country/Region"), ("Organization", "Organization"),
    ("OrgUnit", "Organization Unit"), ("Locality", "City"), ("State", "State"),
    ("Title", "Title"), ("GivenName", "First Name"), ("Initials", "Initials"),
    ("SurName", "Last Name"), ("DomainComponent", "Domain Component"),
    ("EMail", "Email Address"), ("StreetAddress", "Street Address"),
    ("UnstructuredName", "Unstructured Name"),
    ("UnstructuredAddress", "Unstructured Address"),
    ("DeviceSerialNumber", "Device Serial Number"),
]


def filler(lang):
    out = []
    for internal, label in FILLER:
        req = internal.startswith("Request.")
        if lang == "en":
            loc = ("Request " if req else "Issued ") + label
        else:
            loc = ("Anforderung: " if req else "Ausgestellt: ") + label
        out.append((internal, loc, "String"))
    return out


def schema(lang, cols):
    """cols: [(internal, localised, type)]."""
    L = ["Schema:"]
    if lang == "en":
        L.append("  Column Name                   Localized Name                "
                 "Type    MaxLength")
    else:
        L.append("  Spaltenname                   Lokalisierter Name            "
                 "Typ     Maximale L\u00e4nge")
    L.append("  ----------------------------  ----------------------------  "
             "------  ---------")
    for internal, loc, typ in cols:
        L.append("  %-28s  %-28s  %-6s  %s" % (internal, loc, typ,
                                               "64 -- Indexed" if lang == "en"
                                               else "64 -- Indiziert"))
    L.append("")
    return L


def hexdump(data):
    L = []
    for off in range(0, len(data), 16):
        chunk = data[off:off + 16]
        hx = " ".join("%02x" % b for b in chunk[:8])
        if len(chunk) > 8:
            hx += "  " + " ".join("%02x" % b for b in chunk[8:])
        asc = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        L.append("    %04x  %-48s  %s" % (off, hx, asc))
    return L


def fmt_date(t, lang, gmt, tz):
    if not gmt:
        t = t.astimezone(tz)
    if lang == "en":
        h = t.hour % 12 or 12
        s = "%d/%d/%d %d:%02d %s" % (t.month, t.day, t.year, h, t.minute,
                                     "AM" if t.hour < 12 else "PM")
    else:
        s = "%02d.%02d.%d %02d:%02d" % (t.day, t.month, t.year, t.hour, t.minute)
    return s + " GMT" if gmt else s


DISP = {"en": {20: "Issued", 21: "Revoked", 31: "Denied"},
        "de": {20: "Ausgestellt", 21: "Gesperrt", 31: "Verweigert"}}


def text_value(col, v, lang, gmt, tz):
    """The text of one value and the bytes its -v hex dump shows."""
    if v is None:
        return ("EMPTY" if lang == "en" else "LEER"), None
    if col in ("RequestID",):
        return "0x%x (%d)" % (v, v), v.to_bytes(4, "little")
    if col == "Request.Disposition":
        return "0x%x (%d) -- %s" % (v, v, DISP[lang][v]), v.to_bytes(4, "little")
    if col in ("NotBefore", "NotAfter"):
        return fmt_date(v, lang, gmt, tz), b"\x00\x80\x3e\xd5\xde\xb1\x9d\x01"
    return '"%s"' % v, v.encode("utf-16-le")


def text_export(rows, lang, cols, verbose, gmt, tz, prompt, fill):
    """rows: [{internal: value}]; cols: internal names in -out order."""
    names = {k[0]: (k[1] if lang == "en" else k[2]) for k in KNOWN}
    types = {k[0]: k[3] for k in KNOWN}
    sc = [(c, names[c], types[c]) for c in cols]
    if fill:
        sc += filler(lang)
    L = []
    if prompt:
        L += [prompt, ""]
    L += schema(lang, sc)
    for rec, r in enumerate(rows, 1):
        L.append(("Row %d:" if lang == "en" else "Zeile %d:") % rec)
        for internal, loc, _ in sc:
            v = r.get(internal)
            if internal in ("RawCertificate", "Request.RawRequest"):
                if v is None:
                    L.append("  %s: %s" % (loc, "EMPTY" if lang == "en" else "LEER"))
                    continue
                L.append("  %s:" % loc)
                L.extend(v.strip().splitlines())
                L.append("")
                continue
            text, raw = text_value(internal, v, lang, gmt, tz)
            if internal == "CommonName" and v is not None and "\n" in v:
                first, rest = v.split("\n", 1)
                L.append('  %s: "%s' % (loc, first))
                L.append('%s"' % rest)
            else:
                L.append("  %s: %s" % (loc, text))
            if verbose and raw is not None:
                L.extend(hexdump(raw))
                L.append("")
        L.append("")
    L.append(("Maximum Row Index: %d" if lang == "en" else "Maximaler Zeilenindex: %d")
             % len(rows))
    L.append("")
    L.append(("%d Rows" if lang == "en" else "%d Zeilen") % len(rows))
    L.append("  %d Row Properties, Total Size = 4242, Max Size = 128, Ave Size = 20"
             % (len(rows) * len(sc)))
    L.append("   0 Request Attributes, Total Size = 0, Max Size = 0, Ave Size = 0")
    L.append("   0 Certificate Extensions, Total Size = 0, Max Size = 0, Ave Size = 0")
    L.append("CertUtil: -view command completed successfully." if lang == "en" else
             "CertUtil: -view-Befehl wurde erfolgreich ausgef\u00fchrt.")
    return "\r\n".join(L) + "\r\n"


def csv_export(rows, lang, cols, gmt, tz):
    names = {k[0]: (k[1] if lang == "en" else k[2]) for k in KNOWN}
    L = [",".join('"%s"' % names[c] for c in cols)]
    for r in rows:
        f = []
        for c in cols:
            v = r.get(c)
            if v is None:
                f.append("EMPTY" if lang == "en" else "LEER")
            elif c == "RequestID":
                f.append('"%d"' % v)
            elif c == "Request.Disposition":
                f.append('"%d -- %s"' % (v, DISP[lang][v]))
            elif c in ("NotBefore", "NotAfter"):
                f.append('"%s"' % fmt_date(v, lang, gmt, tz))
            else:
                f.append('"%s"' % v.replace('"', '""').replace("\n", "\r\n"))
        L.append(",".join(f))
    return "\r\n".join(L) + "\r\n"


def write(outdir, name, text, enc):
    if enc == "utf16le":
        data = b"\xff\xfe" + text.encode("utf-16-le")
    else:
        data = text.encode("utf-8")
    with open(os.path.join(outdir, name), "wb") as f:
        f.write(data)


def cert_row(path, reqid, disp, template, requester):
    pem = open(path, "rb").read()
    c = x509.load_pem_x509_certificate(pem)
    cns = [a.value for a in c.subject if a.oid == x509.NameOID.COMMON_NAME]
    return {
        "RequestID": reqid, "Request.RequesterName": requester,
        "SerialNumber": "%x" % c.serial_number,
        # certutil lists every CN of the subject, one per line
        "CommonName": "\n".join(cns) if cns else None,
        "DistinguishedName": ", ".join(reversed(
            [a.rfc4514_string() for a in c.subject])) or None,
        "NotBefore": c.not_valid_before.replace(tzinfo=UTC),
        "NotAfter": c.not_valid_after.replace(tzinfo=UTC),
        "CertificateTemplate": template, "Request.Disposition": disp,
        "RawCertificate": pem.decode(),
    }


def main():
    outdir = sys.argv[1]
    web, ad, revoked, empty, csr = sys.argv[2:7]
    os.makedirs(outdir, exist_ok=True)
    import zoneinfo
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    req = open(csr).read()
    t0 = datetime.datetime(2027, 3, 28, 0, 30, tzinfo=UTC)   # past a DST change

    # a full dump (-v): every column, hex dumps, requests, blank lines
    full = [
        cert_row(web, 2, 20, "WebServer", "CORP\\Administrator"),
        cert_row(ad, 3, 20, "User", "CORP\\jdoe"),
        cert_row(revoked, 4, 21, "WebServer", "CORP\\bob"),
        {"RequestID": 5, "Request.RequesterName": "CORP\\eve", "Request.Disposition": 31,
         "CertificateTemplate": "WebServer", "Request.RawRequest": req},
        # an AD user row without its certificate: named by the last CN value
        {"RequestID": 6, "Request.RequesterName": "CORP\\jdoe2",
         "SerialNumber": "6100000006aa", "CommonName": "Users\nJohn Smith",
         "DistinguishedName": "CN=John Smith, CN=Users, DC=corp, DC=local",
         "NotBefore": t0, "NotAfter": t0 + datetime.timedelta(days=400),
         "CertificateTemplate": "User", "Request.Disposition": 20,
         "Request.RawRequest": req},
        cert_row(empty, 7, 20, "WebServer", "CORP\\Administrator"),
        # no certificate, no names: named by its serial
        {"RequestID": 8, "SerialNumber": "6100000008bb", "NotAfter": t0,
         "CertificateTemplate": "WebServer", "Request.Disposition": 20},
    ]
    allcols = [k[0] for k in KNOWN]
    for lang, enc, gmt in (("en", "utf8", True), ("de", "utf16le", True),
                           ("en", "utf16le", False), ("de", "utf8", False)):
        prompt = ("PS C:\\Users\\Administrator> certutil -v -view" if lang == "en" else
                  "PS C:\\Users\\Administrator> certutil -v -view")
        write(outdir, "dump-%s-%s-%s.txt" % (lang, enc, "gmt" if gmt else "local"),
              text_export(full, lang, allcols, True, gmt, berlin, prompt, True), enc)
    # the same without -v, without a schema's fillers
    for lang in ("en", "de"):
        write(outdir, "plain-%s.txt" % lang,
              text_export(full, lang, allcols, False, True, berlin, None, False), "utf8")

    # -out "RequestID,CommonName,NotAfter": five certificates one minute
    five = [{"RequestID": 40 + i, "CommonName": "host.corp.example", "NotAfter": t0,
             "Request.Disposition": 20} for i in range(5)]
    cols = ["RequestID", "CommonName", "NotAfter"]
    for lang in ("en", "de"):
        write(outdir, "reqid-%s.txt" % lang,
              text_export(five, lang, cols, False, True, berlin, None, False), "utf8")
        write(outdir, "reqid-%s.csv" % lang, csv_export(five, lang, cols, True, berlin),
              "utf8")

    # -out "CertificateTemplate,CommonName,NotAfter": no identity at all;
    # rows 1 and 2 read the same
    noid = [{"CertificateTemplate": "Machine", "CommonName": "pc1.corp.example",
             "NotAfter": t0},
            {"CertificateTemplate": "Machine", "CommonName": "pc1.corp.example",
             "NotAfter": t0},
            {"CertificateTemplate": "Machine", "CommonName": "pc2.corp.example",
             "NotAfter": t0}]
    cols = ["CertificateTemplate", "CommonName", "NotAfter"]
    for lang in ("en", "de"):
        write(outdir, "noid-%s.txt" % lang,
              text_export(noid, lang, cols, False, True, berlin, None, False), "utf8")
        write(outdir, "noid-%s.csv" % lang, csv_export(noid, lang, cols, True, berlin),
              "utf8")

    # -out "RequestID,CommonName": no expiry anywhere
    noexp = [{"RequestID": 50 + i, "CommonName": "x%d.corp.example" % i}
             for i in range(3)]
    cols = ["RequestID", "CommonName"]
    for lang in ("en", "de"):
        write(outdir, "noexp-%s.txt" % lang,
              text_export(noexp, lang, cols, True, True, berlin, None, False), "utf8")
        write(outdir, "noexp-%s.csv" % lang, csv_export(noexp, lang, cols, True, berlin),
              "utf8")

    # multi-valued names in CSV, German, LEER, Antragstellername
    ad_rows = [
        {"RequestID": 60, "Request.RequesterName": "CORP\\jdoe", "SerialNumber":
         "6100000060cc", "CommonName": "Users\nJane Doe", "NotBefore": t0,
         "NotAfter": t0 + datetime.timedelta(days=365), "CertificateTemplate": "User",
         "Request.Disposition": 20},
        {"RequestID": 61, "Request.RequesterName": None, "SerialNumber": "6100000061dd",
         "CommonName": "web02.corp.example", "NotBefore": None,
         "NotAfter": t0 + datetime.timedelta(days=30), "CertificateTemplate": None,
         "Request.Disposition": 20},
    ]
    cols = ["RequestID", "Request.RequesterName", "SerialNumber", "CommonName",
            "NotBefore", "NotAfter", "CertificateTemplate", "Request.Disposition"]
    for lang in ("en", "de"):
        write(outdir, "ad-%s.csv" % lang, csv_export(ad_rows, lang, cols, True, berlin),
              "utf8")
        write(outdir, "ad-%s.txt" % lang,
              text_export(ad_rows, lang, cols, True, True, berlin, None, False), "utf8")
    # the CSV form copied from a console, with its prompt line
    for lang, enc in (("en", "utf8"), ("de", "utf16le")):
        write(outdir, "prompt-%s-%s.csv" % (lang, enc),
              "PS C:\\> certutil -view -out \"...\" csv\r\n\r\n" +
              csv_export(ad_rows, lang, cols, True, berlin), enc)
    # the same dates as the CA's local time (an export without -gmt)
    for lang in ("en", "de"):
        write(outdir, "ad-%s-local.csv" % lang,
              csv_export(ad_rows, lang, cols, False, berlin), "utf8")


main()
