#!/usr/bin/python3
"""Checks one -o openmetrics document against the -o json document of the
same run (tests/openmetrics.sh).

usage: openmetrics-check.py METRICS JSON [STATE...]

The metrics are read by prometheus_client's strict OpenMetrics parser; then
every sample must agree with the JSON: one not_after, state and watched
sample per JSON certificate (not_before where JSON has one), label sets
unique, cert_expiry_certificates{state} for every STATE given and every
state JSON shows, the errors and the run time. Prints what disagrees and
exits 1, or prints nothing and exits 0.
"""
import calendar
import collections
import json
import sys
import time

from prometheus_client.openmetrics.parser import text_string_to_metric_families

FAMILIES = {
    # name: unit
    "cert_expiry_not_after_seconds": "seconds",
    "cert_expiry_not_before_seconds": "seconds",
    "cert_expiry_state": "",
    "cert_expiry_watched": "",
    "cert_expiry_certificates": "",
    "cert_expiry_errors": "",
    "cert_expiry_last_run_seconds": "seconds",
}
STATE_VALUE = {"OK": 0, "WARNING": 1, "CRITICAL": 2, "UNKNOWN": 3}
WATCHED = ("OK", "WARNING", "CRITICAL")

problems = []


def bad(msg):
    problems.append(msg)


def epoch(iso):
    return calendar.timegm(time.strptime(iso, "%Y-%m-%dT%H:%M:%SZ"))


def labels_of(c):
    src = c["sources"][0]
    source = src["path"] + (":%d" % src["record"] if "record" in src else "")
    return (c["name"], c["serial"] or "", c["issuer"] or "", c["sha256"] or "", source)


def key_of(labels):
    return (labels["name"], labels["serial"], labels["issuer"], labels["sha256"],
            labels["source"])


def check_layout(text):
    """# EOF once and last; each family's lines together; HELP/TYPE/UNIT."""
    if not text.endswith("\n# EOF\n") or text.count("# EOF") != 1:
        bad("the document does not end with exactly one '# EOF' line")
    seen, current = [], None
    for line in text.split("\n")[:-2]:
        if line.startswith("# "):
            name = line.split(" ")[2]
        else:
            name = line.split("{")[0].split(" ")[0]
        if name != current:
            if name in seen:
                bad("family %s is not contiguous" % name)
            seen.append(name)
            current = name
    if seen != list(FAMILIES):
        bad("families %s, want %s" % (seen, list(FAMILIES)))


def main():
    raw = open(sys.argv[1], "rb").read()
    doc = json.load(open(sys.argv[2], encoding="utf-8"))
    want_states = [s.lower() for s in sys.argv[3:]]
    try:
        text = raw.decode("utf-8")   # strict: invalid UTF-8 is an error
    except UnicodeDecodeError as e:
        print("not UTF-8: %s" % e)
        return 1
    try:
        fams = {f.name: f for f in text_string_to_metric_families(text)}
    except Exception as e:      # the parser's verdict is the point
        print("strict OpenMetrics parser: %s: %s" % (type(e).__name__, e))
        return 1
    check_layout(text)
    for name, unit in FAMILIES.items():
        f = fams.get(name)
        if f is None:
            bad("family %s missing" % name)
            continue
        if f.type != "gauge" or f.unit != unit or not f.documentation:
            bad("%s: type %r unit %r help %r" % (name, f.type, f.unit, f.documentation))
    if problems:
        print("\n".join(problems))
        return 1

    per = {}
    for name in ("cert_expiry_not_after_seconds", "cert_expiry_not_before_seconds",
                 "cert_expiry_state", "cert_expiry_watched"):
        per[name] = {}
        for s in fams[name].samples:
            k = key_of(s.labels)
            if set(s.labels) != {"name", "serial", "issuer", "sha256", "source"}:
                bad("%s: labels %s" % (name, sorted(s.labels)))
            if k in per[name]:
                bad("%s: label set %r twice" % (name, k))
            per[name][k] = s.value

    certs = doc["certificates"]
    want = {}
    for c in certs:
        k = labels_of(c)
        if k in want:
            bad("two JSON certificates with the labels %r" % (k,))
        want[k] = c
    for name in per:
        extra = set(per[name]) - set(want)
        if extra:
            bad("%s: samples without a JSON certificate: %r" % (name, sorted(extra)))
    for k, c in want.items():
        got = per["cert_expiry_not_after_seconds"].get(k)
        if got != epoch(c["not_after"]):
            bad("%r: not_after %r, JSON %s" % (k, got, c["not_after"]))
        got = per["cert_expiry_not_before_seconds"].get(k)
        if c["not_before"] is None:
            if got is not None:
                bad("%r: not_before %r, JSON null" % (k, got))
        elif got != epoch(c["not_before"]):
            bad("%r: not_before %r, JSON %s" % (k, got, c["not_before"]))
        got = per["cert_expiry_state"].get(k)
        if got != STATE_VALUE.get(c["state"], 0):
            bad("%r: state %r, JSON %s" % (k, got, c["state"]))
        got = per["cert_expiry_watched"].get(k)
        if got != (1 if c["state"] in WATCHED else 0):
            bad("%r: watched %r, JSON state %s" % (k, got, c["state"]))

    counts = {}
    for s in fams["cert_expiry_certificates"].samples:
        if set(s.labels) != {"state"} or s.labels["state"] in counts:
            bad("cert_expiry_certificates: labels %r" % s.labels)
        counts[s.labels["state"]] = s.value
    by_state = collections.Counter(c["state"].lower() for c in certs)
    for st in set(want_states) | set(by_state):
        if counts.get(st) != by_state.get(st, 0):
            bad("certificates{state=%r} %r, JSON %d" % (st, counts.get(st), by_state.get(st, 0)))
    if sum(counts.values()) != len(certs):
        bad("certificates by state add up to %r, JSON lists %d" % (sum(counts.values()), len(certs)))
    for s in fams["cert_expiry_certificates"].samples:
        if s.labels.get("state", "") != s.labels.get("state", "").lower():
            bad("state label %r not lower case" % s.labels["state"])

    got = fams["cert_expiry_errors"].samples[0].value
    if got != len(doc["errors"]) or got != doc["counts"]["errors"]:
        bad("errors %r, JSON %d" % (got, len(doc["errors"])))
    got = fams["cert_expiry_last_run_seconds"].samples[0].value
    if got != epoch(doc["now"]):
        bad("last_run %r, JSON now %s" % (got, doc["now"]))
    if problems:
        print("\n".join(problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
