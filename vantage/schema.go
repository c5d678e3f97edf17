package vantage

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rshade/finfocus-vantage/internal/suggest"
	"github.com/rshade/finfocus-vantage/internal/yamlnode"
)

// The values the plugin accepts for enumerated fields.
var (
	// Environments are the values of environment, each with its rotation policy.
	Environments = []string{"production", "staging", "development"}
	// Granularities are the values of params.granularity (the API's date_bin).
	Granularities = []string{"day", "week", "month", "quarter"}
)

// MaxPageSize is the API's largest page of costs.
const MaxPageSize = 5000

// Bounds on the client's patience: a request may wait at most an hour,
// and be retried at most MaxRetries times (each wait is capped too), so a
// config cannot make a pipeline hang for days or overflow a duration.
const (
	MaxRequestTimeoutSeconds = 3600
	MaxRetries               = 20
)

// DateLayout is the layout of every date in a config: YYYY-MM-DD.
const DateLayout = "2006-01-02"

type fieldType int

const (
	tString fieldType = iota
	tVersion
	tEnum
	tDate
	tInt
	tStrings
	tMap
	tBool
)

type field struct {
	typ  fieldType
	enum []string
}

// schema maps every known key path to its type.
var schema = map[string]field{
	"version":                        {typ: tVersion},
	"source":                         {typ: tString},
	"environment":                    {typ: tEnum, enum: Environments},
	"credentials":                    {typ: tMap},
	"credentials.token":              {typ: tString},
	"credentials.rotated_at":         {typ: tDate},
	"params":                         {typ: tMap},
	"params.cost_report_token":       {typ: tString},
	"params.workspace_token":         {typ: tString},
	"params.granularity":             {typ: tEnum, enum: Granularities},
	"params.start_date":              {typ: tDate},
	"params.end_date":                {typ: tDate},
	"params.group_bys":               {typ: tStrings},
	"params.page_size":               {typ: tInt},
	"params.request_timeout_seconds": {typ: tInt},
	"params.max_retries":             {typ: tInt},
	// The tool's own: the settings[...] of GET /costs that decide what an
	// amount means. The plugin ignores them.
	"params.settings":                   {typ: tMap},
	"params.settings.include_credits":   {typ: tBool},
	"params.settings.include_refunds":   {typ: tBool},
	"params.settings.include_discounts": {typ: tBool},
	"params.settings.include_tax":       {typ: tBool},
	"params.settings.amortize":          {typ: tBool},
	"params.settings.unallocated":       {typ: tBool},
}

// siblings returns the known keys under a parent path, for suggestions.
func siblings(parent string) []string {
	var out []string
	for p := range schema {
		dir, base := splitPath(p)
		if dir == parent {
			out = append(out, base)
		}
	}
	sort.Strings(out)
	return out
}

func splitPath(p string) (dir, base string) {
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[:i], p[i+1:]
	}
	return "", p
}

// Validate checks a config against the plugin's schema and returns every
// problem in document order: structure, unknown keys, types, required keys
// and value ranges. Messages quote the key and say how to fix it; they
// never contain a credential value.
func (c *Config) Validate() []Problem {
	probs := append([]Problem(nil), c.Problems...)
	for _, n := range c.Order {
		probs = append(probs, c.checkNode(n)...)
	}
	// Required keys.
	if c.Get("version") == nil {
		probs = append(probs, Problem{Range: yamlnode.Range{Start: c.Start, End: c.Start}, Message: `missing required key "version"; add version: 0.1`})
	}
	if c.Get("source") == nil {
		probs = append(probs, Problem{Range: yamlnode.Range{Start: c.Start, End: c.Start}, Message: `missing required key "source"; add source: vantage`})
	}
	if c.Get("params.cost_report_token") == nil && c.Get("params.workspace_token") == nil {
		at := yamlnode.Range{Start: c.Start, End: c.Start}
		if p := c.Get("params"); p != nil {
			at = p.Key
		}
		probs = append(probs, Problem{Range: at, Message: `neither "params.cost_report_token" nor "params.workspace_token" is set; add cost_report_token: ${FINFOCUS_VANTAGE_COST_REPORT_TOKEN}`})
	}
	// Cross-field: end before start.
	if s, e := c.date("params.start_date"), c.date("params.end_date"); !s.IsZero() && !e.IsZero() && e.Before(s) {
		probs = append(probs, Problem{Range: c.Get("params.end_date").Value,
			Message: fmt.Sprintf(`"params.end_date" (%s) is before "params.start_date" (%s); swap them or fix the dates`, e.Format(DateLayout), s.Format(DateLayout))})
	}
	return probs
}

func (c *Config) date(path string) time.Time {
	n := c.Get(path)
	if n == nil || n.Kind != Scalar {
		return time.Time{}
	}
	t, err := time.Parse(DateLayout, n.Text)
	if err != nil {
		return time.Time{}
	}
	return t
}

func (c *Config) checkNode(n *Node) []Problem {
	f, known := schema[n.Path]
	if !known {
		dir, base := splitPath(n.Path)
		if dir != "" && schema[dir].typ != tMap {
			return nil // under an unknown parent: its parent is reported
		}
		msg := fmt.Sprintf("unknown key %q", n.Path)
		if s := suggest.Closest(base, siblings(dir)); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		} else {
			msg += fmt.Sprintf("; known keys here are %s", strings.Join(siblings(dir), ", "))
		}
		return []Problem{{Range: n.Key, Message: msg}}
	}
	if n.Kind == Other {
		return nil // reported while reading
	}
	bad := func(format string, args ...any) []Problem {
		return []Problem{{Range: n.Value, Message: fmt.Sprintf(format, args...)}}
	}
	if n.Kind == Null {
		if f.typ == tMap {
			return nil
		}
		return bad("%q has no value; set it or remove the key", n.Path)
	}
	switch f.typ {
	case tMap:
		if n.Kind != Map {
			return bad("%q must be a mapping of keys, not a %s", n.Path, shape(n))
		}
	case tString, tEnum, tDate:
		switch {
		case f.typ == tDate && (n.Kind != Scalar || n.Type != "string"):
			return bad("%q must be a date written YYYY-MM-DD, not a %s", n.Path, shape(n))
		case n.Kind != Scalar:
			return bad("%q must be a single value, not a %s", n.Path, shape(n))
		case f.typ == tString && n.Type != "string":
			return bad("%q must be a string, not a %s; quote it", n.Path, shape(n))
		}
		switch f.typ {
		case tEnum:
			if !slices.Contains(f.enum, n.Text) {
				msg := fmt.Sprintf("%q must be one of %s, not %q", n.Path, strings.Join(f.enum, ", "), n.Text)
				if s := suggest.Closest(strings.ToLower(n.Text), f.enum); s != "" {
					msg += fmt.Sprintf("; did you mean %q?", s)
				}
				return bad("%s", msg)
			}
		case tDate:
			if _, err := time.Parse(DateLayout, n.Text); err != nil {
				return bad("%q is not a valid date %q; write it as YYYY-MM-DD, e.g. 2026-01-31", n.Path, n.Text)
			}
		case tString:
			if n.Path == "source" && n.Text != "vantage" {
				return bad(`"source" is %q; a Vantage plugin config must say source: vantage`, n.Text)
			}
		}
	case tBool:
		if n.Kind != Scalar || n.Type != "bool" {
			return bad("%q must be true or false, not %s", n.Path, describe(n))
		}
	case tVersion:
		if n.Kind != Scalar || n.Text != "0.1" {
			return bad(`unsupported "version" %s; the only version is 0.1`, describe(n))
		}
	case tInt:
		if n.Kind != Scalar || n.Type != "int" {
			return bad("%q must be a whole number, not %s", n.Path, describe(n))
		}
		v, err := strconv.Atoi(n.Text)
		if err != nil {
			return bad("%q must be a whole number, not %s", n.Path, describe(n))
		}
		switch n.Path {
		case "params.page_size":
			if v < 1 || v > MaxPageSize {
				return bad(`"params.page_size" is %d; it must be between 1 and %d (the API's maximum)`, v, MaxPageSize)
			}
		case "params.request_timeout_seconds":
			if v < 1 || v > MaxRequestTimeoutSeconds {
				return bad(`"params.request_timeout_seconds" is %d; it must be between 1 and %d (an hour)`, v, MaxRequestTimeoutSeconds)
			}
		case "params.max_retries":
			if v < 0 || v > MaxRetries {
				return bad(`"params.max_retries" is %d; it must be between 0 and %d`, v, MaxRetries)
			}
		}
	case tStrings:
		if n.Kind != Seq {
			return bad("%q must be a list, e.g. [provider, service], not a %s", n.Path, shape(n))
		}
		var out []Problem
		for _, it := range n.Items {
			if it.Kind != Scalar || it.Type != "string" {
				out = append(out, Problem{Range: it.Value, Message: fmt.Sprintf("%q items must be strings, not %s", n.Path, describe(it))})
			}
		}
		return out
	}
	return nil
}

func shape(n *Node) string {
	switch n.Kind {
	case Map:
		return "mapping"
	case Seq:
		return "list"
	case Null:
		return "null"
	}
	switch n.Type {
	case "int":
		return "number"
	case "float":
		return "number"
	case "bool":
		return "boolean"
	}
	return n.Type
}

// describe names a value for a message. Only used for fields that are
// never secrets.
func describe(n *Node) string {
	if n.Kind == Scalar {
		return fmt.Sprintf("%s %q", shape(n), n.Text)
	}
	return "a " + shape(n)
}
