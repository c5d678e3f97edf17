package suggest

import "testing"

func TestClosest(t *testing.T) {
	cands := []string{"cost_report_token", "workspace_token", "granularity", "hardcoded-token"}
	for _, tc := range []struct{ word, want string }{
		{"cost_reprot_token", "cost_report_token"},
		{"granulatiry", "granularity"},
		{"hardcoded_token", "hardcoded-token"}, // - and _ are one letter here
		{"HARDCODED-TOKN", "hardcoded-token"},
		{"zzz", ""},
		{"granularity", ""},
	} {
		t.Run(tc.word, func(t *testing.T) {
			got := Closest(tc.word, cands)
			if got != tc.want {
				t.Fatalf("Closest(%q) = %q, want %q", tc.word, got, tc.want)
			}
		})
	}
}
