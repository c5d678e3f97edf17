// Package apitest is a faithful fake of the Vantage API for tests and
// demos: /me, /ping, /cost_reports/{token} and /costs with tokens and
// scopes, a deterministic cost generator, pagination with absolute and
// relative next links, rate-limit headers and 429s, and fault injection.
// cmd/vantage-fake serves the same handler on a port.
package apitest

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Made-up credentials the fake accepts by default. They look real and are
// not.
const (
	// ReadToken is a read-scoped API token.
	ReadToken = "vntg_tkn_0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c"
	// WriteToken has read and write scopes.
	WriteToken = "vntg_tkn_9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d"
	// ReportToken is the cost report the fake serves.
	ReportToken = "rprt_5f4e3d2c1b0a9988"
	// WorkspaceToken is the workspace the tokens see.
	WorkspaceToken = "wrkspc_7a6b5c4d3e2f1001"
)

// Token is an API token the fake knows.
type Token struct {
	Scopes      []string
	Description string
	CreatedAt   string
	Workspaces  []string
}

// Report is a cost report the fake serves, with how many cost rows it has.
type Report struct {
	Title          string
	WorkspaceToken string
	Rows           int
}

// Fault is injected into the next request(s).
type Fault struct {
	// Status answers with this status and an {"errors": [...]} body.
	Status int
	// RetryAfter sets the Retry-After header with Status.
	RetryAfter string
	// HTML answers Status with an HTML page instead of JSON.
	HTML bool
	// Delay waits before answering (to exceed a client timeout).
	Delay time.Duration
	// Truncate cuts a successful body in half and closes the connection.
	Truncate bool
	// InvalidJSON answers 200 with a body that is not JSON.
	InvalidJSON bool
	// ResetConn closes the connection after the headers and part of the body.
	ResetConn bool
	// NextHost makes the page's next link point at this host.
	NextHost string
	// Redirect answers 302 to this URL.
	Redirect string
	// HugeBody streams this many bytes of JSON whitespace.
	HugeBody int64
	// Rewrite changes the body of the answer the fake would give, as a
	// hostile or broken server could (text holding the token, a row with
	// a member twice).
	Rewrite func(body []byte) []byte
}

// Request is a request the fake received.
type Request struct {
	Method, Path, Query, Authorization string
}

// Server is the fake API.
type Server struct {
	// URL is the API root, like https://api.vantage.sh/v2.
	URL string

	ts *httptest.Server
	mu sync.Mutex

	tokens  map[string]Token
	reports map[string]Report
	faults  []Fault
	reqs    []Request

	// Seed varies the generated costs.
	Seed uint64
	// RelativeLinks makes next links relative paths (else absolute URLs).
	RelativeLinks bool
	// UnlistedTagKeys are tag keys rows carry that GET /tags leaves out,
	// as a key created after the list was read would be.
	UnlistedTagKeys []string
	// LoopPages makes page 2's next link point back at page 2.
	LoopPages bool
	// MixedCurrency makes every 7th row EUR.
	MixedCurrency bool
	// BadTotal makes total_cost one cent off.
	BadTotal bool
	// HalfEven rounds total_cost half to even instead of half up: the
	// schema says "rounded to 2 decimal places" and not how.
	HalfEven bool
	// DateForm is how accrued_at is written: "offset" (the schema's
	// example, 2023-09-05+00:00; the default), "date" (2023-09-05) or
	// "datetime" (2023-09-05T00:00:00Z). Hourly bins are always datetimes.
	DateForm string
	// EmptyLastPage adds an empty page at the end.
	EmptyLastPage bool
	// PageDelay slows every /costs answer, for tests that interrupt a pull.
	PageDelay time.Duration
	// Limits are the rate limits the fake enforces, account-wide (every
	// token counts against one budget), each in fixed windows on the fake's
	// clock: by default Vantage's documented ones (DocumentedLimits). A
	// request over any limit is answered 429 with the rate headers.
	Limits []Limit
	// Now is the fake's clock.
	Now func() time.Time

	windows []window
	totals  map[totalKey]int64
	over    int // 429s answered for the limits
}

// Limit is a rate limit the fake enforces: N requests per Per, on the Cost
// Report endpoints only (/costs, /cost_reports) when CostReports is set.
type Limit struct {
	N           int
	Per         time.Duration
	CostReports bool
}

// DocumentedLimits are the limits of docs.vantage.sh/api/rate_limiting in
// the version that gives figures: 1,000 requests an hour, and 5 requests
// per 5 seconds on Cost Report endpoints.
var DocumentedLimits = []Limit{{N: 1000, Per: time.Hour}, {N: 5, Per: 5 * time.Second, CostReports: true}}

// window is one limit's current fixed window.
type window struct {
	start time.Time
	used  int
}

// RateLimited is how many requests the fake answered 429 for its limits.
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.over
}

// New returns a fake with the default tokens and report, not started.
// Use NewServer for one on httptest, or Handler with your own listener.
func New() *Server {
	return &Server{
		tokens: map[string]Token{
			ReadToken:  {Scopes: []string{"read"}, Description: "finops-ci reader", CreatedAt: "2026-09-15T10:00:00Z", Workspaces: []string{WorkspaceToken}},
			WriteToken: {Scopes: []string{"read", "write"}, Description: "admin token", CreatedAt: "2025-11-01T10:00:00Z", Workspaces: []string{WorkspaceToken}},
		},
		reports: map[string]Report{
			ReportToken: {Title: "Engineering (all providers)", WorkspaceToken: WorkspaceToken, Rows: 12000},
		},
		Seed:   1,
		Limits: DocumentedLimits,
		Now:    time.Now,
	}
}

// NewServer starts a fake on a loopback httptest server. Close it when done.
func NewServer() *Server {
	s := New()
	s.ts = httptest.NewServer(s.Handler())
	s.URL = s.ts.URL + "/v2"
	return s
}

// Close stops the server.
func (s *Server) Close() {
	if s.ts != nil {
		s.ts.Close()
	}
}

// AddToken registers a token.
func (s *Server) AddToken(value string, t Token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[value] = t
}

// SetReport registers or replaces a cost report.
func (s *Server) SetReport(token string, r Report) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reports[token] = r
}

// Inject queues faults for the next requests, one per request.
func (s *Server) Inject(f ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f...)
}

// FailNext makes the next n requests answer status.
func (s *Server) FailNext(n, status int) {
	for i := 0; i < n; i++ {
		s.Inject(Fault{Status: status})
	}
}

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// Handler serves the fake API under /v2.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v2/ping", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /v2/me", s.authed(s.me))
	mux.HandleFunc("GET /v2/cost_reports/{token}", s.authed(s.costReport))
	mux.HandleFunc("GET /v2/costs", s.authed(s.costs))
	mux.HandleFunc("GET /v2/tags", s.authed(s.tags))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.reqs = append(s.reqs, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Authorization: r.Header.Get("Authorization")})
		var f Fault
		if len(s.faults) > 0 {
			f = s.faults[0]
			s.faults = s.faults[1:]
		}
		s.mu.Unlock()
		if f.Delay > 0 {
			select {
			case <-time.After(f.Delay):
			case <-r.Context().Done():
				return
			}
		}
		switch {
		case f.Redirect != "":
			http.Redirect(w, r, f.Redirect, http.StatusFound)
			return
		case f.Status != 0:
			if f.RetryAfter != "" {
				w.Header().Set("Retry-After", f.RetryAfter)
			}
			if f.HTML {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(f.Status)
				fmt.Fprintf(w, "<html><body><h1>%d</h1><p>upstream error</p></body></html>", f.Status)
				return
			}
			writeJSON(w, f.Status, map[string][]string{"errors": {fmt.Sprintf("injected %d", f.Status)}})
			return
		case f.InvalidJSON:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(200)
			w.Write([]byte(`{"links": {"next": nope}, "costs": []}`))
			return
		case f.HugeBody > 0:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(200)
			w.Write([]byte(`{"costs": [`))
			chunk := []byte(strings.Repeat(" ", 64<<10))
			for n := int64(0); n < f.HugeBody; n += int64(len(chunk)) {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
			return
		}
		if f.Rewrite != nil {
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, r)
			body := f.Rewrite(rec.Body.Bytes())
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(rec.Code)
			w.Write(body)
			return
		}
		if f.Truncate || f.ResetConn || f.NextHost != "" {
			rec := httptest.NewRecorder()
			ctx := r.Context()
			if f.NextHost != "" {
				r = r.WithContext(withNextHost(ctx, f.NextHost))
			}
			mux.ServeHTTP(rec, r)
			body := rec.Body.Bytes()
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			if f.NextHost != "" {
				w.WriteHeader(rec.Code)
				w.Write(body)
				return
			}
			if f.ResetConn {
				hj, ok := w.(http.Hijacker)
				if ok {
					conn, buf, err := hj.Hijack()
					if err == nil {
						fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(body))
						buf.Write(body[:len(body)/3])
						buf.Flush()
						if tc, ok := conn.(*net.TCPConn); ok {
							tc.SetLinger(0) // RST, not FIN
						}
						conn.Close()
						return
					}
				}
			}
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(rec.Code)
			w.Write(body[:len(body)/2])
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
				}
			}
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// authed checks the bearer token and the rate limits.
func (s *Server) authed(h func(http.ResponseWriter, *http.Request, Token)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		costReports := strings.HasPrefix(r.URL.Path, "/v2/costs") || strings.HasPrefix(r.URL.Path, "/v2/cost_reports")
		s.mu.Lock()
		t, ok := s.tokens[tok]
		now := s.Now()
		if len(s.windows) != len(s.Limits) {
			s.windows = make([]window, len(s.Limits))
		}
		// The headers describe the limit nearest to running out.
		limit, remaining, reset, over := 0, -1, time.Time{}, false
		for i, l := range s.Limits {
			if l.CostReports && !costReports {
				continue
			}
			win := &s.windows[i]
			if win.start.IsZero() || now.Sub(win.start) >= l.Per {
				*win = window{start: now}
			}
			win.used++
			left := l.N - win.used
			if left < 0 {
				over = true
			}
			if remaining < 0 || left < remaining {
				limit, remaining, reset = l.N, max(left, 0), win.start.Add(l.Per)
			}
		}
		if over {
			s.over++
		}
		s.mu.Unlock()
		if remaining >= 0 {
			w.Header().Set("x-rate-limit-limit", strconv.Itoa(limit))
			w.Header().Set("x-rate-limit-remaining", strconv.Itoa(remaining))
			// Unix seconds, rounded up: the window is over by then.
			w.Header().Set("x-rate-limit-reset", strconv.FormatInt((reset.UnixNano()+int64(time.Second)-1)/int64(time.Second), 10))
		}
		if !ok {
			w.WriteHeader(http.StatusUnauthorized) // 401 bodies may be empty
			return
		}
		if over {
			writeJSON(w, http.StatusTooManyRequests, map[string][]string{"errors": {"Rate limit exceeded"}})
			return
		}
		h(w, r, t)
	}
}

// me answers GET /me in the published schema's shape (Me, Workspace,
// BearerToken: every required field, nulls where nullable).
func (s *Server) me(w http.ResponseWriter, r *http.Request, t Token) {
	ws := []map[string]any{}
	for _, tok := range t.Workspaces {
		ws = append(ws, map[string]any{"token": tok, "name": "Main workspace", "created_at": "2025-03-04T00:00:00Z",
			"enable_currency_conversion": false, "currency": "USD", "exchange_rate_date": "daily_rate"})
	}
	var def any // null when the token sees no workspace
	if len(t.Workspaces) > 0 {
		def = t.Workspaces[0]
	}
	writeJSON(w, 200, map[string]any{
		"default_workspace_token": def,
		"default_dashboard_token": nil,
		"workspaces":              ws,
		"bearer_token":            map[string]any{"description": t.Description, "created_at": t.CreatedAt, "scope": t.Scopes},
	})
}

func (s *Server) costReport(w http.ResponseWriter, r *http.Request, t Token) {
	tok := r.PathValue("token")
	s.mu.Lock()
	rep, ok := s.reports[tok]
	s.mu.Unlock()
	if !ok {
		writeJSON(w, 404, map[string][]string{"errors": {"Cost report not found"}})
		return
	}
	writeJSON(w, 200, map[string]any{
		"token": tok, "title": rep.Title, "folder_token": nil, "saved_filter_tokens": []string{},
		"business_metric_tokens_with_metadata": []any{}, "default_forecast": map[string]any{"kind": "baseline"},
		"filter": nil, "groupings": "provider, service",
		"settings": map[string]any{"include_credits": false, "include_refunds": false, "include_discounts": true, "include_tax": true,
			"amortize": true, "unallocated": false, "aggregate_by": "cost", "show_previous_period": true, "complete_period": false},
		"created_at": "2026-01-05T09:00:00Z", "workspace_token": rep.WorkspaceToken,
		"previous_period_start_date": nil, "previous_period_end_date": nil, "start_date": nil, "end_date": nil,
		"date_interval": "last_month", "chart_type": "line", "date_bin": "day",
		"chart_settings": map[string]any{"y_axis_dimension": "cost", "x_axis_dimension": []string{"date"}},
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// hash64 is the deterministic source of generated values.
func hash64(parts ...uint64) uint64 {
	h := fnv.New64a()
	var b [8]byte
	for _, p := range parts {
		for i := range b {
			b[i] = byte(p >> (8 * i))
		}
		h.Write(b[:])
	}
	return h.Sum64()
}
