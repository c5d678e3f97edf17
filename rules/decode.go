package rules

import (
	"bytes"

	"encoding/base64"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rshade/finfocus-vantage/lint"
)

// A Vantage token is found however it is written: plain, or inside a
// base64 or base64url run (a Kubernetes Secret's data, a Helm value, a
// `kubectl get secret -o json` dump, a Secret made from a whole .env),
// percent-encoded (a curl URL), as JSON or JavaScript \uXXXX and \xXX
// escapes (a notebook's output), as HTML entities, and nested (base64 of
// an env file, base64 of base64), to maxDecodeDepth layers, as gitleaks
// decodes with its defaults. Decoding runs for the Vantage rules only and
// only where an encoded form of the token's prefix, or an encoded "v"
// beside the word, is present, so ordinary files cost one search for a
// few short byte strings. A decoded finding is reported at the encoded
// text (masked there) and says how it was encoded.

const (
	// maxDecodeDepth is how many layers of encoding are undone.
	maxDecodeDepth = 5
	// maxDecoded bounds the decoded bytes searched per file.
	maxDecoded = 8 << 20
)

// minBase64Run is the shortest base64 run decoded: base64 of a whole API
// token is 68 characters.
const minBase64Run = 64

// base64Runs returns the runs of base64 or base64url characters (with
// their padding) that hold one of base64Marks, found from each mark
// outwards rather than by scanning the whole text with a pattern.
func base64Runs(text []byte) [][2]int {
	var runs [][2]int
	seen := map[int]bool{}
	for _, m := range base64Marks {
		for off := 0; ; {
			i := bytes.Index(text[off:], []byte(m))
			if i < 0 {
				break
			}
			at := off + i
			off = at + 1
			l, r := at, at
			for l > 0 && isBase64Char(text[l-1]) {
				l--
			}
			for r < len(text) && isBase64Char(text[r]) {
				r++
			}
			for p := 0; p < 2 && r < len(text) && text[r] == '='; p++ {
				r++
			}
			if r-l >= minBase64Run && !seen[l] {
				seen[l] = true
				runs = append(runs, [2]int{l, r})
			}
			off = max(off, r)
		}
	}
	return runs
}

func isBase64Char(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '_' || c == '-'
}

// base64Marks are fixed substrings of the base64 (and base64url) forms of
// "vntg_tkn_" in either case, at each of the three alignments a byte
// string can take, and of those forms encoded once more: a run holding
// none of them cannot decode to a token within two layers of base64
// (escapes between them aside), so only runs holding one are decoded.
var base64Marks = func() []string {
	var marks []string
	seen := map[string]bool{}
	add := func(m string) {
		if len(m) >= 6 && !seen[m] {
			seen[m] = true
			marks = append(marks, m)
		}
	}
	var forms []string
	for _, s := range []string{apiTokenKeyword, strings.ToUpper(apiTokenKeyword)} {
		for _, f := range stableBase64(s) {
			add(f)
			forms = append(forms, f)
		}
	}
	for _, f := range forms {
		for _, g := range stableBase64(f) {
			add(g)
		}
	}
	return marks
}()

// stableBase64 returns, for each alignment, the part of s's base64 and
// base64url encodings that does not depend on the bytes around s.
func stableBase64(s string) []string {
	var out []string
	for k := 0; k < 3; k++ {
		in := append(bytes.Repeat([]byte{0}, k), s...)
		in = append(in, 0, 0, 0)
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
			e := enc.EncodeToString(in)
			// Character i holds bits [6i, 6i+6): stable when they all come
			// from s, which holds bits [8k, 8k+8len(s)).
			first := (8*k + 5) / 6
			last := (8*k+8*len(s))/6 - 1
			if last > first {
				out = append(out, e[first:last+1])
			}
		}
	}
	return out
}

// escapeMarks are the escaped forms of "_" and "v" that make the escape
// pass worth running.
var escapeMarks = []string{
	"%5f", "%5F", `\u005f`, `\u005F`, `\x5f`, `\x5F`, "&#95;", "&#x5f;", "&#x5F;", "&lowbar;",
	"%76", `\u0076`, `\x76`, "&#118;", "&#x76;",
}

// decodedHit is a secret found after decoding: start and end are the
// encoded text's span in the file, how says how it was encoded.
type decodedHit struct {
	secretHit
	how string
}

// decodeView is text to search and how its spans map to the file's.
type decodeView struct {
	text []byte
	// span maps [i, j) of text to a span of the file.
	span func(i, j int) (int, int)
	how  []string
}

// decodedSecrets finds the secrets detect sees only after decoding src.
// Callers run it where mayBeEncoded says so (gatesOf).
func decodedSecrets(src []byte, detect func(chunk string) []leak) []decodedHit {
	var out []decodedHit
	budget := maxDecoded
	var walk func(v decodeView, depth int)
	walk = func(v decodeView, depth int) {
		if depth > 0 {
			for _, h := range detectChunks(v.text, detect) {
				s, e := v.span(h.start, h.end)
				h.start, h.end = s, e
				out = append(out, decodedHit{secretHit: h, how: strings.Join(v.how, " of ")})
			}
		}
		if depth >= maxDecodeDepth || budget <= 0 {
			return
		}
		if hasAny(v.text, escapeMarks) {
			if u, pos, kinds, ok := unescape(v.text); ok && budget >= len(u) {
				budget -= len(u)
				parent := v
				walk(decodeView{text: u, how: append([]string{kinds}, v.how...), span: func(i, j int) (int, int) {
					return parent.span(pos[i], pos[j])
				}}, depth+1)
			}
		}
		for _, m := range base64Runs(v.text) {
			run := v.text[m[0]:m[1]]
			dec := decodeBase64(run)
			if dec == nil || budget < len(dec) {
				continue
			}
			budget -= len(dec)
			s, e := v.span(m[0], m[1])
			walk(decodeView{text: dec, how: append([]string{"base64"}, v.how...), span: func(int, int) (int, int) { return s, e }}, depth+1)
		}
	}
	walk(decodeView{text: src, span: func(i, j int) (int, int) { return i, j }}, 0)
	return out
}

// mayBeEncoded is the cheap test that decides whether a file is decoded
// at all. It avoids a search per mark (which cost a walked repository
// half its time): escapes are looked for only where their first byte is,
// base64 marks only in text with a run long enough to hold a token.
func mayBeEncoded(src []byte) bool {
	if (bytes.IndexByte(src, '%') >= 0 || bytes.IndexByte(src, '\\') >= 0 || bytes.IndexByte(src, '&') >= 0) && hasAny(src, escapeMarks) {
		return true
	}
	return hasLongBase64Run(src) && hasAny(src, base64Marks)
}

// base64Byte marks the bytes of the base64 and base64url alphabets.
var base64Byte = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = isBase64Char(byte(c))
	}
	return t
}()

// hasLongBase64Run reports a run of at least minBase64Run base64 bytes.
// It looks at the last byte of each window first: when that is not
// base64, no run through the window is long enough and it skips a whole
// window, so ordinary text costs about one byte in minBase64Run.
func hasLongBase64Run(b []byte) bool {
	const n = minBase64Run
	for i := 0; i+n <= len(b); {
		j := i + n - 1
		if !base64Byte[b[j]] {
			i = j + 1
			continue
		}
		k := j
		for k > i && base64Byte[b[k-1]] {
			k--
		}
		if k == i {
			return true
		}
		i = k // the run ending at j starts at k: try the window from there
	}
	return false
}

// hasAny reports whether b holds one of marks (lint.Contains anchors each
// search on its rarest byte).
func hasAny(b []byte, marks []string) bool {
	for _, m := range marks {
		if lint.Contains(b, m) {
			return true
		}
	}
	return false
}

// decodeBase64 decodes a run as base64 or base64url, padded or not; nil
// when it is neither or does not decode to text.
func decodeBase64(run []byte) []byte {
	s := strings.TrimRight(string(run), "=")
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		// A run may start or end mid-quantum: try the longest decodable
		// prefix too.
		for _, t := range []string{s, s[:len(s)&^3]} {
			if b, err := enc.DecodeString(t); err == nil && textLike(b) {
				return b
			}
		}
	}
	return nil
}

// textLike reports decoded bytes that are mostly printable text (binary
// noise is not searched further).
func textLike(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	bad := 0
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 || r < 0x20 && r != '\n' && r != '\r' && r != '\t' {
			bad++
		}
		i += size
	}
	return bad*10 <= len(b)
}

// unescape undoes percent-encoding, \uXXXX and \xXX escapes and HTML
// character references in one pass. pos[i] is the offset in b of the
// text that became byte i of out (pos has one more entry, for the end).
// kinds names the escapes undone; ok is false when there were none.
func unescape(b []byte) (out []byte, pos []int, kinds string, ok bool) {
	out = make([]byte, 0, len(b))
	pos = make([]int, 0, len(b)+1)
	var seen []string
	note := func(k string) {
		for _, s := range seen {
			if s == k {
				return
			}
		}
		seen = append(seen, k)
	}
	emit := func(r rune, at int) {
		var tmp [utf8.UTFMax]byte
		n := utf8.EncodeRune(tmp[:], r)
		for k := 0; k < n; k++ {
			out = append(out, tmp[k])
			pos = append(pos, at)
		}
	}
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '%' && i+2 < len(b) && isHex(b[i+1]) && isHex(b[i+2]):
			v, _ := strconv.ParseUint(string(b[i+1:i+3]), 16, 8)
			out, pos = append(out, byte(v)), append(pos, i)
			note("percent-encoding")
			i += 3
			continue
		case c == '\\' && i+5 < len(b) && b[i+1] == 'u' && allHex(b[i+2:i+6]):
			v, _ := strconv.ParseUint(string(b[i+2:i+6]), 16, 32)
			emit(rune(v), i)
			note(`\u escapes`)
			i += 6
			continue
		case c == '\\' && i+3 < len(b) && b[i+1] == 'x' && allHex(b[i+2:i+4]):
			v, _ := strconv.ParseUint(string(b[i+2:i+4]), 16, 8)
			out, pos = append(out, byte(v)), append(pos, i)
			note(`\x escapes`)
			i += 4
			continue
		case c == '&':
			if r, n := htmlRef(b[i:]); n > 0 {
				emit(r, i)
				note("HTML entities")
				i += n
				continue
			}
		}
		out, pos = append(out, c), append(pos, i)
		i++
	}
	pos = append(pos, len(b))
	return out, pos, strings.Join(seen, " and "), len(seen) > 0
}

// htmlRef reads a character reference (&#95; &#x5f; &lowbar; &amp; …) at
// the start of b: its rune and length, or 0.
func htmlRef(b []byte) (rune, int) {
	end := bytes.IndexByte(b[:min(len(b), 12)], ';')
	if end < 2 {
		return 0, 0
	}
	body := string(b[1:end])
	switch {
	case strings.HasPrefix(body, "#x") || strings.HasPrefix(body, "#X"):
		if v, err := strconv.ParseUint(body[2:], 16, 32); err == nil {
			return rune(v), end + 1
		}
	case strings.HasPrefix(body, "#"):
		if v, err := strconv.ParseUint(body[1:], 10, 32); err == nil {
			return rune(v), end + 1
		}
	default:
		if r, ok := htmlNames[body]; ok {
			return r, end + 1
		}
	}
	return 0, 0
}

// htmlNames are the named references a token's characters can take.
var htmlNames = map[string]rune{"lowbar": '_', "UnderBar": '_', "amp": '&', "quot": '"', "apos": '\'', "lt": '<', "gt": '>', "equals": '=', "colon": ':', "sol": '/', "plus": '+'}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func allHex(b []byte) bool {
	for _, c := range b {
		if !isHex(c) {
			return false
		}
	}
	return true
}

// concatRun is two or more string literals joined by + in one expression
// (JavaScript, Python, Go, Java…), across line breaks too.
var concatRun = regexp.MustCompile(`(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|` + "`[^`]*`" + `)(?:\s*\+\s*(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|` + "`[^`]*`" + `))+`)

// literalPart is one string literal of a concatenation.
var literalPart = regexp.MustCompile(`"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|` + "`([^`]*)`")

// concatenatedSecrets finds tokens split across adjacent string literals
// joined by + (a common way to slip one past a scanner, or to keep a line
// short): the literals are joined and searched, and a finding covers the
// whole expression. Callers run it only on text holding a piece of the
// token's prefix beside a + (mayBeSplit, through gatesOf).
func concatenatedSecrets(src []byte, detect func(chunk string) []leak) []secretHit {
	// The expression is searched for only around each piece of the
	// prefix (a window either side), never over the whole text.
	const reach = 512
	var out []secretHit
	done := -1 // the end of the last expression searched
	for _, at := range prefixPieces(src) {
		from, to := max(at-reach, 0, done), min(at+reach, len(src))
		if from >= to {
			continue
		}
		for _, m := range concatRun.FindAllIndex(src[from:to], -1) {
			m0, m1 := from+m[0], from+m[1]
			if m0 > at || m1 <= at {
				continue // not the expression holding this piece
			}
			done = m1
			var joined strings.Builder
			for _, p := range literalPart.FindAllSubmatch(src[m0:m1], -1) {
				joined.Write(p[1])
				joined.Write(p[2])
				joined.Write(p[3])
			}
			for _, h := range detectChunks([]byte(joined.String()), detect) {
				h.start, h.end, h.how = m0, m1, "string literals joined with +"
				out = append(out, h)
			}
		}
	}
	return out
}

// prefixPieces returns the offsets of "vntg" and "tkn_" in any case.
func prefixPieces(src []byte) []int {
	var at []int
	for i := 0; i+4 <= len(src); i++ {
		c := src[i] | 0x20
		if (c == 'v' || c == 't') && (bytes.EqualFold(src[i:i+4], []byte("vntg")) || bytes.EqualFold(src[i:i+4], []byte("tkn_"))) {
			at = append(at, i)
		}
	}
	return at
}

// mayBeSplit is the cheap test for concatenatedSecrets: a + and a piece
// of the token's prefix, in either case.
func mayBeSplit(src []byte) bool {
	if !bytes.Contains(src, []byte("+")) {
		return false
	}
	for _, p := range []string{"vntg", "VNTG", "tkn_", "TKN_"} {
		if bytes.Contains(src, []byte(p)) {
			return true
		}
	}
	return false
}
