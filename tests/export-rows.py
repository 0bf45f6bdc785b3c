#!/usr/bin/python3
"""Prints the certificates of a check_cert_expiry JSON document (stdin) as
"cn|serial|not_after|template|request_id|requester|record|format" lines,
sorted, for comparison with the fixture generators' truth files."""
import json
import sys

doc = json.load(sys.stdin)
out = []
for c in doc["certificates"]:
    for s in c["sources"]:
        out.append("|".join(str(x) for x in (
            c.get("cn"), c.get("serial"), c.get("not_after"), c.get("template"),
            c.get("request_id"), c.get("requester"), s.get("record"), s.get("format"))))
for line in sorted(out):
    print(line)
