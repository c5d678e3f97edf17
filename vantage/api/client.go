package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rshade/finfocus-vantage/vantage"
)

// DefaultBaseURL is the Vantage API.
const DefaultBaseURL = "https://api.vantage.sh/v2"

// Limits on what the client reads.
const (
	// MaxErrorBody is how much of an error answer is read.
	MaxErrorBody = 1 << 20
	// MaxBody is the largest successful answer accepted: a page of 5,000
	// costs is a few MiB (10 MiB with every grouping and tags), so anything
	// near this is not the API. It bounds a pull's memory: a page is held
	// while it is written and the next is read (64 MiB cost 216 MB RSS).
	MaxBody = 24 << 20
	// MaxPages bounds the pages of one pull (100,000,000 rows at 5,000 a
	// page); MaxEmptyPages the empty pages in a row that still link on.
	MaxPages      = 20000
	MaxEmptyPages = 3
	// MaxBackoff caps one wait between retries.
	MaxBackoff = 60 * time.Second
)

// Client talks to the Vantage API with one bearer token. The token is
// sent only to the base URL's host and never appears in errors.
type Client struct {
	// BaseURL is the API root, ending without a slash.
	BaseURL *url.URL
	// UserAgent is sent with every request.
	UserAgent string
	// MaxRetries bounds retries of one request (429 and 5xx but 501).
	MaxRetries int
	// Backoff returns the wait before retry attempt (1-based) when the
	// answer gave no Retry-After or reset time. Replaceable for tests.
	Backoff func(attempt int) time.Duration
	// Now and Sleep are the clock, replaceable for tests.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
	// OnWait, when set, is told of every wait (retry or pacing) with one
	// line saying why: "waiting 4 s for Vantage's rate limit (5 requests
	// per 5 s)", "retrying 2/5 in 1 s: connection refused".
	OnWait func(d time.Duration, line string)
	// MaxBody is the largest successful answer read (default MaxBody).
	MaxBody int64

	token    string
	secrets  []string
	scrubber *vantage.Scrubber
	http     *http.Client

	// Limits are the rate limits the client keeps to on its own, every one
	// at once (default DocumentedLimits); the rate headers, when a server
	// sends them, are kept to as well.
	Limits []Limit

	mu   sync.Mutex
	rate Rate
	sent []time.Time // when recent requests were (or will be) sent, ascending
}

// Limit is a rate limit: at most N requests in any Per.
type Limit struct {
	N    int
	Per  time.Duration
	Name string
}

// DocumentedLimits are Vantage's published limits, kept account-wide by
// one client: 5 requests per 5 seconds on the Cost Report endpoints and
// 1,000 requests an hour (docs.vantage.sh/api/rate_limiting; docs/api.md
// cites both published versions of that page). The 5-second window is
// kept for every endpoint: it costs an auth check a few seconds at most.
var DocumentedLimits = []Limit{
	{N: 5, Per: 5 * time.Second, Name: "5 requests per 5 s"},
	{N: 1000, Per: time.Hour, Name: "1,000 requests an hour"},
}

// Option configures a Client.
type Option func(*Client) error

// WithBaseURL sets the API root. Plain http is accepted only for loopback
// addresses (a local fake); anything else must be https.
func WithBaseURL(raw string) Option {
	return func(c *Client) error {
		u, err := ParseBaseURL(raw)
		if err != nil {
			return err
		}
		c.BaseURL = u
		return nil
	}
}

// ParseBaseURL validates an API root: https, or http on a loopback host.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("%w: %q is not an http(s) URL", ErrInsecureBaseURL, raw)
	}
	if u.User != nil {
		return nil, fmt.Errorf("%w: %q carries credentials", ErrInsecureBaseURL, u.Redacted())
	}
	if u.Scheme == "http" && !IsLoopbackHost(u.Hostname()) {
		return nil, fmt.Errorf("%w: %s would send the token unencrypted; use https (plain http is only for loopback addresses)", ErrInsecureBaseURL, u.Redacted())
	}
	return u, nil
}

// IsLoopbackHost reports a loopback host name or address: plain HTTP is
// allowed to it, and a local fake there may be pulled from unpaced.
func IsLoopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// WithHTTPClient sets the HTTP client; its CheckRedirect is replaced so
// that redirects to another host fail.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error { c.http = hc; return nil }
}

// WithTimeout bounds each request (request_timeout_seconds).
func WithTimeout(d time.Duration) Option {
	return func(c *Client) error { c.http.Timeout = d; return nil }
}

// WithMaxRetries bounds retries (max_retries).
func WithMaxRetries(n int) Option {
	return func(c *Client) error { c.MaxRetries = n; return nil }
}

// WithUserAgent sets the User-Agent.
func WithUserAgent(ua string) Option {
	return func(c *Client) error { c.UserAgent = ua; return nil }
}

// NewClient returns a client for token. The defaults: DefaultBaseURL, 60 s
// timeout, 5 retries, exponential backoff with jitter capped at a minute.
func NewClient(token string, opts ...Option) (*Client, error) {
	base, _ := url.Parse(DefaultBaseURL)
	c := &Client{
		BaseURL:    base,
		UserAgent:  "finfocus-vantage",
		MaxRetries: 5,
		MaxBody:    MaxBody,
		Backoff:    DefaultBackoff,
		Now:        time.Now,
		Sleep:      sleepContext,
		Limits:     DocumentedLimits,
		token:      token,
		http:       &http.Client{Timeout: 60 * time.Second},
	}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	if token == "" {
		return nil, errors.New("no token: set FINFOCUS_VANTAGE_TOKEN or credentials.token")
	}
	hc := *c.http
	hc.CheckRedirect = c.checkRedirect
	c.http = &hc
	c.AddSecret(token)
	return c, nil
}

// AddSecret tells the client of another secret it may send (a cost report
// or workspace token that is a credential): every spelling of it is
// masked in errors, as the token's is.
func (c *Client) AddSecret(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.secrets = append(c.secrets, s)
	c.scrubber = vantage.NewScrubber(c.secrets...)
}

// DefaultBackoff is exponential (1 s, 2 s, 4 s…) with ±25 % jitter,
// capped at MaxBackoff.
func DefaultBackoff(attempt int) time.Duration {
	d := time.Second << min(attempt-1, 10)
	d = min(d, MaxBackoff)
	jitter := time.Duration(rand.Int64N(int64(d)/2+1)) - d/4
	return d + jitter
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// checkRedirect refuses redirects to another host: the token must not
// follow them.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if !c.sameHost(req.URL) {
		req.Header.Del("Authorization")
		return fmt.Errorf("redirect to %s %w; the token is only sent to %s", req.URL.Host, ErrForeignHost, c.BaseURL.Host)
	}
	if len(via) >= 5 {
		return errors.New("too many redirects")
	}
	return nil
}

func (c *Client) sameHost(u *url.URL) bool {
	return strings.EqualFold(u.Host, c.BaseURL.Host) && u.Scheme == c.BaseURL.Scheme
}

// Rate is the rate-limit state the API reports on every answer.
type Rate struct {
	Limit, Remaining int
	Reset            time.Time
	known            bool
}

// Response is an API answer.
type Response struct {
	*http.Response
	Rate Rate
}

// NewRequest builds a GET for a path under the base URL (or a full URL on
// the same host, such as a next link) with query parameters.
func (c *Client) NewRequest(ctx context.Context, ref string, query url.Values) (*http.Request, error) {
	rel, err := url.Parse(ref)
	if err != nil {
		return nil, fmt.Errorf("%w: bad link", ErrBadResponse)
	}
	u := *c.BaseURL
	switch {
	case rel.IsAbs():
		u = *rel
	case strings.HasPrefix(rel.Path, c.BaseURL.Path+"/"):
		// A path from the server's root that already includes /v2.
		u.Path, u.RawQuery = rel.Path, rel.RawQuery
	default:
		// A path relative to the API root: costs or /costs is /v2/costs.
		u = *c.BaseURL.JoinPath(rel.Path)
		u.RawQuery = rel.RawQuery
	}
	if !c.sameHost(&u) {
		return nil, fmt.Errorf("link to %s %w; the token is only sent to %s", u.Host, ErrForeignHost, c.BaseURL.Host)
	}
	if query != nil {
		q := u.Query()
		for k, vs := range query {
			q[k] = vs
		}
		u.RawQuery = q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.UserAgent)
	return req, nil
}

// Do sends req, retrying 429 and 5xx (but 501) answers, and decodes a
// successful JSON body into v. Errors are typed (AuthError, NotFoundError,
// RateLimitError, APIError) and never contain the token.
func (c *Client) Do(req *http.Request, v any) (*Response, error) {
	ctx := req.Context()
	for attempt := 0; ; attempt++ {
		if err := c.pace(ctx); err != nil {
			return nil, err
		}
		resp, err := c.http.Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			err = c.scrub(err)
			retries := c.MaxRetries
			if isRefused(err) {
				// Nothing listens there: a short, visible retry, not minutes.
				retries = min(retries, RefusedRetries)
			}
			if errors.Is(err, ErrForeignHost) || attempt >= retries {
				return nil, fmt.Errorf("request %s: %w", req.URL.Path, err)
			}
			d := c.Backoff(attempt + 1)
			if isRefused(err) {
				d = min(d, time.Second)
			}
			if werr := c.wait(ctx, d, fmt.Sprintf("retrying %d/%d in %s: %s", attempt+1, retries, seconds(d), netReason(err))); werr != nil {
				return nil, werr
			}
			continue
		}
		r := &Response{Response: resp, Rate: parseRate(resp.Header)}
		c.noteRate(r.Rate)
		if resp.StatusCode < 300 {
			err := decodeBody(resp.Body, v, c.MaxBody)
			resp.Body.Close()
			if err != nil && ctx.Err() != nil {
				return r, ctx.Err() // cancelled while reading, not a bad answer
			}
			if err != nil {
				return r, fmt.Errorf("read %s: %w", req.URL.Path, err)
			}
			return r, nil
		}
		apiErr := c.errorFor(req, resp, r.Rate)
		resp.Body.Close()
		retryable := resp.StatusCode == 429 || (resp.StatusCode >= 500 && resp.StatusCode != 501)
		if !retryable || attempt >= c.MaxRetries {
			return r, apiErr
		}
		d, reason := c.retryDelay(resp, r.Rate, attempt+1)
		if werr := c.wait(ctx, d, reason); werr != nil {
			return r, werr
		}
	}
}

// retryDelay decides how long to wait before retrying: Retry-After
// (seconds or an HTTP date), else x-rate-limit-reset for a 429, else the
// backoff. Always capped at MaxBackoff.
func (c *Client) retryDelay(resp *http.Response, rate Rate, attempt int) (time.Duration, string) {
	why := fmt.Sprintf("server error %d", resp.StatusCode)
	if resp.StatusCode == 429 {
		why = "rate limited (429)"
	}
	var d time.Duration
	if ra := resp.Header.Get("Retry-After"); ra != "" {
		if secs, err := strconv.Atoi(strings.TrimSpace(ra)); err == nil {
			d = time.Duration(secs) * time.Second
		} else if t, err := http.ParseTime(ra); err == nil {
			d = t.Sub(c.Now())
		}
	}
	if d <= 0 && resp.StatusCode == 429 && !rate.Reset.IsZero() {
		d = rate.Reset.Sub(c.Now())
	}
	if d <= 0 {
		d = c.Backoff(attempt)
	}
	d = min(max(d, 0), MaxBackoff)
	return d, fmt.Sprintf("retrying %d/%d in %s: %s", attempt, c.MaxRetries, seconds(d), why)
}

// pace reserves the next moment a request may be sent within every limit
// at once (each of c.Limits over the requests sent before it, and the
// reset the last answer gave when it said none remain), then waits for it.
// Reservations are made under the lock, so a prefetch and the page being
// read never take the same slot.
func (c *Client) pace(ctx context.Context) error {
	c.mu.Lock()
	now := c.Now()
	at, why := now, ""
	for _, l := range c.Limits {
		if l.N <= 0 || len(c.sent) < l.N {
			continue
		}
		if t := c.sent[len(c.sent)-l.N].Add(l.Per); t.After(at) {
			at, why = t, "Vantage's rate limit ("+l.Name+")"
		}
	}
	if r := c.rate; r.known && r.Remaining <= 0 && r.Reset.After(at) {
		at = r.Reset
		if limit := now.Add(MaxBackoff); at.After(limit) {
			at = limit
		}
		why = fmt.Sprintf("Vantage's rate limit (the API said 0 of %d requests remain until its reset)", r.Limit)
		for _, l := range c.Limits {
			if l.N == r.Limit {
				why = "Vantage's rate limit (" + l.Name + ")"
			}
		}
		c.rate.Remaining = 1 // one wait for one reset: the next answer says more
	}
	keep := 0
	for _, l := range c.Limits {
		keep = max(keep, l.N)
	}
	c.sent = append(c.sent, at)
	if len(c.sent) > keep {
		c.sent = append(c.sent[:0], c.sent[len(c.sent)-keep:]...)
	}
	c.mu.Unlock()
	d := at.Sub(now)
	if d <= 0 {
		return nil
	}
	return c.wait(ctx, d, fmt.Sprintf("waiting %s for %s", seconds(d), why))
}

// Estimate says, before a pull goes on past its first page, what a pull
// of pages pages will take when that is more requests than the budget
// left: the hourly limit, or fewer when the last answer's rate headers
// said so. "" when the budget holds or pages is unknown (0).
func (c *Client) Estimate(pages int) string {
	c.mu.Lock()
	r := c.rate
	c.mu.Unlock()
	budget, per := 0, time.Duration(0)
	for _, l := range c.Limits {
		if l.Per >= time.Hour {
			budget, per = l.N, l.Per
		}
	}
	left := budget
	if r.known && r.Limit == budget && r.Remaining < left {
		left = r.Remaining
	}
	need := pages - 1
	if budget <= 0 || need <= left {
		return ""
	}
	windows := (need - left + budget - 1) / budget
	return fmt.Sprintf("this pull needs %d more requests (%d pages) and Vantage allows %d an hour (%d left now): it will wait for the hourly budget about %d time(s), roughly %s in all; an interrupted pull can be run again (with --dataset, finished months and pages are not fetched again)",
		need, pages, budget, left, windows, (time.Duration(windows) * per).String())
}

// RefusedRetries bounds the retries of a refused connection.
const RefusedRetries = 2

// isRefused reports a connection nothing accepted.
func isRefused(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED)
}

// netReason is a transport error in a few words: the cause, not the URL.
func netReason(err error) string {
	var oe *net.OpError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, context.DeadlineExceeded), os.IsTimeout(err):
		return "timed out"
	case errors.As(err, &oe) && oe.Err != nil:
		return oe.Err.Error()
	}
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err.Error()
	}
	return err.Error()
}

// seconds writes a wait as whole seconds, rounded up ("4 s"), or
// milliseconds under a second.
func seconds(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", max(d.Milliseconds(), 1))
	}
	return fmt.Sprintf("%d s", (d+time.Second-1)/time.Second)
}

func (c *Client) noteRate(r Rate) {
	if !r.known {
		return
	}
	c.mu.Lock()
	c.rate = r
	c.mu.Unlock()
}

func (c *Client) wait(ctx context.Context, d time.Duration, reason string) error {
	if c.OnWait != nil {
		c.OnWait(d, reason)
	}
	return c.Sleep(ctx, d)
}

func parseRate(h http.Header) Rate {
	var r Rate
	lim, err1 := strconv.Atoi(h.Get("x-rate-limit-limit"))
	rem, err2 := strconv.Atoi(h.Get("x-rate-limit-remaining"))
	if err1 != nil || err2 != nil {
		return r
	}
	r.Limit, r.Remaining, r.known = lim, rem, true
	if reset, err := strconv.ParseInt(h.Get("x-rate-limit-reset"), 10, 64); err == nil {
		r.Reset = time.Unix(reset, 0)
	}
	return r
}

// errorFor turns an error answer into a typed error, reading at most
// MaxErrorBody of it.
func (c *Client) errorFor(req *http.Request, resp *http.Response, rate Rate) error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, MaxErrorBody))
	msgs := errorMessages(body)
	msg := c.scrubString(strings.Join(msgs, "; "))
	switch resp.StatusCode {
	case 401, 403:
		return &AuthError{Status: resp.StatusCode, Message: msg}
	case 404:
		return &NotFoundError{Path: c.scrubString(req.URL.Path), Message: msg}
	case 429:
		return &RateLimitError{Rate: rate}
	}
	for i := range msgs {
		msgs[i] = c.scrubString(msgs[i])
	}
	if len(msgs) == 0 && len(body) > 0 {
		msgs = []string{"the answer was not JSON (" + http.DetectContentType(body) + ")"}
	}
	return &APIError{Status: resp.StatusCode, Messages: msgs}
}

// errorMessages extracts {"errors": [...]} (strings or objects).
func errorMessages(body []byte) []string {
	var e struct {
		Errors []json.RawMessage `json:"errors"`
		Error  string            `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil {
		return nil
	}
	var out []string
	for _, raw := range e.Errors {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			out = append(out, s)
			continue
		}
		var obj struct{ Message, Detail string }
		if json.Unmarshal(raw, &obj) == nil && (obj.Message != "" || obj.Detail != "") {
			out = append(out, strings.TrimSpace(obj.Message+" "+obj.Detail))
		}
	}
	if e.Error != "" {
		out = append(out, e.Error)
	}
	for i, m := range out {
		if len(m) > 300 {
			out[i] = m[:300] + "…"
		}
	}
	return out
}

// decodeBody decodes a JSON answer of at most limit bytes.
func decodeBody(body io.Reader, v any, limit int64) error {
	lr := &io.LimitedReader{R: body, N: limit + 1}
	if v == nil {
		_, err := io.Copy(io.Discard, lr)
		return err
	}
	dec := json.NewDecoder(lr)
	if err := dec.Decode(v); err != nil {
		if lr.N <= 0 {
			return fmt.Errorf("%w: the answer is larger than %d MiB", ErrBadResponse, limit>>20)
		}
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return fmt.Errorf("%w: invalid JSON at byte %d", ErrBadResponse, se.Offset)
		case errors.As(err, &te):
			return fmt.Errorf("%w: %s has the wrong type at byte %d", ErrBadResponse, te.Field, te.Offset)
		case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
			return fmt.Errorf("%w: the answer was cut short", ErrBadResponse)
		}
		return fmt.Errorf("%w: %v", ErrBadResponse, err)
	}
	return nil
}

// ScrubError masks every spelling of the client's secrets in an error, for
// callers that quote what the server sent (a row's date, the total): the
// same scrubbing the client's own errors get.
func (c *Client) ScrubError(err error) error {
	if err == nil {
		return nil
	}
	return c.scrub(err)
}

// scrub removes the token from an error (a transport error can quote the
// URL or a header).
func (c *Client) scrub(err error) error {
	s := c.scrubString(err.Error())
	if s == err.Error() {
		return err
	}
	return &scrubbed{msg: s, err: err}
}

type scrubbed struct {
	msg string
	err error
}

func (s *scrubbed) Error() string { return s.msg }
func (s *scrubbed) Unwrap() error { return s.err }

// Scrub masks every spelling of the client's secrets in text a server
// sent, for callers that print it (a pull's summary of services).
func (c *Client) Scrub(s string) string { return c.scrubString(s) }

// scrubString masks every spelling of the client's secrets in text that
// came from the server or the transport.
func (c *Client) scrubString(s string) string {
	c.mu.Lock()
	sc := c.scrubber
	c.mu.Unlock()
	return sc.Scrub(s)
}
