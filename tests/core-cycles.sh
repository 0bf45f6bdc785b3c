#!/bin/sh
# The plugin's files have no dependency cycle: no object of plugin/libcce.a
# calls (or reads) a symbol of another that, directly or through others,
# calls back into it (nm of the library: U against T/D/B/R/C). And no file
# of plugin/ is over 800 lines.
. "$TOP_SRCDIR/tests/lib.sh"
scratch

LIB=$TOP_BUILDDIR/plugin/libcce.a
command -v nm >/dev/null 2>&1 || { echo "Bail out! nm (binutils) missing"; exit 1; }
nm -A "$LIB" > "$T/nm" 2>/dev/null
ok $? "nm reads plugin/libcce.a"
cycles=$(awk '
{
	n = split($1, a, ":"); obj = a[n - 1]
	if ($2 == "U") uses[obj] = uses[obj] " " $3
	else if ($3 != "" && $2 ~ /^[TDBRC]$/) def[$3] = obj
	objs[obj] = 1
}
END {
	for (o in objs) {
		n = split(uses[o], u, " ")
		for (i = 1; i <= n; i++)
			if ((d = def[u[i]]) != "" && d != o) reach[o, d] = 1
	}
	for (k in objs) for (o in objs) if ((o, k) in reach) for (d in objs)
		if ((k, d) in reach) reach[o, d] = 1
	for (o in objs) for (d in objs)
		if (o < d && ((o, d) in reach) && ((d, o) in reach))
			printf "%s <-> %s\n", o, d
}' "$T/nm")
is "$cycles" "" "no dependency cycle between the plugin's files"
n=$(grep -c '^[^ ]*: *[0-9a-f]* *T ' "$T/nm")
ok "$([ "$n" -gt 100 ]; echo $?)" "the library defines functions ($n)"

long=$(find "$TOP_SRCDIR/plugin" -name '*.[ch]' -exec wc -l {} + | awk '$2 != "total" && $1 > 800 { print $2 " (" $1 ")" }')
is "$long" "" "no file of plugin/ over 800 lines"
done_testing
