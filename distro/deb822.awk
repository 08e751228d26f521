# deb822.awk: reads an apt .sources file (deb822 format, sources.list(5)),
# used by distro/hostsrc.sh.
#
#   awk -f deb822.awk -v want=deb-src FILE
#	prints one line for every enabled stanza whose Types has deb-src;
#   awk -f deb822.awk -v want=deb -v emit=deb-src FILE
#	prints every enabled stanza whose Types has deb, with Types set to
#	deb-src and every other field kept (multi-line values included),
#	stanzas separated by a blank line.
#
# A stanza ends at a blank line; lines starting with "#" are comments; a
# line starting with a blank continues the previous field; "Enabled: no"
# turns a stanza off.

function flush(    i, t, n, types, has) {
	if (nf == 0)
		return
	n = split(typesval, types, /[ \t]+/)
	has = 0
	for (i = 1; i <= n; i++)
		if (types[i] == want)
			has = 1
	if (has && !disabled) {
		if (emit == "") {
			print FILENAME ": stanza with Types: " typesval
		} else {
			if (printed)
				print ""
			printed = 1
			print "Types: " emit
			for (i = 1; i <= nf; i++)
				if (!istypes[i])
					print field[i]
		}
	}
	nf = 0
	typesval = ""
	disabled = 0
}

BEGIN {
	nf = 0
	printed = 0
}

/^#/ {
	next
}

/^[ \t]*$/ {
	flush()
	next
}

/^[ \t]/ {
	if (nf > 0)
		field[nf] = field[nf] "\n" $0
	next
}

{
	nf++
	field[nf] = $0
	istypes[nf] = 0
	name = tolower($0)
	sub(/:.*/, "", name)
	value = $0
	sub(/^[^:]*:[ \t]*/, "", value)
	if (name == "types") {
		istypes[nf] = 1
		typesval = value
	} else if (name == "enabled" && tolower(value) == "no") {
		disabled = 1
	}
}

END {
	flush()
}
