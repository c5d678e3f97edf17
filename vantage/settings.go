package vantage

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
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

// WithPluginEnv returns s with the dates the plugin would use:
// PULUMICOST_VANTAGE_START_DATE and PULUMICOST_VANTAGE_END_DATE, when set
// and not empty, override the config's (as in the plugin; --start-date and
// --end-date override both).
func (s Settings) WithPluginEnv(lookup Lookup) Settings {
	if lookup == nil {
		return s
	}
	if v, ok := lookup(PluginEnvStartDate); ok && v != "" {
		s.StartDate = v
	}
	if v, ok := lookup(PluginEnvEndDate); ok && v != "" {
		s.EndDate = v
	}
	return s
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
	// As the plugin reads them: 0 or less means the default.
	if n, err := strconv.Atoi(c.Text("params.page_size")); err == nil && n > 0 {
		s.PageSize = n
	}
	// Out-of-range values are findings (plugin-compat); here they are
	// clamped, so even a config used with --skip-check stays bounded.
	if n, err := strconv.Atoi(c.Text("params.request_timeout_seconds")); err == nil && n > 0 {
		s.RequestTimeout = time.Duration(min(n, MaxRequestTimeoutSeconds)) * time.Second
	}
	if n, err := strconv.Atoi(c.Text("params.max_retries")); err == nil && n > 0 {
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
	// TokenSource names where it came from: PULUMICOST_VANTAGE_TOKEN,
	// "credentials.token" or FINFOCUS_VANTAGE_TOKEN.
	TokenSource     string
	CostReportToken string
	WorkspaceToken  string
	// Notes say what a reader should know about the choice: another
	// source was set to a different token and was not used.
	Notes []string
}

// Credentials resolves a config's tokens and picks the token the chosen
// plugin version (r.Version; nil means the newest) would use. For the
// releases, which read no file: credentials.token with its ${NAME}
// references resolved (finfocus-vantage's own config), else
// FINFOCUS_VANTAGE_TOKEN, blanks trimmed as the plugin trims them; the cost
// report from the config, else FINFOCUS_VANTAGE_COST_REPORT_TOKEN. For the
// loader at 1c637b6: PULUMICOST_VANTAGE_TOKEN when it is set (it overrides
// the file), else credentials.token, else FINFOCUS_VANTAGE_TOKEN (the
// FinFocus docs' name). When two of them are set and differ, a note says
// which was used. A nil config means none: the environment alone.
func (r Resolver) Credentials(c *Config) (Credentials, error) {
	v := r.Version
	if v == nil {
		v = PluginVersions[0]
	}
	var cr Credentials
	type source struct{ name, value string }
	var found []source
	optional := func(name string) error {
		res, err := r.Resolve(name)
		switch {
		case err == nil:
			found = append(found, source{name, res.Value})
		case errors.Is(err, ErrUnset) || errors.Is(err, ErrEmpty):
			// Unset, or empty, which the plugin also skips.
		default:
			return err
		}
		return nil
	}
	if v.File {
		if err := optional(PluginEnvToken); err != nil {
			return cr, err
		}
	}
	if n := c.Get("credentials.token"); n != nil && n.Kind == Scalar && n.Text != "" {
		v, err := r.Expand(n.Text)
		if err != nil && len(found) == 0 {
			return cr, err
		}
		if err == nil {
			found = append(found, source{"credentials.token", v})
		}
	}
	if !v.File {
		// The releases read FINFOCUS_VANTAGE_TOKEN by its name alone.
		if val, ok := r.lookup(EnvToken); ok && val != "" {
			found = append(found, source{EnvToken, val})
		}
	} else if err := optional(EnvToken); err != nil && len(found) == 0 {
		return cr, err
	}
	if v.Trim {
		for i := range found {
			found[i].value = strings.TrimSpace(found[i].value)
		}
		found = slices.DeleteFunc(found, func(s source) bool { return s.value == "" })
	}
	if len(found) == 0 && !v.File {
		if val, ok := r.lookup(EnvToken); ok && val != "" {
			return cr, &ResolveError{Name: EnvToken, Kind: ErrEmpty, Plain: true} // blanks only: the plugin trims them
		}
		return cr, &ResolveError{Name: EnvToken, Kind: ErrUnset, Plain: true}
	}
	if len(found) == 0 {
		res, err := r.Resolve(EnvToken)
		if err == nil && strings.TrimSpace(res.Value) == "" {
			err = &ResolveError{Name: EnvToken, Kind: ErrEmpty} // blanks only: the plugin trims them
		}
		return cr, err
	}
	cr.Token, cr.TokenSource = found[0].value, found[0].name
	seen := map[string]bool{cr.Token: true}
	for _, other := range found[1:] {
		if !seen[other.value] {
			seen[other.value] = true
			cr.Notes = append(cr.Notes, fmt.Sprintf("%s and %s hold different tokens; %s was used, as the plugin would; unset the other so there is one", cr.TokenSource, other.name, cr.TokenSource))
		}
	}
	for _, f := range []struct {
		path string
		dst  *string
	}{{"params.cost_report_token", &cr.CostReportToken}, {"params.workspace_token", &cr.WorkspaceToken}} {
		if t := c.Text(f.path); t != "" {
			val, err := r.Expand(t)
			if err != nil {
				return cr, err
			}
			*f.dst = val
		}
	}
	if cr.CostReportToken == "" && cr.WorkspaceToken == "" && v.Report != "" {
		if val, ok := r.lookup(v.Report); ok {
			cr.CostReportToken = strings.TrimSpace(val)
		}
	}
	return cr, nil
}
