package argv

import (
	"strings"
	"testing"
)

func TestPermute(t *testing.T) {
	tv := map[string]bool{"format": true, "f": true, "live": false}
	for in, want := range map[string]string{
		"ffv check . --format json":     "ffv check --format json -- .",
		"ffv check --live a b -f text":  "ffv check --live -f text -- a b",
		"ffv check -- --fail-on=none x": "ffv check -- --fail-on=none x",
		"ffv check --format=sarif -":    "ffv check --format=sarif -- -",
		"ffv check":                     "ffv check",
		"ffv check a --unknown b":       "ffv check --unknown -- a b",
	} {
		if got := strings.Join(Permute(strings.Fields(in), 1, tv), " "); got != want {
			t.Errorf("Permute(%q) = %q, want %q", in, got, want)
		}
	}
}
