package apitest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func get(t *testing.T, url, token string) (*http.Response, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	json.NewDecoder(resp.Body).Decode(&body)
	return resp, body
}

// TestFakeFollowsTheAPI checks the fake's own contract: auth, the 5,000
// row limit, rate-limit headers, pagination links and exact totals.
func TestFakeFollowsTheAPI(t *testing.T) {
	s := NewServer()
	defer s.Close()
	if resp, _ := get(t, s.URL+"/ping", ""); resp.StatusCode != 200 {
		t.Errorf("ping: %d", resp.StatusCode)
	}
	if resp, _ := get(t, s.URL+"/me", "vntg_tkn_wrong"); resp.StatusCode != 401 {
		t.Errorf("bad token: %d", resp.StatusCode)
	}
	resp, body := get(t, s.URL+"/costs?cost_report_token="+ReportToken+"&limit=5001", ReadToken)
	if resp.StatusCode != 400 || !strings.Contains(toJSON(body), "5000") {
		t.Errorf("limit 5001: %d %v", resp.StatusCode, body)
	}
	if resp.Header.Get("x-rate-limit-limit") == "" || resp.Header.Get("x-rate-limit-remaining") == "" || resp.Header.Get("x-rate-limit-reset") == "" {
		t.Errorf("rate-limit headers missing: %v", resp.Header)
	}
	resp, body = get(t, s.URL+"/costs?cost_report_token="+ReportToken+"&limit=5000&page=3", ReadToken)
	links := body["links"].(map[string]any)
	if resp.StatusCode != 200 || links["next"] != nil || !strings.Contains(links["prev"].(string), "page=2") || len(body["costs"].([]any)) != 2000 {
		t.Errorf("last page: %d links %v rows %d", resp.StatusCode, links, len(body["costs"].([]any)))
	}
	s.RelativeLinks = true
	_, body = get(t, s.URL+"/costs?cost_report_token="+ReportToken+"&limit=5000", ReadToken)
	if next := body["links"].(map[string]any)["next"].(string); !strings.HasPrefix(next, "/v2/costs?") {
		t.Errorf("relative next link: %s", next)
	}
	s.Limits = []Limit{{N: 1, Per: time.Hour}}
	if resp, _ := get(t, s.URL+"/me", WriteToken); resp.StatusCode != 200 {
		t.Errorf("first request: %d", resp.StatusCode)
	}
	if resp, _ := get(t, s.URL+"/me", WriteToken); resp.StatusCode != 429 || resp.Header.Get("x-rate-limit-remaining") != "0" {
		t.Errorf("over the limit: %d", resp.StatusCode)
	}
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestFakeEnforcesTheDocumentedLimits: by default the fake allows 5
// requests per 5 s on the Cost Report endpoints, account-wide (the second
// token shares the first one's budget), on its own clock; /me is held only
// to the hourly budget.
func TestFakeEnforcesTheDocumentedLimits(t *testing.T) {
	s := NewServer()
	defer s.Close()
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	costs := s.URL + "/cost_reports/" + ReportToken
	for i := 0; i < 5; i++ {
		tok := ReadToken
		if i%2 == 1 {
			tok = WriteToken
		}
		if resp, _ := get(t, costs, tok); resp.StatusCode != 200 {
			t.Fatalf("request %d: %d", i+1, resp.StatusCode)
		}
	}
	resp, _ := get(t, costs, ReadToken)
	if resp.StatusCode != 429 || resp.Header.Get("x-rate-limit-limit") != "5" || resp.Header.Get("x-rate-limit-remaining") != "0" ||
		resp.Header.Get("x-rate-limit-reset") != strconv.FormatInt(now.Add(5*time.Second).Unix(), 10) {
		t.Fatalf("6th in 5 s: %d %v", resp.StatusCode, resp.Header)
	}
	if resp, _ := get(t, s.URL+"/me", ReadToken); resp.StatusCode != 200 || resp.Header.Get("x-rate-limit-limit") != "1000" {
		t.Fatalf("/me is not a Cost Report endpoint: %d %v", resp.StatusCode, resp.Header)
	}
	now = now.Add(5 * time.Second)
	if resp, _ := get(t, costs, ReadToken); resp.StatusCode != 200 || s.RateLimited() != 1 {
		t.Fatalf("next window: %d, %d limited", resp.StatusCode, s.RateLimited())
	}
}
