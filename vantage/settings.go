package vantage

import (
	"strconv"
	"time"
)

// Settings are a validated config's values, with the plugin's defaults.
type Settings struct {
	Environment     string
	CostReportToken string // as written: a literal or ${NAME}
	WorkspaceToken  string // as written
	Granularity     string
	StartDate       string
	EndDate         string
	GroupBys        []string
	PageSize        int
	RequestTimeout  time.Duration
	MaxRetries      int
	RotatedAt       time.Time
	// Costs are params.settings: what an amount means. Unset keys take the
	// API's documented defaults.
	Costs CostSettings
}

// CostSettings are the settings[...] of GET /costs a pull always sends.
type CostSettings struct {
	IncludeCredits, IncludeRefunds, IncludeDiscounts, IncludeTax, Amortize, Unallocated bool
}

// DefaultCostSettings are the API's defaults: credits and refunds out,
// discounts and tax in, amortized, no unallocated costs.
var DefaultCostSettings = CostSettings{IncludeDiscounts: true, IncludeTax: true, Amortize: true}

// Settings returns the config's values with defaults for what is absent:
// granularity day, page_size 5000, request_timeout_seconds 60,
// max_retries 5. Call it on a config whose Validate found nothing.
func (c *Config) Settings() Settings {
	s := Settings{
		Environment:     c.Text("environment"),
		CostReportToken: c.Text("params.cost_report_token"),
		WorkspaceToken:  c.Text("params.workspace_token"),
		Granularity:     c.Text("params.granularity"),
		StartDate:       c.Text("params.start_date"),
		EndDate:         c.Text("params.end_date"),
		PageSize:        MaxPageSize,
		RequestTimeout:  60 * time.Second,
		MaxRetries:      5,
	}
	if s.Granularity == "" {
		s.Granularity = "day"
	}
	if n, err := strconv.Atoi(c.Text("params.page_size")); err == nil {
		s.PageSize = n
	}
	// Out-of-range values are findings (config-schema); here they are
	// clamped, so even a config used with --skip-check stays bounded.
	if n, err := strconv.Atoi(c.Text("params.request_timeout_seconds")); err == nil && n > 0 {
		s.RequestTimeout = time.Duration(min(n, MaxRequestTimeoutSeconds)) * time.Second
	}
	if n, err := strconv.Atoi(c.Text("params.max_retries")); err == nil && n >= 0 {
		s.MaxRetries = min(n, MaxRetries)
	}
	if g := c.Get("params.group_bys"); g != nil {
		for _, it := range g.Items {
			s.GroupBys = append(s.GroupBys, it.Text)
		}
	}
	s.Costs = DefaultCostSettings
	for key, dst := range map[string]*bool{
		"include_credits": &s.Costs.IncludeCredits, "include_refunds": &s.Costs.IncludeRefunds,
		"include_discounts": &s.Costs.IncludeDiscounts, "include_tax": &s.Costs.IncludeTax,
		"amortize": &s.Costs.Amortize, "unallocated": &s.Costs.Unallocated,
	} {
		if b, err := strconv.ParseBool(c.Text("params.settings." + key)); err == nil {
			*dst = b
		}
	}
	if t, err := time.Parse(DateLayout, c.Text("credentials.rotated_at")); err == nil {
		s.RotatedAt = t
	}
	return s
}

// Credentials are the resolved secrets of a config. Never print them.
type Credentials struct {
	// Token is the bearer token.
	Token string
	// TokenSource names where it came from: "credentials.token" or the
	// variable read when the config has no credentials.token.
	TokenSource     string
	CostReportToken string
	WorkspaceToken  string
}

// Credentials resolves a config's tokens exactly as the plugin does: each
// field's ${NAME} references through r, and FINFOCUS_VANTAGE_TOKEN when
// the config has no credentials.token. A nil config means none: the token
// comes from the environment alone.
func (r Resolver) Credentials(c *Config) (Credentials, error) {
	var cr Credentials
	if n := c.Get("credentials.token"); n != nil && n.Kind == Scalar {
		v, err := r.Expand(n.Text)
		if err != nil {
			return cr, err
		}
		cr.Token, cr.TokenSource = v, "credentials.token"
	} else {
		res, err := r.Resolve(EnvToken)
		if err != nil {
			return cr, err
		}
		cr.Token, cr.TokenSource = res.Value, EnvToken
	}
	for _, f := range []struct {
		path string
		dst  *string
	}{{"params.cost_report_token", &cr.CostReportToken}, {"params.workspace_token", &cr.WorkspaceToken}} {
		if t := c.Text(f.path); t != "" {
			v, err := r.Expand(t)
			if err != nil {
				return cr, err
			}
			*f.dst = v
		}
	}
	return cr, nil
}
