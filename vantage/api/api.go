package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/rshade/finfocus-vantage/vantage"
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
	for _, layout := range []string{time.RFC3339, vantage.DateLayout} {
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
	// Whatever a server says is scrubbed, on success too: a description
	// or scope may hold the token in some spelling, and auth prints them.
	me.DefaultWorkspaceToken = c.scrubString(me.DefaultWorkspaceToken)
	for i := range me.Workspaces {
		me.Workspaces[i].Token = c.scrubString(me.Workspaces[i].Token)
		me.Workspaces[i].Name = c.scrubString(me.Workspaces[i].Name)
	}
	me.BearerToken.Description = c.scrubString(me.BearerToken.Description)
	me.BearerToken.CreatedAt = c.scrubString(me.BearerToken.CreatedAt)
	for i := range me.BearerToken.Scope {
		me.BearerToken.Scope[i] = c.scrubString(me.BearerToken.Scope[i])
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
	r.Token, r.Title = c.scrubString(r.Token), c.scrubString(r.Title)
	r.WorkspaceToken, r.CreatedAt = c.scrubString(r.WorkspaceToken), c.scrubString(r.CreatedAt)
	return &r, nil
}

// CostsQuery selects costs.
type CostsQuery struct {
	CostReportToken string
	WorkspaceToken  string
	StartDate       string // YYYY-MM-DD
	EndDate         string // YYYY-MM-DD
	DateBin         string // hour, day, week, month, quarter
	// Groupings are the API's grouping names (account_id, service,
	// tag:<key>…); none means the API's default, provider, service,
	// account_id.
	Groupings []string
	Limit     int // 1..5000
	// Settings decide what an amount means. They are always sent, so a
	// pull never depends on a report's or the API's defaults.
	Settings Settings
	// ResumeLink, when set, is a next link an earlier run of this query
	// was given: paging starts there, at page ResumePage, and the pages
	// before it are not fetched again. Like any link, it must be on the
	// API's host.
	ResumeLink string `json:"-"`
	ResumePage int    `json:"-"`
}

// Settings are the settings[...] query parameters of GET /costs.
type Settings struct {
	IncludeCredits   bool `json:"include_credits"`
	IncludeRefunds   bool `json:"include_refunds"`
	IncludeDiscounts bool `json:"include_discounts"`
	IncludeTax       bool `json:"include_tax"`
	Amortize         bool `json:"amortize"`
	Unallocated      bool `json:"unallocated"`
	// AggregateBy is cost, usage or count; a pull sums cost.
	AggregateBy string `json:"aggregate_by"`
}

// Key identifies the query as the API sees it (every parameter sent),
// for a pull that resumes it.
func (q CostsQuery) Key() string { return q.values().Encode() }

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
	st := q.Settings
	if st.AggregateBy == "" {
		st.AggregateBy = "cost"
	}
	v.Set("settings[include_credits]", strconv.FormatBool(st.IncludeCredits))
	v.Set("settings[include_refunds]", strconv.FormatBool(st.IncludeRefunds))
	v.Set("settings[include_discounts]", strconv.FormatBool(st.IncludeDiscounts))
	v.Set("settings[include_tax]", strconv.FormatBool(st.IncludeTax))
	v.Set("settings[amortize]", strconv.FormatBool(st.Amortize))
	v.Set("settings[unallocated]", strconv.FormatBool(st.Unallocated))
	v.Set("settings[aggregate_by]", st.AggregateBy)
	return v
}

// Cost is one row of GET /costs, as the published schema describes it:
// accrued_at, amount and currency always; the other fields only when the
// query groups by them, and then possibly null (read as ""). ChargeType
// is not in the schema although charge_type is a grouping: it is read
// when a row carries it.
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
	ResourceName     string          `json:"resource_name"`
	CostCategory     string          `json:"cost_category"`
	CostSubcategory  string          `json:"cost_subcategory"`
	ChargeType       string          `json:"charge_type"`
	Usage            json.RawMessage `json:"usage"`
	Tags             json.RawMessage `json:"tags"`
}

// DecodeCost decodes a row completely.
func DecodeCost(raw json.RawMessage) (Cost, error) {
	var c Cost
	if err := checkKeys(raw); err != nil {
		return c, err
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return c, fmt.Errorf("%w: a cost row is not a JSON object: %v", ErrBadResponse, err)
	}
	return c, nil
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
	if q.Limit > vantage.MaxPageSize {
		return fmt.Errorf("page size %d is above the API's maximum of %d", q.Limit, vantage.MaxPageSize)
	}
	req, err := c.NewRequest(ctx, "costs", q.values())
	first := 1
	if q.ResumeLink != "" {
		req, err = c.NewRequest(ctx, q.ResumeLink, nil)
		first = max(q.ResumePage, 1)
	}
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
	req = req.WithContext(ctx)
	seen := map[string]bool{req.URL.String(): true}
	pending := fetch(req, first)
	// A prefetch the caller no longer wants is stopped, and waited for:
	// nothing it does (a wait line on stderr) may outlive this call.
	defer func() {
		cancel()
		if pending != nil {
			<-pending
		}
	}()
	empty := 0 // empty pages in a row that still link to a next one
	for n := first; ; n++ {
		got := <-pending
		pending = nil
		if got.err != nil {
			return got.err
		}
		page := got.page
		if next := page.Links.Next; next != "" {
			// A server that answers forever (distinct links, empty pages)
			// is not the API: stop it.
			if len(page.Rows) == 0 {
				empty++
			} else {
				empty = 0
			}
			if empty >= MaxEmptyPages {
				return fmt.Errorf("page %d: %w: %d empty pages in a row still link to a next one", n, ErrPaginationLoop, empty)
			}
			if n >= MaxPages {
				return fmt.Errorf("page %d: %w: more than %d pages (%d rows at most); narrow the period or the groupings", n, ErrPaginationLoop, MaxPages, MaxPages*vantage.MaxPageSize)
			}
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

// MaxTagKeyPages bounds the pages of GET /tags that TagKeys reads: 100,000
// keys, which holds any real workspace and keeps a server that links on
// forever from filling memory.
const MaxTagKeyPages = 100

// tagsPage is one page of GET /tags.
type tagsPage struct {
	Links Links `json:"links"`
	Tags  []struct {
		Key string `json:"tag_key"`
	} `json:"tags"`
}

// TagKeys lists every tag key the token can see (GET /tags, 1,000 keys a
// page, following links.next on the API's host). Rows carry a tag as one
// "key:value" string, and keys and values may both hold colons: only this
// list tells where a key ends.
func (c *Client) TagKeys(ctx context.Context) ([]string, error) {
	req, err := c.NewRequest(ctx, "tags", url.Values{"limit": {"1000"}})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{req.URL.String(): true}
	var keys []string
	for n := 1; ; n++ {
		var page tagsPage
		if _, err := c.Do(req, &page); err != nil {
			return nil, fmt.Errorf("tag keys, page %d: %w", n, err)
		}
		for _, t := range page.Tags {
			keys = append(keys, t.Key)
		}
		next := page.Links.Next
		if next == "" {
			return keys, nil
		}
		if n >= MaxTagKeyPages {
			return nil, fmt.Errorf("tag keys, page %d: %w: more than %d pages (%d keys); no workspace has that many", n, ErrPaginationLoop, MaxTagKeyPages, MaxTagKeyPages*1000)
		}
		if req, err = c.NewRequest(ctx, next, nil); err != nil {
			return nil, fmt.Errorf("tag keys, page %d: next %w", n, err)
		}
		if seen[req.URL.String()] {
			return nil, fmt.Errorf("tag keys, page %d: %w: the API returned a link already followed", n+1, ErrPaginationLoop)
		}
		seen[req.URL.String()] = true
	}
}
