package lint

import "testing"

// TestSnippetShowsEnvReferences: a secret span that is a whole environment
// reference is shown as written; a literal, or a reference with a default
// (which may hold a secret), is masked.
func TestSnippetShowsEnvReferences(t *testing.T) {
	mask := func(string) string { return "…" }
	same := func(s string) string { return s }
	for _, tc := range []struct{ line, want string }{
		{`  token: ${FINFOCUS_VANTAGE_TOKEN}`, `  token: ${FINFOCUS_VANTAGE_TOKEN}`},
		{`  token: "$FINFOCUS_VANTAGE_TOKEN"`, `  token: "$FINFOCUS_VANTAGE_TOKEN"`},
		{`  token: abcdefabcdefabcdef`, `  token: …`},
		{`  token: ${T:-abcdefabcdefabcdef}`, `  token: …`},
	} {
		f := NewFile("x.yaml", []byte(tc.line+"\n"))
		sp := Span{Line: 1, Col: 10, EndLine: 1, EndCol: len(tc.line) + 1, Secret: true}
		if got, _, _ := snippet(f, sp, same, mask); got != tc.want {
			t.Errorf("%q: snippet %q, want %q", tc.line, got, tc.want)
		}
	}
}
