package rules

import (
	"bufio"
	"strings"
	"testing"
)

// TestParseDiffTreeIsStrict: output that is not diff-tree's framing is an
// error, never a silent end of the history.
func TestParseDiffTreeIsStrict(t *testing.T) {
	const c1 = "5e89d849f8f7d58afe46bc09efb32c27bcd53c05"
	const b1 = "422c2b7ab3b3c668038da977e4e93a5fc623169c"
	const zero = "0000000000000000000000000000000000000000"
	good := c1 + "\x00:000000 100644 " + zero + " " + b1 + " A\x00a\\\x00" +
		"f4f0722aa407fbe6934342f50259d273d6ef774b\x00::100644 100644 100644 " + b1 + " " + b1 + " " + b1 + " MM\x00-- /dev/null\x00"
	var got []commitDiff
	if err := parseDiffTree(bufio.NewReader(strings.NewReader(good)), func(c commitDiff) error { got = append(got, c); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].entries[0].path != `a\` || got[0].entries[0].parents[0] != "" || got[1].entries[0].path != "-- /dev/null" || len(got[1].entries[0].parents) != 2 {
		t.Fatalf("parsed %+v", got)
	}
	for name, bad := range map[string]string{
		"change before commit": ":000000 100644 " + zero + " " + b1 + " A\x00a\x00",
		"not a commit":         "commit " + c1 + "\x00",
		"short record":         c1 + "\x00:000000 100644 " + zero + " A\x00a\x00",
		"bad object ID":        c1 + "\x00:000000 100644 " + zero + " zz" + b1[2:] + " A\x00a\x00",
		"ends before a path":   c1 + "\x00:000000 100644 " + zero + " " + b1 + " A\x00",
		"ends mid-record":      c1 + "\x00:000000 100644",
	} {
		if err := parseDiffTree(bufio.NewReader(strings.NewReader(bad)), func(commitDiff) error { return nil }); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestAuthorDate: %as is the author's own calendar date.
func TestAuthorDate(t *testing.T) {
	for in, want := range map[string]string{
		"t <t@example.com> 1767323045 +0000": "2026-01-02",
		"t <t@example.com> 1767312000 -0500": "2026-01-01",
		"broken":                             "",
	} {
		if got := authorDate(in); got != want {
			t.Errorf("authorDate(%q) = %q, want %q", in, got, want)
		}
	}
}
