package vantage

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

var fullTokenRe = regexp.MustCompile(`vntg_tkn_[0-9a-f]{40}`)

// FuzzTokens: classifying, masking and redacting any string never panics,
// and redacted text never holds a full API token.
func FuzzTokens(f *testing.F) {
	for _, s := range []string{apiToken, "cr_9Xk2Lm7Qp4Rt8Vw3", "ws_4Hj8Nq2Ts6Yb9Ze1", "rprt_a1b2c3d4", "your_token_here", "${X}", "", "vntg_tkn_", "x vntg_tkn_" + strings.Repeat("a", 40) + "vntg_tkn_" + strings.Repeat("0", 40), "é\xffvntg_tkn_" + apiToken[9:]} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = ClassifyToken(s).String()
		_ = IsPlaceholder(s)
		m := Mask(s)
		if len(s) >= 12 && m == s {
			t.Fatalf("Mask left %q as it was", s)
		}
		if fullTokenRe.MatchString(m) {
			t.Fatalf("Mask(%q) = %q holds a full token", s, m)
		}
		r := Redact(s)
		for _, tok := range fullTokenRe.FindAllString(r, -1) {
			if !IsPlaceholder(tok) {
				t.Fatalf("Redact(%q) = %q holds a full token", s, r)
			}
		}
		if utf8.ValidString(s) && !utf8.ValidString(r) {
			t.Fatalf("Redact broke UTF-8: %q", r)
		}
	})
}

// FuzzRefs: parsing and expanding ${NAME} references never panics, and
// every reference found covers exactly ${NAME} in the value.
func FuzzRefs(f *testing.F) {
	for _, s := range []string{"${A}", "$A", "${A", "${ A }", "{{A}}", "${A:-x}", "$${A}", "a${B}c${C_1}", "{{", "${}", "${é}", "\xff${A}"} {
		f.Add(s)
	}
	res := Resolver{Env: func(n string) (string, bool) {
		if n == "A" {
			return "value-a", true
		}
		return "", false
	}}
	f.Fuzz(func(t *testing.T, s string) {
		refs, bad := ParseRefs(s)
		r := []rune(s)
		for _, ref := range refs {
			if ref.Start < 0 || ref.End > len(r) || string(r[ref.Start:ref.End]) != "${"+ref.Name+"}" {
				t.Fatalf("%q: ref %+v does not cover ${%s}", s, ref, ref.Name)
			}
		}
		for _, b := range bad {
			if b.Start < 0 || b.End > len(r) || b.Start > b.End || b.Problem == "" {
				t.Fatalf("%q: bad ref %+v", s, b)
			}
		}
		out, err := res.Expand(s)
		if err == nil && len(bad) == 0 && strings.Contains(out, "${A}") && !strings.Contains(s, "${A}") {
			t.Fatalf("%q expanded to %q", s, out)
		}
	})
}
