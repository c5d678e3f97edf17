package apitest_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rshade/finfocus-vantage/vantage/api/apitest"
)

func get(t *testing.T, s *apitest.Server, path string, q url.Values) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", s.URL+path+"?"+q.Encode(), nil)
	req.Header.Set("Authorization", "Bearer "+apitest.ReadToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
	}
	return body
}

// TestFakeAnswersInThePublishedShape checks every successful answer of the
// fake, across groupings, settings, date bins and date forms, against the
// contract taken from Vantage's published schema. Fault modes are
// off-schema by design and not checked.
func TestFakeAnswersInThePublishedShape(t *testing.T) {
	s := apitest.NewServer()
	defer s.Close()
	s.Limits = nil // hundreds of requests in a row: the shapes are the subject here, not the limits
	s.SetReport(apitest.ReportToken, apitest.Report{Title: "t", WorkspaceToken: apitest.WorkspaceToken, Rows: 700})
	check := func(def, what string, body []byte) {
		t.Helper()
		if problems := apitest.CheckAnswer(def, body); len(problems) > 0 {
			t.Errorf("%s is off the schema:\n  %s", what, strings.Join(problems, "\n  "))
		}
	}
	check("Me", "GET /me", get(t, s, "/me", nil))
	check("CostReport", "GET /cost_reports/{token}", get(t, s, "/cost_reports/"+apitest.ReportToken, nil))
	for _, q := range []url.Values{nil, {"limit": {"2"}, "page": {"1"}}, {"limit": {"2"}, "page": {"2"}, "sort_direction": {"desc"}}, {"limit": {"1000"}, "page": {"9"}}} {
		check("Tags", "GET /tags?"+q.Encode(), get(t, s, "/tags", q))
	}
	groupings := []string{"", "provider,service,account_id", "provider,service,account_id,billing_account_id,region,resource_id,charge_type,cost_category,tagged",
		"service,tag:environment", "cost_subcategory,usage_unit"}
	settings := []map[string]string{{}, {"include_credits": "true", "include_refunds": "true", "include_tax": "true"}, {"include_tax": "false", "amortize": "false"}}
	for _, form := range []string{"", "date", "datetime"} {
		s.DateForm = form
		for _, bin := range []string{"", "day", "week", "month", "quarter", "hour"} {
			for _, g := range groupings {
				for _, st := range settings {
					q := url.Values{"cost_report_token": {apitest.ReportToken}, "limit": {"300"}}
					if bin != "" {
						q.Set("date_bin", bin)
					}
					if g != "" {
						q.Set("groupings", g)
					}
					for k, v := range st {
						q.Set("settings["+k+"]", v)
					}
					for page := 1; page <= 3; page++ {
						q.Set("page", string(rune('0'+page)))
						check("Costs", "GET /costs?"+q.Encode(), get(t, s, "/costs", q))
					}
				}
			}
		}
	}
}

// TestContractCatchesDrift: the checker is not a rubber stamp. Answers in
// the shapes the first fakes used are refused.
func TestContractCatchesDrift(t *testing.T) {
	for _, tc := range []struct{ def, body, want string }{
		{"Costs", `{"total_cost":{"amount":"1.00","currency":"USD"},"costs":[{"accrued_at":"2026-10-01","amount":"1","currency":"USD","tags":[{"tag_key":"a","tag_value":"b"}]}]}`, "want a string"},
		{"Costs", `{"total_cost":{"amount":"1.00","currency":"USD"},"costs":[{"accrued_at":"2026-10-01","amount":1,"currency":"USD"}]}`, "want a string"},
		{"Costs", `{"costs":[]}`, `required member "total_cost" is missing`},
		{"Costs", `{"total_cost":{"amount":"1.00","currency":"USD"},"costs":[{"amount":"1","currency":"USD"}]}`, `"accrued_at" is missing`},
		{"Costs", `{"total_cost":{"amount":"1.00","currency":"USD"},"costs":[{"accrued_at":"x","amount":"1","currency":"USD","charge_type":"Usage"}]}`, `"charge_type" is not in the schema`},
		{"Costs", `{"total_cost":{"amount":"1.00","currency":"USD"},"costs":[{"accrued_at":"x","amount":"1","currency":null}]}`, `"currency" is null`},
		{"Costs", `{"total_cost":{"amount":"1.00","currency":"USD"},"costs":[{"accrued_at":"x","amount":"1","currency":"USD","provider":"aws-cloud"}]}`, "not one of the schema's values"},
		{"Me", `{"workspaces":[{"token":"wrkspc_1","name":"x"}],"default_workspace_token":"wrkspc_1","bearer_token":{"description":"d","created_at":"c","scope":["read"]}}`, `"enable_currency_conversion" is missing`},
	} {
		problems := strings.Join(apitest.CheckAnswer(tc.def, []byte(tc.body)), "\n")
		if !strings.Contains(problems, tc.want) {
			t.Errorf("%s: problems %q, want one with %q", tc.body, problems, tc.want)
		}
	}
}
