package lint

import (
	"strings"
	"testing"
)

// TestSuppressedIsCountedEverywhere: a run whose only finding was
// suppressed never reads "no problems", and every format counts it.
func TestSuppressedIsCountedEverywhere(t *testing.T) {
	r := &Rule{ID: "some-rule", Summary: "a rule", Severity: Error}
	fs := []Finding{{RuleID: r.ID, Severity: Error, Message: "a token here", File: "a.env", Line: 2, Column: 1, Suppressed: true, SuppressedBy: "comment"}}
	rep := NewReport(Tool{Name: "some-tool", Version: "1.0.0", URL: "https://example.com"}, fs, []*Rule{r}, Stats{Scanned: 1})
	want := map[string][]string{
		"text":        {"no unsuppressed problems", "1 suppressed"},
		"github":      {"no unsuppressed problems", "1 suppressed"},
		"junit":       {`skipped="1"`, `<skipped message="suppressed by comment: a token here">`},
		"checkstyle":  {`severity="ignore"`, `message="suppressed by comment: a token here"`},
		"json":        {`"suppressed": 1`},
		"sarif":       {`"suppressions"`},
		"job summary": {"1 finding suppressed"},
	}
	for format, ws := range want {
		var b strings.Builder
		var err error
		switch format {
		case "text":
			err = WriteText(&b, rep)
		case "github":
			err = WriteGitHub(&b, rep)
		case "junit":
			err = WriteJUnit(&b, rep)
		case "checkstyle":
			err = WriteCheckstyle(&b, rep)
		case "json":
			err = WriteJSON(&b, rep)
		case "sarif":
			err = WriteSARIF(&b, rep)
		case "job summary":
			err = WriteStepSummary(&b, rep, 10)
		}
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		for _, w := range ws {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s lacks %q:\n%s", format, w, b.String())
			}
		}
		if strings.Contains(strings.ToLower(b.String()), "no problems") {
			t.Errorf("%s says no problems while one was suppressed:\n%s", format, b.String())
		}
	}
}
