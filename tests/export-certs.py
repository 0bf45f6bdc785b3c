#!/usr/bin/python3
"""Prints the certificates of a check_cert_expiry JSON document (stdin)
without their locations, one JSON object a line, sorted, followed by the
counts and the error messages (paths left out): two exports of the same CA
compare equal when they report the same certificates."""
import json
import sys

doc = json.load(sys.stdin)
out = []
for c in doc["certificates"]:
    c = dict(c)
    c.pop("sources", None)
    c.pop("days_left", None)
    out.append(json.dumps(c, sort_keys=True, ensure_ascii=False))
for line in sorted(out):
    print(line)
print(json.dumps(doc["counts"], sort_keys=True))
for e in doc["errors"]:
    print("error:", e.get("record"), e["message"])
