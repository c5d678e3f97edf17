package vantage

import (
	"fmt"
	"sort"
	"strings"
)

// The values the plugin accepts for enumerated fields.
var (
	// Environments are the values of environment, each with its rotation policy.
	Environments = []string{"production", "staging", "development"}
	// Granularities are the values of params.granularity finfocus-vantage
	// pull accepts (the API's date_bin); the plugin accepts fewer
	// (PluginGranularities).
	Granularities = []string{"day", "week", "month", "quarter"}
)

// MaxPageSize is the API's largest page of costs. The plugin accepts up
// to PluginMaxPageSize, which the API does not serve.
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
	"params.metrics":                 {typ: tStrings},
	"params.include_forecast":        {typ: tBool},
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
