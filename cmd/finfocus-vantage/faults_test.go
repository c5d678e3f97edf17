package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rshade/finfocus-vantage/internal/testkit"
	"github.com/rshade/finfocus-vantage/vantage/api"
	"github.com/rshade/finfocus-vantage/vantage/api/apitest"
)

// fakeAPI starts the fake API on a clock shared with the CLI's clients for
// the duration of the test.
func fakeAPI(t *testing.T) *apitest.Server {
	t.Helper()
	if activeClock == nil {
		fastClock(t)
	}
	s := apitest.NewServer()
	s.Now = activeClock.Now
	t.Cleanup(s.Close)
	return s
}

// activeClock is the test's simClock, while one is installed.
var activeClock *testkit.Clock

// fastClock makes the CLI's clients wait on a clock that moves on
// instead of sleeping, recording the waits, for the duration of a test;
// fake APIs started after it (fakeAPI) share it, so pacing to their limits
// costs no real time.
func fastClock(t *testing.T) *testkit.Clock {
	t.Helper()
	clk := testkit.NewClock(time.Now())
	activeClock = clk
	testClock = func(c *api.Client) { c.Now, c.Sleep = clk.Now, clk.Sleep }
	t.Cleanup(func() { testClock, activeClock = nil, nil })
	return clk
}

// TestPullFaults drives pull through every API fault: each ends with a
// clear message, the documented exit code, bounded retries, and no
// output file (the previous one intact).
func TestPullFaults(t *testing.T) {
	other := fakeAPI(t) // a host that must never see the token
	otherHost := strings.TrimPrefix(strings.TrimSuffix(other.URL, "/v2"), "http://")
	cases := []struct {
		name    string
		setup   func(s *apitest.Server)
		code    int
		message string
		maxReqs int
		timeout int // request_timeout_seconds; 0 means 30
	}{
		{"429 storm with Retry-After", func(s *apitest.Server) {
			s.Inject(apitest.Fault{}, apitest.Fault{})
			for i := 0; i < 10; i++ {
				s.Inject(apitest.Fault{Status: 429, RetryAfter: "2"})
			}
		}, exitAPI, "rate limit was exceeded (429) and retries ran out", 4 + 2, 0},
		{"429 storm without Retry-After", func(s *apitest.Server) {
			s.Inject(apitest.Fault{}, apitest.Fault{})
			s.FailNext(10, 429)
		}, exitAPI, "retries ran out", 4 + 2, 0},
		{"500/502/503/504 burst", func(s *apitest.Server) {
			s.Inject(apitest.Fault{}, apitest.Fault{}, apitest.Fault{Status: 500}, apitest.Fault{Status: 502}, apitest.Fault{Status: 503}, apitest.Fault{Status: 504})
		}, exitAPI, "answered 504 (server error)", 4 + 2, 0},
		{"501 is not retried", func(s *apitest.Server) {
			s.Inject(apitest.Fault{}, apitest.Fault{}, apitest.Fault{Status: 501})
		}, exitAPI, "answered 501", 1 + 2, 0},
		{"slow beyond the timeout", func(s *apitest.Server) {
			s.Inject(apitest.Fault{}, apitest.Fault{}, apitest.Fault{Delay: 3 * time.Second}, apitest.Fault{Delay: 3 * time.Second}, apitest.Fault{Delay: 3 * time.Second}, apitest.Fault{Delay: 3 * time.Second})
		}, exitAPI, "Timeout", 4 + 2, 1},
		{"connection reset mid-body", func(s *apitest.Server) {
			s.Inject(apitest.Fault{}, apitest.Fault{}, apitest.Fault{ResetConn: true})
		}, exitAPI, "pull: page 1", 1 + 2, 0},
		{"truncated JSON", func(s *apitest.Server) {
			s.Inject(apitest.Fault{}, apitest.Fault{}, apitest.Fault{Truncate: true})
		}, exitAPI, "page 1", 1 + 2, 0},
		{"invalid JSON", func(s *apitest.Server) {
			s.Inject(apitest.Fault{}, apitest.Fault{}, apitest.Fault{InvalidJSON: true})
		}, exitAPI, "malformed response: invalid JSON", 1 + 2, 0},
		{"HTML error page", func(s *apitest.Server) {
			s.Inject(apitest.Fault{}, apitest.Fault{}, apitest.Fault{Status: 400, HTML: true})
		}, exitAPI, "the answer was not JSON (text/html", 1 + 2, 0},
		{"2 GB body", func(s *apitest.Server) {
			s.Inject(apitest.Fault{}, apitest.Fault{}, apitest.Fault{HugeBody: 2 << 30})
		}, exitAPI, "larger than 24 MiB", 1 + 2, 0},
		{"pagination cycle", func(s *apitest.Server) { s.LoopPages = true }, exitAPI, "pagination does not advance", 2 + 2, 0},
		{"next link to another host", func(s *apitest.Server) {
			s.Inject(apitest.Fault{}, apitest.Fault{}, apitest.Fault{NextHost: otherHost})
		}, exitAPI, "points at another host", 1 + 2, 0},
		{"redirect to another host", func(s *apitest.Server) {
			s.Inject(apitest.Fault{}, apitest.Fault{}, apitest.Fault{Redirect: other.URL + "/costs"})
		}, exitAPI, "points at another host", 1 + 2, 0},
		{"mixed currencies", func(s *apitest.Server) { s.MixedCurrency = true }, exitAPI, "totals do not reconcile: the rows are in EUR and USD", 3 + 2, 0},
		{"totals off by a cent", func(s *apitest.Server) { s.BadTotal = true }, exitAPI, "totals do not reconcile", 3 + 2, 0},
		{"a row with its amount twice, case aside", func(s *apitest.Server) {
			s.Inject(apitest.Fault{}, apitest.Fault{}, apitest.Fault{Rewrite: func(b []byte) []byte {
				return bytes.Replace(b, []byte(`"amount":`), []byte(`"AMOUNT":"999999.00","amount":`), 2) // the total's, then a row's
			}})
		}, exitAPI, `"amount" twice`, 3 + 2, 0}, // me, report, the page; the next page may be prefetched
		{"rejected token", func(s *apitest.Server) { s.FailNext(1, 401) }, exitAuth, "rejected the token", 1, 0},
		{"forbidden", func(s *apitest.Server) { s.FailNext(1, 403) }, exitAuth, "refused access", 1, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			waits := fastClock(t)
			s := fakeAPI(t)
			s.SetReport(apitest.ReportToken, apitest.Report{Title: "t", WorkspaceToken: apitest.WorkspaceToken, Rows: 2500})
			tc.setup(s)
			dir := t.TempDir()
			timeout := tc.timeout
			if timeout == 0 {
				timeout = 30
			}
			cfg := strings.Replace(strings.Replace(apiConfig, "max_retries: 1", "max_retries: 3", 1), "page_size: 1000", "page_size: 1000\n  request_timeout_seconds: "+strconv.Itoa(timeout), 1)
			writeFiles(t, dir, map[string]string{"vantage.yaml": cfg})
			out := filepath.Join(dir, "costs.jsonl")
			os.WriteFile(out, []byte("previous\n"), 0o644)
			r := runCLI(t, dir, apiEnv(s, apitest.ReadToken), "pull", "--config", "vantage.yaml", "--output", out)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.message) {
				t.Errorf("exit %d (want %d), stderr:\n%s", r.code, tc.code, r.stderr)
			}
			if n := len(s.Requests()); n > tc.maxReqs {
				t.Errorf("%d requests, want at most %d: retries are not bounded", n, tc.maxReqs)
			}
			for _, w := range waits.Waits() {
				if w > api.MaxBackoff {
					t.Errorf("waited %v, more than the cap", w)
				}
			}
			if b, _ := os.ReadFile(out); string(b) != "previous\n" {
				t.Error("the previous output was changed")
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 2 {
				t.Errorf("files left behind: %v", entries)
			}
			for _, req := range other.Requests() {
				if req.Authorization != "" {
					t.Fatalf("the other host received an Authorization header")
				}
			}
			noSecrets(t, r.stdout, r.stderr)
		})
	}
}

// TestRateLimitResetTimes: a reset far in the future waits no longer than
// the cap (a reset in the past: vantage's TestResetInThePast).
func TestRateLimitResetTimes(t *testing.T) {
	waits := fastClock(t)
	s := fakeAPI(t)
	s.Limits = []apitest.Limit{{N: 3, Per: 365 * 24 * time.Hour}} // the reset is a year away
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"vantage.yaml": apiConfig})
	r := runCLI(t, dir, apiEnv(s, apitest.ReadToken), "pull", "--config", "vantage.yaml", "--output", filepath.Join(dir, "c.jsonl"))
	if r.code != exitAPI || len(waits.Waits()) == 0 {
		t.Fatalf("exit %d, waits %v\n%s", r.code, waits.Waits(), r.stderr)
	}
	for _, w := range waits.Waits() {
		if w > api.MaxBackoff {
			t.Errorf("waited %v for a far reset", w)
		}
	}
}
