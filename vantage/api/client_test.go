package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rshade/finfocus-vantage/internal/testkit"
	"github.com/rshade/finfocus-vantage/vantage/api"
	"github.com/rshade/finfocus-vantage/vantage/api/apitest"
)

func newClient(t *testing.T, s *apitest.Server, token string, opts ...api.Option) (*api.Client, *testkit.Clock) {
	t.Helper()
	c, err := api.NewClient(token, append([]api.Option{api.WithBaseURL(s.URL)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	clock := testkit.NewClock(time.Now())
	c.Now, c.Sleep = clock.Now, clock.Sleep
	c.Backoff = func(attempt int) time.Duration { return time.Duration(attempt) * time.Second }
	return c, clock
}

// noToken fails when an error text contains a token.
func noToken(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, tok := range []string{apitest.ReadToken, apitest.WriteToken, "vntg_tkn_badbadbadbadbadbadbadbadbadbadbadbadbadb"} {
		if strings.Contains(err.Error(), tok) {
			t.Fatalf("error leaks the token: %v", err)
		}
	}
}

func TestMeSendsBearerAndUserAgent(t *testing.T) {
	s := apitest.NewServer()
	defer s.Close()
	c, _ := newClient(t, s, apitest.ReadToken, api.WithUserAgent("finfocus-vantage/test"))
	me, err := c.Me(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if me.BearerToken.Description != "finops-ci reader" || len(me.Workspaces) != 1 || me.BearerToken.Scope[0] != "read" {
		t.Errorf("me = %+v", me)
	}
	r := s.Requests()[0]
	if r.Method != "GET" || r.Path != "/v2/me" || r.Authorization != "Bearer "+apitest.ReadToken {
		t.Errorf("request = %+v", r)
	}
}

func TestTypedErrors(t *testing.T) {
	s := apitest.NewServer()
	defer s.Close()
	bad, _ := newClient(t, s, "vntg_tkn_badbadbadbadbadbadbadbadbadbadbadbadbadb")
	_, err := bad.Me(context.Background())
	var ae *api.AuthError
	if !errors.As(err, &ae) || ae.Status != 401 {
		t.Fatalf("401: %v", err)
	}
	noToken(t, err)
	c, _ := newClient(t, s, apitest.ReadToken)
	_, err = c.CostReport(context.Background(), "rprt_0000000000000bad")
	var nf *api.NotFoundError
	if !errors.As(err, &nf) || !strings.Contains(err.Error(), "Cost report not found") {
		t.Fatalf("404: %v", err)
	}
	s.FailNext(1, 403)
	_, err = c.Me(context.Background())
	if !errors.As(err, &ae) || ae.Status != 403 {
		t.Fatalf("403: %v", err)
	}
	s.FailNext(1, 402)
	_, err = c.Me(context.Background())
	var apiErr *api.APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 402 || !strings.Contains(err.Error(), "cannot query costs") {
		t.Fatalf("402: %v", err)
	}
	s.Inject(apitest.Fault{Status: 400, HTML: true})
	_, err = c.Me(context.Background())
	if !errors.As(err, &apiErr) || !strings.Contains(err.Error(), "not JSON (text/html") {
		t.Fatalf("HTML error page: %v", err)
	}
}

func TestCostsPaginationAndQuery(t *testing.T) {
	for _, relative := range []bool{false, true} {
		s := apitest.NewServer()
		s.RelativeLinks = relative
		s.SetReport(apitest.ReportToken, apitest.Report{Rows: 2500, WorkspaceToken: apitest.WorkspaceToken})
		c, _ := newClient(t, s, apitest.ReadToken)
		q := api.CostsQuery{CostReportToken: apitest.ReportToken, WorkspaceToken: "wrkspc_ignored00", StartDate: "2026-10-01", EndDate: "2026-10-31", DateBin: "day", Groupings: []string{"provider", "service"}, Limit: 1000}
		var rows, pages int
		err := c.Costs(context.Background(), q, func(p *api.CostsPage) error {
			pages++
			rows += len(p.Rows)
			if p.TotalCost == nil || len(p.Rows[0]) == 0 {
				t.Errorf("page %d lacks total or raw rows", p.Number)
			}
			return nil
		})
		if err != nil || rows != 2500 || pages != 3 {
			t.Fatalf("relative=%v: rows %d pages %d err %v", relative, rows, pages, err)
		}
		reqs := s.Requests()
		q1, _ := url.ParseQuery(reqs[0].Query)
		if reqs[0].Path != "/v2/costs" || q1.Get("cost_report_token") != apitest.ReportToken || q1.Has("workspace_token") ||
			q1.Get("groupings") != "provider,service" || q1.Get("limit") != "1000" || q1.Get("date_bin") != "day" || q1.Get("start_date") != "2026-10-01" {
			t.Errorf("first request: %+v", reqs[0])
		}
		if q3, _ := url.ParseQuery(reqs[2].Query); q3.Get("page") != "3" {
			t.Errorf("third request: %+v", reqs[2])
		}
		s.Close()
	}
}

func TestRetriesHonourRetryAfterAndAreBounded(t *testing.T) {
	s := apitest.NewServer()
	defer s.Close()
	c, clock := newClient(t, s, apitest.ReadToken, api.WithMaxRetries(3))
	s.Inject(apitest.Fault{Status: 429, RetryAfter: "7"}, apitest.Fault{Status: 503}, apitest.Fault{Status: 429, RetryAfter: time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)})
	if _, err := c.Me(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(clock.Waits()) != 3 || clock.Waits()[0] != 7*time.Second || clock.Waits()[1] != 2*time.Second || clock.Waits()[2] != api.MaxBackoff {
		t.Errorf("waits = %v (want 7s from Retry-After, 2s backoff, the cap for a far date)", clock.Waits())
	}
	// A storm longer than max_retries ends with a RateLimitError.
	s.FailNext(4, 429)
	n := len(s.Requests())
	_, err := c.Me(context.Background())
	var rl *api.RateLimitError
	if !errors.As(err, &rl) || len(s.Requests())-n != 4 {
		t.Fatalf("storm: %v after %d requests", err, len(s.Requests())-n)
	}
	// 501 is not retried.
	s.FailNext(1, 501)
	n = len(s.Requests())
	if _, err := c.Me(context.Background()); err == nil || len(s.Requests())-n != 1 {
		t.Fatalf("501 retried or ignored: %v", err)
	}
}

func TestPacingWaitsForReset(t *testing.T) {
	s := apitest.NewServer()
	defer s.Close()
	s.Limits = []apitest.Limit{{N: 2, Per: 30 * time.Second}}
	c, clock := newClient(t, s, apitest.ReadToken)
	s.Now = clock.Now // the fake's window runs on the client's clock
	for i := 0; i < 3; i++ {
		if _, err := c.Me(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	// The second answer said 0 remaining: the third request waited first.
	if len(clock.Waits()) != 1 || clock.Waits()[0] <= 0 {
		t.Fatalf("no pacing wait after the window was used up: %v", clock.Waits())
	}
}

func TestTokenNeverLeavesTheBaseHost(t *testing.T) {
	var mu sync.Mutex
	var got []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Get("Authorization"))
		mu.Unlock()
		w.Write([]byte(`{"costs":[]}`))
	}))
	defer other.Close()
	s := apitest.NewServer()
	defer s.Close()
	c, _ := newClient(t, s, apitest.ReadToken)
	q := api.CostsQuery{CostReportToken: apitest.ReportToken, Limit: 5000}

	s.Inject(apitest.Fault{NextHost: strings.TrimPrefix(other.URL, "http://")})
	err := c.Costs(context.Background(), q, func(*api.CostsPage) error { return nil })
	if !errors.Is(err, api.ErrForeignHost) {
		t.Fatalf("next link to another host: %v", err)
	}
	s.Inject(apitest.Fault{Redirect: other.URL + "/v2/me"})
	_, err = c.Me(context.Background())
	if !errors.Is(err, api.ErrForeignHost) {
		t.Fatalf("redirect to another host: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, h := range got {
		if h != "" {
			t.Fatalf("the other host received an Authorization header")
		}
	}
	noToken(t, err)
}

func TestBadAnswers(t *testing.T) {
	s := apitest.NewServer()
	defer s.Close()
	c, _ := newClient(t, s, apitest.ReadToken, api.WithMaxRetries(0))
	q := api.CostsQuery{CostReportToken: apitest.ReportToken, Limit: 5000}
	each := func(*api.CostsPage) error { return nil }
	for name, f := range map[string]apitest.Fault{
		"invalid JSON": {InvalidJSON: true},
		"truncated":    {Truncate: true},
		"reset":        {ResetConn: true},
	} {
		s.Inject(f)
		err := c.Costs(context.Background(), q, each)
		if err == nil {
			t.Errorf("%s: no error", name)
		}
		noToken(t, err)
	}
	s.LoopPages = true
	if err := c.Costs(context.Background(), api.CostsQuery{CostReportToken: apitest.ReportToken, Limit: 1000}, each); !errors.Is(err, api.ErrPaginationLoop) {
		t.Errorf("loop: %v", err)
	}
	s.LoopPages = false
	if err := c.Costs(context.Background(), api.CostsQuery{CostReportToken: apitest.ReportToken, Limit: 6000}, each); err == nil {
		t.Error("limit above 5000 accepted")
	}
	c.MaxBody = 1 << 20
	s.Inject(apitest.Fault{HugeBody: 8 << 20})
	if err := c.Costs(context.Background(), q, each); !errors.Is(err, api.ErrBadResponse) || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("huge body: %v", err)
	}
}

func TestTimeout(t *testing.T) {
	s := apitest.NewServer()
	defer s.Close()
	c, _ := newClient(t, s, apitest.ReadToken, api.WithTimeout(50*time.Millisecond), api.WithMaxRetries(1))
	s.Inject(apitest.Fault{Delay: time.Second}, apitest.Fault{Delay: time.Second})
	_, err := c.Me(context.Background())
	if err == nil || !strings.Contains(err.Error(), "Timeout") {
		t.Fatalf("timeout: %v", err)
	}
	noToken(t, err)
}

func TestBaseURLValidation(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://api.vantage.sh/v2":      true,
		"http://127.0.0.1:8089/v2":       true,
		"http://localhost:8089/v2":       true,
		"http://api.vantage.sh/v2":       false,
		"http://10.0.0.5/v2":             false,
		"ftp://api.vantage.sh":           false,
		"https://user:pw@api.vantage.sh": false,
	} {
		_, err := api.NewClient("vntg_tkn_x", api.WithBaseURL(raw))
		if (err == nil) != ok {
			t.Errorf("%s: err = %v", raw, err)
		}
		if err != nil && !errors.Is(err, api.ErrInsecureBaseURL) {
			t.Errorf("%s: %v is not ErrInsecureBaseURL", raw, err)
		}
	}
}

func TestScanCostKey(t *testing.T) {
	for raw, want := range map[string]api.CostKey{
		`{"accrued_at":"2026-10-01","amount":"12.5","currency":"USD","provider":"aws","usage":{"amount":"3","unit":"h"},"tags":[{"tag_key":"a","tag_value":"b"}],"service":"EC2"}`: {Amount: "12.5", Currency: "USD", Provider: "aws", Service: "EC2"},
		` { "amount" : "0.1" , "service" : "S\u0033 \"x\"", "currency":"EUR", "provider": null } `:                                                                                 {Amount: "0.1", Currency: "EUR", Service: `S3 "x"`},
		`{"region":null,"amount":"1","nested":{"amount":"999"},"list":[1,{"x":"}"}],"currency":"USD"}`:                                                                             {Amount: "1", Currency: "USD"},
	} {
		got, err := api.ScanCostKey([]byte(raw))
		if err != nil || got != want {
			t.Errorf("ScanCostKey(%s) = %+v, %v; want %+v", raw, got, err, want)
		}
	}
	if _, err := api.ScanCostKey([]byte(`[1,2]`)); !errors.Is(err, api.ErrBadResponse) {
		t.Errorf("array row: %v", err)
	}
}

// TestResetInThePast: a 429 whose x-rate-limit-reset has already passed
// (and no Retry-After) retries after the backoff, not at once or forever.
func TestResetInThePast(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		w.Header().Set("x-rate-limit-limit", "5")
		w.Header().Set("x-rate-limit-remaining", "1")
		w.Header().Set("x-rate-limit-reset", strconv.FormatInt(time.Now().Add(-time.Hour).Unix(), 10))
		if n == 1 {
			w.WriteHeader(429)
			return
		}
		w.Write([]byte(`{"bearer_token":{"description":"d"}}`))
	}))
	defer srv.Close()
	c, err := api.NewClient("vntg_tkn_x", api.WithBaseURL(srv.URL+"/v2"))
	if err != nil {
		t.Fatal(err)
	}
	clock := testkit.NewClock(time.Now())
	c.Now, c.Sleep = clock.Now, clock.Sleep
	c.Backoff = func(attempt int) time.Duration { return 3 * time.Second }
	if _, err := c.Me(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(clock.Waits()) != 1 || clock.Waits()[0] != 3*time.Second {
		t.Errorf("waits %v, want the 3s backoff once", clock.Waits())
	}
}

// TestEchoedTokenSpellingsAreMasked: a server that echoes the token back
// in an error body, a 403 detail, a 500 body or a redirect's Location, as
// bare hex, in upper case, URL-encoded or JSON-escaped, never gets it
// printed.
func TestEchoedTokenSpellingsAreMasked(t *testing.T) {
	const tok = "vntg_tkn_3f9a1c7e5b2d4a6c8e0f1a3b5c7d9e1f2a4b6c8d"
	hex := strings.TrimPrefix(tok, "vntg_tkn_")
	spellings := []string{
		tok, hex, strings.ToUpper(tok), strings.ToUpper(hex),
		url.QueryEscape(strings.ReplaceAll(tok, "_", "%5F")), strings.ReplaceAll(tok, "_", "%5F"), strings.ReplaceAll(tok, "_", "%5f"),
		strings.ReplaceAll(tok, "_", `\u005f`), `\u0076ntg_tkn_` + hex, strings.ReplaceAll(tok, "a", `\x61`),
		tok + "example", tok + "_old",
	}
	for _, sp := range spellings {
		for _, status := range []int{400, 403, 500, 302} {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if status == 302 {
					w.Header().Set("Location", "https://elsewhere.example/?t="+sp)
					w.WriteHeader(302)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				b, _ := json.Marshal(map[string][]string{"errors": {"bad token " + sp + " detail"}})
				if strings.Contains(sp, `\`) {
					b = []byte(`{"errors":["bad token ` + sp + ` detail"]}`)
				}
				w.Write(b)
			}))
			c, err := api.NewClient(tok, api.WithBaseURL(srv.URL+"/v2"), api.WithMaxRetries(0))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Me(context.Background())
			srv.Close()
			if err == nil {
				t.Fatalf("%d: no error", status)
			}
			msg := err.Error()
			lower := strings.ToLower(msg)
			if strings.Contains(lower, hex) || strings.Contains(msg, sp) || strings.Contains(lower, strings.ToLower(strings.ReplaceAll(hex, "a", `\x61`))) {
				t.Errorf("%d with %q: the error shows the token: %s", status, sp, msg)
			}
		}
	}
}

// TestEndlessEmptyPagesStop: a server whose empty pages keep linking to
// new, distinct next pages is stopped after a few, not followed forever.
func TestEndlessEmptyPagesStop(t *testing.T) {
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"links":{"next":"http://%s/v2/costs?page=%d"},"total_cost":{"amount":"0.00","currency":"USD"},"costs":[]}`, r.Host, n+1)
	}))
	defer srv.Close()
	c, err := api.NewClient("vntg_tkn_3f9a1c7e5b2d4a6c8e0f1a3b5c7d9e1f2a4b6c8d", api.WithBaseURL(srv.URL+"/v2"), api.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	err = c.Costs(context.Background(), api.CostsQuery{}, func(*api.CostsPage) error { return nil })
	if !errors.Is(err, api.ErrPaginationLoop) || n > api.MaxEmptyPages+2 {
		t.Fatalf("err = %v after %d requests", err, n)
	}
}

// TestPacedPullGetsNo429: against a server enforcing Vantage's documented
// limits (5 requests per 5 s on Cost Report endpoints, account-wide), a
// 12-page pull with its prefetch and the auth check's two requests gets no
// 429: the client keeps to the window on its own, and every wait is one
// line naming the limit.
func TestPacedPullGetsNo429(t *testing.T) {
	s := apitest.NewServer()
	defer s.Close()
	s.SetReport(apitest.ReportToken, apitest.Report{Title: "t", WorkspaceToken: apitest.WorkspaceToken, Rows: 12 * 500})
	c, clock := newClient(t, s, apitest.ReadToken)
	s.Now = clock.Now // the fake's windows run on the client's clock
	var lines []string
	c.OnWait = func(_ time.Duration, line string) { lines = append(lines, line) }
	ctx := context.Background()
	if _, err := c.Me(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CostReport(ctx, apitest.ReportToken); err != nil {
		t.Fatal(err)
	}
	pages := 0
	err := c.Costs(ctx, api.CostsQuery{CostReportToken: apitest.ReportToken, StartDate: "2026-10-01", EndDate: "2026-10-31", Limit: 500}, func(p *api.CostsPage) error {
		pages++
		return nil
	})
	if err != nil || pages != 12 {
		t.Fatalf("pull: %d pages, %v", pages, err)
	}
	if n := s.RateLimited(); n != 0 {
		t.Fatalf("%d requests answered 429; waits %v", n, lines)
	}
	if len(lines) == 0 {
		t.Fatal("14 requests under 5 per 5 s without a wait")
	}
	for _, l := range lines {
		if !regexp.MustCompile(`^waiting \d+ (s|ms) for Vantage's rate limit \(5 requests per 5 s\)$`).MatchString(l) {
			t.Errorf("wait line %q", l)
		}
	}
	// TestFakeEnforcesTheDocumentedLimits shows the fake answers 429 past
	// the limit: it is not lenient.
}

// TestRefusedConnectionFailsFast: nothing listening is a short, visible
// retry (RefusedRetries lines), not minutes of silent backoff.
func TestRefusedConnectionFailsFast(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c, err := api.NewClient(apitest.ReadToken, api.WithBaseURL("http://"+addr+"/v2"))
	if err != nil {
		t.Fatal(err)
	}
	clock := testkit.NewClock(time.Now())
	c.Now, c.Sleep = clock.Now, clock.Sleep
	var lines []string
	c.OnWait = func(_ time.Duration, line string) { lines = append(lines, line) }
	_, err = c.Me(context.Background())
	if err == nil || len(lines) != api.RefusedRetries {
		t.Fatalf("err %v, lines %q", err, lines)
	}
	for i, l := range lines {
		if want := fmt.Sprintf("retrying %d/%d in ", i+1, api.RefusedRetries); !strings.HasPrefix(l, want) || !strings.HasSuffix(l, ": connection refused") {
			t.Errorf("line %q, want %q…: connection refused", l, want)
		}
	}
	var total time.Duration
	for _, w := range clock.Waits() {
		total += w
	}
	if total > 3*time.Second {
		t.Errorf("waited %v on a refused connection", total)
	}
}

// TestEstimateSaysWhenTheHourlyBudgetIsShort: more pages than the hourly
// budget is said before the pull goes on; within it, nothing.
func TestEstimateSaysWhenTheHourlyBudgetIsShort(t *testing.T) {
	s := apitest.NewServer()
	defer s.Close()
	c, _ := newClient(t, s, apitest.ReadToken)
	if got := c.Estimate(900); got != "" {
		t.Errorf("900 pages: %q", got)
	}
	got := c.Estimate(2500)
	if !strings.Contains(got, "2499 more requests (2500 pages)") || !strings.Contains(got, "1000 an hour") || !strings.Contains(got, "about 2 time(s), roughly 2h0m0s") {
		t.Errorf("2,500 pages: %q", got)
	}
}

// TestCostsWaitsForItsPrefetch: when the caller stops at a page, the next
// page's prefetch (here pacing, so waiting) is stopped and waited for:
// nothing it does, such as a wait line on stderr, outlives the call.
func TestCostsWaitsForItsPrefetch(t *testing.T) {
	s := apitest.NewServer()
	defer s.Close()
	s.Limits = nil
	c, err := api.NewClient(apitest.ReadToken, api.WithBaseURL(s.URL))
	if err != nil {
		t.Fatal(err)
	}
	c.Limits = []api.Limit{{N: 1, Per: time.Hour, Name: "1 an hour"}} // the prefetch must wait
	var inside atomic.Int32
	c.Sleep = func(ctx context.Context, d time.Duration) error {
		inside.Add(1)
		defer inside.Add(-1)
		<-ctx.Done()
		time.Sleep(50 * time.Millisecond) // a wait that ends a little after its cancel
		return ctx.Err()
	}
	stop := errors.New("stop")
	err = c.Costs(context.Background(), api.CostsQuery{CostReportToken: apitest.ReportToken, Limit: 1000}, func(p *api.CostsPage) error {
		for inside.Load() == 0 { // the prefetch of page 2 is waiting
			time.Sleep(time.Millisecond)
		}
		return stop
	})
	if !errors.Is(err, stop) {
		t.Fatalf("err %v", err)
	}
	if n := inside.Load(); n != 0 {
		t.Fatalf("Costs returned while its prefetch was still waiting (%d)", n)
	}
}

// TestTagKeys lists every key GET /tags gives, page by page, and keeps
// the token on the API's host.
func TestTagKeys(t *testing.T) {
	s := apitest.NewServer()
	defer s.Close()
	c, _ := newClient(t, s, apitest.ReadToken)
	keys, err := c.TagKeys(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, tag := range apitest.Tags() {
		want[tag.Key] = true
	}
	if len(keys) != len(want) {
		t.Fatalf("keys %q, want the %d keys of the fake's rows", keys, len(want))
	}
	for _, k := range keys {
		if !want[k] {
			t.Errorf("key %q is not one of the fake's", k)
		}
	}
	if q, _ := url.ParseQuery(s.Requests()[0].Query); s.Requests()[0].Path != "/v2/tags" || q.Get("limit") != "1000" {
		t.Errorf("request: %+v", s.Requests()[0])
	}

	// Two pages, the second linked relatively; then a link to another host.
	pages := map[string]string{
		"1": `{"links":{"self":null,"first":null,"next":"/v2/tags?limit=1000&page=2","last":null,"prev":null},"tags":[{"tag_key":"aws:createdBy","hidden":false,"preferred":false,"providers":["aws"]}]}`,
		"2": `{"links":{"self":null,"first":null,"next":null,"last":null,"prev":null},"tags":[{"tag_key":"team","hidden":true,"preferred":false,"providers":["aws","gcp"]}]}`,
		"3": `{"links":{"next":"https://elsewhere.example/v2/tags?page=4"},"tags":[]}`,
	}
	for _, n := range []string{"1", "2"} {
		if problems := apitest.CheckAnswer("Tags", []byte(pages[n])); len(problems) > 0 {
			t.Fatalf("page %s is off the schema: %v", n, problems)
		}
	}
	first := "1"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Query().Get("page")
		if p == "" {
			p = first
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(pages[p]))
	}))
	defer srv.Close()
	c2, err := api.NewClient(apitest.ReadToken, api.WithBaseURL(srv.URL+"/v2"))
	if err != nil {
		t.Fatal(err)
	}
	keys, err = c2.TagKeys(context.Background())
	if err != nil || strings.Join(keys, ",") != "aws:createdBy,team" {
		t.Fatalf("two pages: keys %q, err %v", keys, err)
	}
	first = "3"
	if _, err = c2.TagKeys(context.Background()); !errors.Is(err, api.ErrForeignHost) {
		t.Fatalf("a next link to another host: %v", err)
	}
	noToken(t, err)
}

// TestTagKeysStopAtTheirBound: a server that links to one more page of
// keys forever is stopped at MaxTagKeyPages.
func TestTagKeysStopAtTheirBound(t *testing.T) {
	var served atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("page"))
		served.Add(1)
		fmt.Fprintf(w, `{"links":{"next":"/v2/tags?limit=1000&page=%d"},"tags":[{"tag_key":"k%d","hidden":false,"preferred":false,"providers":["aws"]}]}`, n+1, n)
	}))
	defer srv.Close()
	c, err := api.NewClient(apitest.ReadToken, api.WithBaseURL(srv.URL+"/v2"))
	if err != nil {
		t.Fatal(err)
	}
	clock := testkit.NewClock(time.Now()) // paced, but not in real time
	c.Now, c.Sleep = clock.Now, clock.Sleep
	if _, err := c.TagKeys(context.Background()); !errors.Is(err, api.ErrPaginationLoop) {
		t.Fatalf("err %v, want a pagination loop", err)
	}
	if got := served.Load(); got != api.MaxTagKeyPages {
		t.Errorf("%d pages read, want %d", got, api.MaxTagKeyPages)
	}
}
