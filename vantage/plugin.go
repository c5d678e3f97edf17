package vantage

import (
	"fmt"
	"strings"

	"github.com/rshade/finfocus-vantage/internal/yamlnode"
)

// The YAML loader of the FinFocus Vantage plugin as this package models
// it: the config loader and validator of rshade/finfocus-plugin-vantage
// (internal/vantage/adapter/config.go) at commit 1c637b6, the version
// "1c637b6" of PluginVersions; the releases read no file (versions.go).
// docs/plugin.md lists what it reads and how; testdata/realworld holds the
// configs of its documentation with the verdict its validator gave each.
//
// What the plugin does, in short: it reads the YAML with viper (no ${NAME}
// expansion, an unquoted date becomes a timestamp), takes credentials.token
// unless PULUMICOST_VANTAGE_TOKEN is set, reads params with loose casts
// (numbers from strings, a string as a space-separated list), defaults
// page_size, request_timeout_seconds and max_retries when they are 0 or
// less, and refuses a config without a token, without a cost report or
// workspace token, without granularity day or month, with a date that is
// not YYYY-MM-DD, an end before the start, page_size over 10000, or a
// group_by or metric it does not know. version, source and any other key
// it ignores.

// PluginRepo is the plugin's repository; PluginVersions name the commits
// its versions were read at.
const PluginRepo = "rshade/finfocus-plugin-vantage"

// Consumer is a reader of a config: the plugin, finfocus-vantage itself
// (auth, pull), or the Vantage API it sends the values to.
type Consumer uint8

// The consumers of a config, as bits of Problem.RefusedBy.
const (
	// Plugin is the FinFocus Vantage plugin's loader at 1c637b6.
	Plugin Consumer = 1 << iota
	// Tool is finfocus-vantage's own auth and pull.
	Tool
	// API is the Vantage API, which refuses some values both accept.
	API
)

// The plugin's enumerations and limits at 1c637b6.
var (
	// PluginGranularities are the granularities the plugin accepts.
	PluginGranularities = []string{"day", "month"}
	// PluginGroupBys are the group_bys the plugin accepts.
	PluginGroupBys = []string{"provider", "service", "account", "project", "region", "resource_id", "tags"}
	// PluginMetrics are the metrics the plugin accepts.
	PluginMetrics = []string{"cost", "usage", "effective_unit_price", "amortized_cost", "taxes", "credits", "refunds"}
	// APIGroupings are the API's own grouping names, which finfocus-vantage
	// pull passes through (tag:<key> besides); the plugin refuses them.
	APIGroupings = []string{"account_id", "billing_account_id", "charge_type", "cost_category", "cost_subcategory", "provider", "region", "resource_id", "service", "tagged", "usage_unit"}
)

// The plugin's defaults and limits: page_size, request_timeout_seconds and
// max_retries of 0 or less take the default.
const (
	PluginMaxPageSize        = 10000
	PluginDefaultPageSize    = 5000
	PluginDefaultTimeoutSecs = 60
	PluginDefaultMaxRetries  = 5
)

// pluginIgnoredDocumented are keys the plugin's own documentation
// describes but its loader does not read, with what the reader should know.
var pluginIgnoredDocumented = map[string]string{
	"params.tag_prefix_filters":       "the plugin's docs describe it, but its loader does not read it, so tags are not filtered",
	"params.forecast_frequency":       "the plugin's docs describe it, but its loader does not read it",
	"params.forecast_retention_count": "the plugin's docs describe it, but its loader does not read it",
}

// Reading is a value the plugin loads but reads differently from the
// FinFocus docs and from finfocus-vantage, with the workaround.
type Reading struct {
	Path    string
	Range   yamlnode.Range
	Message string
}

// PluginReadings returns the ${NAME} references the plugin does not
// expand: it reads the file as written, so a reference reaches the API as
// literal text. credentials.token is the exception that works: the plugin
// replaces it with PULUMICOST_VANTAGE_TOKEN whenever that is set, so
// ${PULUMICOST_VANTAGE_TOKEN} there is only a marker.
func PluginReadings(c *Config) []Reading {
	var out []Reading
	for _, n := range c.Order {
		if n.Kind != Scalar || n.Type != "string" || (n.Path != "credentials.token" && !strings.HasPrefix(n.Path, "params.")) {
			continue
		}
		refs, _ := ParseRefs(n.Text)
		if len(refs) == 0 {
			continue
		}
		name := refs[0].Name
		switch {
		case n.Path == "credentials.token" && len(refs) == 1 && name == PluginEnvToken:
			continue
		case n.Path == "credentials.token":
			out = append(out, Reading{Path: n.Path, Range: n.Value, Message: fmt.Sprintf(
				"the plugin does not expand ${%s}: unless %s is set when it runs, it sends the text itself as the token and Vantage rejects it; set %s to the token (finfocus-vantage reads it first too), or write token: ${%s}",
				name, PluginEnvToken, PluginEnvToken, PluginEnvToken)})
		default:
			out = append(out, Reading{Path: n.Path, Range: n.Value, Message: fmt.Sprintf(
				"the plugin does not expand ${%s} in %q and sends the text itself to the API (finfocus-vantage expands it); write the value in the file: a cost report or workspace token (rprt_…, wrkspc_…) is an identifier, not a secret",
				name, n.Path)})
		}
	}
	return out
}
