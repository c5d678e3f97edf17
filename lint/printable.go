package lint

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Printable makes text that came from a file name, a file's content or a
// server safe to print on a terminal or in a CI log: control characters
// (newlines among them), ANSI and OSC escape sequences, Unicode direction
// overrides and invalid UTF-8 are written as visible escapes (\n, \x1b,
// \u202e), so such text can neither move the cursor, retitle the
// terminal, hide what follows, nor start a new line that a CI runner would
// read as a workflow command. Tabs stay.
func Printable(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteByte('\t')
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r >= 0x80 && r <= 0x9f, unsafeFormat(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// isPlain reports whether s is printable ASCII (and tabs): the common case,
// returned as it is.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t') || c >= 0x7f {
			return false
		}
	}
	return true
}

// unsafeFormat reports the invisible characters that reorder or hide text
// (Trojan Source): direction marks, embeddings, overrides and isolates.
func unsafeFormat(r rune) bool {
	return r == 0x200e || r == 0x200f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// TextLine is Printable for a whole line of text output, which a CI
// runner may read: a line that would start with "::" (a file named
// "::error::…", say) is written "./::…", so no name becomes a GitHub
// workflow command.
func TextLine(s string) string {
	s = Printable(s)
	if strings.HasPrefix(strings.TrimLeft(s, " \t"), "::") {
		return "./" + s
	}
	return s
}
