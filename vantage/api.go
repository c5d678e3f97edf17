package vantage

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"time"
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

// Cost is one row of GET /costs. Raw holds the row exactly as the API sent
// it, for output that keeps Vantage's fields as they come.
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

	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a row and keeps its raw bytes.
func (c *Cost) UnmarshalJSON(b []byte) error {
	type plain Cost
	if err := json.Unmarshal(b, (*plain)(c)); err != nil {
		return err
	}
	c.Raw = append(json.RawMessage(nil), b...)
	return nil
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

// CostsPage is one page of GET /costs.
type CostsPage struct {
	Links     Links   `json:"links"`
	TotalCost *Amount `json:"total_cost"`
	Costs     []Cost  `json:"costs"`
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
	seen := map[string]bool{}
	for n := 1; ; n++ {
		key := req.URL.String()
		if seen[key] {
			return fmt.Errorf("page %d: %w: the API returned a link already followed", n, ErrPaginationLoop)
		}
		seen[key] = true
		var page CostsPage
		if _, err := c.Do(req, &page); err != nil {
			return fmt.Errorf("page %d: %w", n, err)
		}
		page.Number = n
		if err := fn(&page); err != nil {
			return err
		}
		if page.Links.Next == "" {
			return nil
		}
		if req, err = c.NewRequest(ctx, page.Links.Next, nil); err != nil {
			return fmt.Errorf("page %d: next %w", n, err)
		}
	}
}
