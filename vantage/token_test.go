package vantage

import (
	"strings"
	"testing"
)

const apiToken = "vntg_tkn_3f9a1c7e5b2d4a6c8e0f1a3b5c7d9e1f2a4b6c8d"

func TestClassifyToken(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want TokenKind
	}{
		{apiToken, APIToken},
		{apiToken[:40], MalformedAPIToken},
		{strings.ToUpper(apiToken), NotToken},
		{"vntg_tkn_" + strings.ToUpper(apiToken[9:]), MalformedAPIToken},
		{"cr_9Xk2Lm7Qp4Rt8Vw3", CostReportToken},
		{"ws_4Hj8Nq2Ts6Yb9Ze1", WorkspaceToken},
		{"rprt_a1b2c3d4e5f60718", ReportID},
		{"wrkspc_9f8e7d6c5b4a3921", WorkspaceID},
		{"${FINFOCUS_VANTAGE_TOKEN}", EnvReference},
		{"your_token_here", Placeholder},
		{"your_actual_token_value", Placeholder},
		{"changeme", Placeholder},
		{"xxxxxxxx", Placeholder},
		{"<token>", Placeholder},
		{"TODO", Placeholder},
		{"vntg_tkn_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", Placeholder},
		{"cr_your_cost_report_token", Placeholder},
		{"hello", NotToken},
		{"", NotToken},
		{"cr_abc", NotToken}, // too short to be a token
	} {
		if got := ClassifyToken(tc.in); got != tc.want {
			t.Errorf("ClassifyToken(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		apiToken:                "vntg_tkn_…6c8d",
		"cr_9Xk2Lm7Qp4Rt8Vw3ab": "cr_…w3ab",
		"cr_short":              "cr_…",
		"supersecretvalue1234":  "…1234",
		"short":                 "…",
	} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRedact(t *testing.T) {
	in := "curl -H 'Authorization: Bearer " + apiToken + "' and cr_9Xk2Lm7Qp4Rt8Vw3 and " + apiToken[:30]
	got := Redact(in)
	for _, secret := range []string{apiToken, "cr_9Xk2Lm7Qp4Rt8Vw3", apiToken[:30]} {
		if strings.Contains(got, secret) {
			t.Errorf("Redact left %q in %q", secret, got)
		}
	}
	if !strings.Contains(got, "vntg_tkn_…6c8d") {
		t.Errorf("Redact = %q", got)
	}
	if plain := "nothing secret here: cr_ and ws_"; Redact(plain) != plain {
		t.Errorf("Redact changed plain text: %q", Redact(plain))
	}
}

// TestDocsExamplesArePlaceholders: the FinFocus docs' example tokens and
// other hand-typed values are placeholders; issued-looking values are not.
func TestDocsExamplesArePlaceholders(t *testing.T) {
	for _, s := range []string{"cr_abc123def456", "ws_xyz789ghi012", "cr_123456789012", "ws_aaaaaaaaaaaa", "vntg_tkn_0123456789abcdef0123456789abcdef01234567"} {
		if !IsPlaceholder(s) {
			t.Errorf("%s is a placeholder", s)
		}
	}
	for _, s := range []string{"cr_9Xk2Lm7Qp4Rt8Vw3", "ws_4Hj8Nq2Ts6Yb9Ze1", "vntg_tkn_3f9a1c7e5b2d4a6c8e0f1a3b5c7d9e1f2a4b6c8d", "vntg_tkn_8b2e4d6f0a1c3e5b7d9f1b3d5f7a9c0e2b4d6f81"} {
		if IsPlaceholder(s) {
			t.Errorf("%s looks issued, not a placeholder", s)
		}
	}
}
