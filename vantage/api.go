package vantage

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"
)

// Me is the answer of GET /me: who the token is.
type Me struct {
	DefaultWorkspaceToken string      `json:"default_workspace_token"`
	Workspaces            []Workspace `json:"workspaces"`
	BearerToken           BearerToken `json:"bearer_token"`
}

// Workspace is a workspace the token can see.
type Workspace struct {
	Token string `json:"token"`
	Name  string `json:"name"`
}

// BearerToken describes the token itself.
type BearerToken struct {
	Description string   `json:"description"`
	CreatedAt   string   `json:"created_at"`
	Scope       []string `json:"scope"`
}

// Created parses CreatedAt (RFC 3339 or YYYY-MM-DD); zero when absent.
func (b BearerToken) Created() time.Time {
	for _, layout := range []string{time.RFC3339, DateLayout} {
		if t, err := time.Parse(layout, b.CreatedAt); err == nil {
			return t
		}
	}
	return time.Time{}
}

// CostReport is the answer of GET /cost_reports/{token}.
type CostReport struct {
	Token          string `json:"token"`
	Title          string `json:"title"`
	WorkspaceToken string `json:"workspace_token"`
	CreatedAt      string `json:"created_at"`
}

// Me calls GET /me.
func (c *Client) Me(ctx context.Context) (*Me, error) {
	req, err := c.NewRequest(ctx, "me", nil)
	if err != nil {
		return nil, err
	}
	var me Me
	if _, err := c.Do(req, &me); err != nil {
		return nil, err
	}
	return &me, nil
}

// CostReport calls GET /cost_reports/{token}.
func (c *Client) CostReport(ctx context.Context, token string) (*CostReport, error) {
	req, err := c.NewRequest(ctx, "cost_reports/"+url.PathEscape(token), nil)
	if err != nil {
		return nil, err
	}
	var r CostReport
	if _, err := c.Do(req, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// CostsQuery selects costs.
type CostsQuery struct {
	CostReportToken string
	WorkspaceToken  string
	StartDate       string // YYYY-MM-DD
	EndDate         string // YYYY-MM-DD
	DateBin         string // day, week, month, quarter
	Groupings       []string
	Limit           int // 1..5000
}

func (q CostsQuery) values() url.Values {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("cost_report_token", q.CostReportToken)
	if q.CostReportToken == "" {
		set("workspace_token", q.WorkspaceToken)
	}
	set("start_date", q.StartDate)
	set("end_date", q.EndDate)
	set("date_bin", q.DateBin)
	if len(q.Groupings) > 0 {
		g := ""
		for i, s := range q.Groupings {
			if i > 0 {
				g += ","
			}
			g += s
		}
		v.Set("groupings", g)
	}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	return v
}

// Cost is one row of GET /costs.
type Cost struct {
	AccruedAt        string          `json:"accrued_at"`
	Amount           string          `json:"amount"`
	Currency         string          `json:"currency"`
	Provider         string          `json:"provider"`
	AccountID        string          `json:"account_id"`
	BillingAccountID string          `json:"billing_account_id"`
	Service          string          `json:"service"`
	Region           string          `json:"region"`
	ResourceID       string          `json:"resource_id"`
	Usage            json.RawMessage `json:"usage"`
	Tags             json.RawMessage `json:"tags"`
}

// DecodeCost decodes a row completely.
func DecodeCost(raw json.RawMessage) (Cost, error) {
	var c Cost
	if err := json.Unmarshal(raw, &c); err != nil {
		return c, fmt.Errorf("%w: a cost row is not a JSON object: %v", ErrBadResponse, err)
	}
	return c, nil
}

// CostKey is what a pull sums on every row.
type CostKey struct {
	Amount, Currency, Provider, Service string
}

// ScanCostKey reads amount, currency, provider and service from a row
// without decoding all of it: a single pass over the top-level keys. Rows
// whose strings use escapes are decoded the slow, general way.
func ScanCostKey(raw []byte) (CostKey, error) {
	var k CostKey
	ok, err := scanObject(raw, func(key, val []byte, str bool) {
		if !str {
			return
		}
		switch string(key) {
		case "amount":
			k.Amount = string(val)
		case "currency":
			k.Currency = string(val)
		case "provider":
			k.Provider = string(val)
		case "service":
			k.Service = string(val)
		}
	})
	if err != nil {
		return k, err
	}
	if !ok {
		return slowCostKey(raw)
	}
	return k, nil
}

// ScanCost reads a whole row in one pass, like DecodeCost but several
// times faster; rows whose strings use escapes are decoded by DecodeCost.
func ScanCost(raw []byte) (Cost, error) {
	var c Cost
	ok, err := scanObject(raw, func(key, val []byte, str bool) {
		if !str {
			switch string(key) {
			case "usage":
				c.Usage = json.RawMessage(val)
			case "tags":
				c.Tags = json.RawMessage(val)
			}
			return
		}
		switch string(key) {
		case "accrued_at":
			c.AccruedAt = string(val)
		case "amount":
			c.Amount = string(val)
		case "currency":
			c.Currency = string(val)
		case "provider":
			c.Provider = string(val)
		case "account_id":
			c.AccountID = string(val)
		case "billing_account_id":
			c.BillingAccountID = string(val)
		case "service":
			c.Service = string(val)
		case "region":
			c.Region = string(val)
		case "resource_id":
			c.ResourceID = string(val)
		}
	})
	if err != nil {
		return c, err
	}
	if !ok {
		return DecodeCost(raw)
	}
	return c, nil
}

// scanObject visits the members of a JSON object: key, and either a
// string's content (str true) or another value's raw bytes. ok is false
// when the object uses escapes or is otherwise beyond this fast path; err
// is set when raw is not an object at all.
func scanObject(raw []byte, visit func(key, val []byte, str bool)) (ok bool, err error) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return false, fmt.Errorf("%w: a cost row is not a JSON object", ErrBadResponse)
	}
	i++
	for {
		i = skipSpace(raw, i)
		if i < len(raw) && raw[i] == '}' {
			return true, nil
		}
		key, next, ok := scanString(raw, i)
		// encoding/json matches keys case-insensitively and repairs invalid
		// UTF-8: leave such rows to it, so both readers always agree.
		if !ok || !lowerASCII(key) {
			return false, nil
		}
		i = skipSpace(raw, next)
		if i >= len(raw) || raw[i] != ':' {
			return false, nil
		}
		i = skipSpace(raw, i+1)
		if i < len(raw) && raw[i] == '"' {
			val, next, ok := scanString(raw, i)
			if !ok || !utf8.Valid(val) {
				return false, nil
			}
			visit(key, val, true)
			i = next
		} else {
			next, ok := skipValue(raw, i)
			if !ok {
				return false, nil
			}
			visit(key, raw[i:next], false)
			i = next
		}
		i = skipSpace(raw, i)
		if i < len(raw) && raw[i] == ',' {
			i++
			continue
		}
		if i < len(raw) && raw[i] == '}' {
			return true, nil
		}
		return false, nil
	}
}

// ScanObject is scanObject for other packages: it visits the members of a
// flat JSON object; ok is false where the fast path does not apply.
func ScanObject(raw []byte, visit func(key, val []byte, str bool)) bool {
	ok, err := scanObject(raw, visit)
	return ok && err == nil
}

// lowerASCII reports whether a key has no uppercase letter and no
// non-ASCII byte.
func lowerASCII(key []byte) bool {
	for _, b := range key {
		if b-'A' < 26 || b >= 0x80 {
			return false
		}
	}
	return true
}

func slowCostKey(raw []byte) (CostKey, error) {
	c, err := DecodeCost(raw)
	return CostKey{Amount: c.Amount, Currency: c.Currency, Provider: c.Provider, Service: c.Service}, err
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r') {
		i++
	}
	return i
}

// scanString reads a JSON string without escapes starting at b[i] == '"';
// ok is false for escapes, which the slow path handles.
func scanString(b []byte, i int) (s []byte, next int, ok bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, i, false
	}
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '"':
			return b[i+1 : j], j + 1, true
		case '\\':
			return nil, i, false
		}
	}
	return nil, i, false
}

// skipValue skips a number, literal, object or array.
func skipValue(b []byte, i int) (int, bool) {
	depth := 0
	for ; i < len(b); i++ {
		switch b[i] {
		case '"':
			_, next, ok := scanString(b, i)
			if !ok {
				return i, false
			}
			i = next - 1
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i, true
			}
			depth--
			if depth == 0 {
				return i + 1, true
			}
		case ',':
			if depth == 0 {
				return i, true
			}
		}
	}
	return i, depth == 0
}

// Amount is a money amount as the API writes it: a decimal string.
type Amount struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
}

// Links are a page's pagination links; Next is "" on the last page.
type Links struct {
	Self  string `json:"self"`
	First string `json:"first"`
	Next  string `json:"next"`
	Prev  string `json:"prev"`
	Last  string `json:"last"`
}

// CostsPage is one page of GET /costs. Rows are kept as the API sent
// them: output that keeps Vantage's fields writes them as they are, and
// other formats decode them with DecodeCost.
type CostsPage struct {
	Links     Links             `json:"links"`
	TotalCost *Amount           `json:"total_cost"`
	Rows      []json.RawMessage `json:"costs"`
	// Number is the 1-based page number in this pull.
	Number int `json:"-"`
}

// Costs pages through GET /costs, calling fn with each page in order. It
// follows links.next (absolute or relative), refuses links to another
// host, and stops with ErrPaginationLoop when a link repeats.
func (c *Client) Costs(ctx context.Context, q CostsQuery, fn func(*CostsPage) error) error {
	if q.Limit > MaxPageSize {
		return fmt.Errorf("page size %d is above the API's maximum of %d", q.Limit, MaxPageSize)
	}
	req, err := c.NewRequest(ctx, "costs", q.values())
	if err != nil {
		return err
	}
	// While the caller handles a page, the next one is already on its way.
	type fetched struct {
		page *CostsPage
		err  error
	}
	fetch := func(req *http.Request, n int) <-chan fetched {
		ch := make(chan fetched, 1)
		go func() {
			var page CostsPage
			if _, err := c.Do(req, &page); err != nil {
				ch <- fetched{err: fmt.Errorf("page %d: %w", n, err)}
				return
			}
			page.Number = n
			ch <- fetched{page: &page}
		}()
		return ch
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops a prefetch the caller no longer wants
	req = req.WithContext(ctx)
	seen := map[string]bool{req.URL.String(): true}
	pending := fetch(req, 1)
	for n := 1; ; n++ {
		got := <-pending
		if got.err != nil {
			return got.err
		}
		page := got.page
		if next := page.Links.Next; next != "" {
			nreq, err := c.NewRequest(ctx, next, nil)
			if err != nil {
				return fmt.Errorf("page %d: next %w", n, err)
			}
			if seen[nreq.URL.String()] {
				return fmt.Errorf("page %d: %w: the API returned a link already followed", n+1, ErrPaginationLoop)
			}
			seen[nreq.URL.String()] = true
			pending = fetch(nreq, n+1)
		}
		if err := fn(page); err != nil {
			return err
		}
		if page.Links.Next == "" {
			return nil
		}
	}
}
