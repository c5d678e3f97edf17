package vantage

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rshade/finfocus-vantage/internal/suggest"
	"github.com/rshade/finfocus-vantage/internal/yamlnode"
)

// Both is a problem every consumer refuses: the plugin, and finfocus-vantage
// or the API.
const Both = Plugin | Tool

// Validate checks a config against both of its readers, the plugin at
// 1c637b6 and finfocus-vantage (with the API behind it), and returns
// every problem in document order. Each problem says who refuses the
// config for it (RefusedBy); a problem no one refuses is a value read
// differently from how it is written or documented. Messages quote the key
// and say how to fix it; they never contain a credential value.
func (c *Config) Validate() []Problem {
	probs := append([]Problem(nil), c.Problems...)
	for _, n := range c.Order {
		probs = append(probs, c.checkNode(n)...)
	}
	top := yamlnode.Range{Start: c.Start, End: c.Start}
	at := func(path string) yamlnode.Range {
		if p := c.Get(path); p != nil {
			return p.Key
		}
		return top
	}
	add := func(r yamlnode.Range, who Consumer, format string, args ...any) {
		probs = append(probs, Problem{Range: r, RefusedBy: who, Message: fmt.Sprintf(format, args...)})
	}
	// Keys FinFocus's docs mark required that neither reader needs.
	if !c.set("version") {
		add(top, 0, `no "version"; FinFocus's docs mark it required (neither the plugin nor finfocus-vantage reads it); add version: 0.1`)
	}
	if !c.set("source") {
		add(top, 0, `no "source"; FinFocus's docs mark it required and finfocus-vantage finds configs in a repository by it; add source: vantage`)
	}
	// The token: the plugin refuses a config without one unless
	// PULUMICOST_VANTAGE_TOKEN is set; finfocus-vantage falls back to
	// FINFOCUS_VANTAGE_TOKEN too.
	if n := c.getFold("credentials.token"); n == nil || n.Kind == Null || (n.Kind == Scalar && n.Type == "string" && n.Text == "") {
		add(at("credentials"), Plugin, `no "credentials.token": the plugin refuses to load this config unless %s is set when it runs (finfocus-vantage also reads %s); add token: ${%s} under credentials`, PluginEnvToken, EnvToken, PluginEnvToken)
	}
	pluginHas := c.pluginText(c.getFold("params.cost_report_token")) != "" || c.pluginText(c.getFold("params.workspace_token")) != ""
	toolHas := c.pluginText(c.Get("params.cost_report_token")) != "" || c.pluginText(c.Get("params.workspace_token")) != ""
	switch {
	case !pluginHas && !toolHas:
		add(at("params"), Both, `neither "params.cost_report_token" nor "params.workspace_token" is set, so neither the plugin nor finfocus-vantage knows which costs to read; add cost_report_token: with the report's token from Vantage (rprt_…)`)
	case !toolHas:
		add(at("params"), Tool, `finfocus-vantage finds neither "params.cost_report_token" nor "params.workspace_token" written in lower case (the plugin ignores the case of keys, finfocus-vantage does not); write the keys in lower case`)
	}
	if n := c.getFold("params.granularity"); n == nil || n.Kind == Null {
		add(at("params"), Plugin, `no "params.granularity": the plugin refuses to load a config without one (finfocus-vantage would use day); add granularity: day`)
	}
	// Cross-field: end before start.
	if s, e := c.date("params.start_date"), c.date("params.end_date"); !s.IsZero() && !e.IsZero() && e.Before(s) {
		add(c.Get("params.end_date").Value, Both, `"params.end_date" (%s) is before "params.start_date" (%s); swap them or fix the dates`, e.Format(DateLayout), s.Format(DateLayout))
	}
	return probs
}

// getFold returns the node at path as the plugin finds it: its YAML
// reader ignores the case of keys (Params: is params:). An exact match
// comes first.
func (c *Config) getFold(path string) *Node {
	if n := c.Get(path); n != nil {
		return n
	}
	for _, n := range c.Order {
		if strings.EqualFold(n.Path, path) {
			return n
		}
	}
	return nil
}

// set reports whether path has a value: present and not null (both
// readers treat `key:` and `key: null` as unset).
func (c *Config) set(path string) bool {
	n := c.Get(path)
	return n != nil && n.Kind != Null
}

// pluginText is a scalar the way the plugin's string cast reads it: ""
// for a mapping, a list or null.
func (c *Config) pluginText(n *Node) string {
	if n == nil || n.Kind != Scalar {
		return ""
	}
	return n.Text
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

// withFix gives a single problem the text that resolves it.
func withFix(ps []Problem, text string) []Problem {
	ps[0].Fix = text
	return ps
}

// valueProblem returns a reporter of one problem with n's value.
func valueProblem(n *Node) func(who Consumer, format string, args ...any) []Problem {
	return func(who Consumer, format string, args ...any) []Problem {
		return []Problem{{Range: n.Value, RefusedBy: who, Message: fmt.Sprintf(format, args...)}}
	}
}

// checkNode checks one key and its value.
func (c *Config) checkNode(n *Node) []Problem {
	bad := valueProblem(n)
	f, known := schema[n.Path]
	if !known {
		if lower := strings.ToLower(n.Path); lower != n.Path {
			if _, ok := schema[lower]; ok {
				return c.caseVariant(n, lower)
			}
		}
		return c.unknownKey(n)
	}
	if n.Kind == Other {
		return nil // reported while reading
	}
	if n.Kind == Null {
		if f.typ == tMap || n.Path == "params.end_date" {
			return nil // end_date: null means up to today, for both
		}
		return bad(0, "%q has no value, so it is read as unset; set it or remove the key", n.Path)
	}
	switch f.typ {
	case tMap:
		if n.Kind != Map {
			return bad(Both, "%q must be a mapping of keys, not a %s", n.Path, shape(n))
		}
	case tString, tEnum:
		return c.checkText(n, f)
	case tDate:
		return checkDate(n)
	case tBool:
		if n.Kind != Scalar || n.Type != "bool" {
			if n.Path == "params.include_forecast" {
				return bad(0, "%q is %s, which the plugin reads loosely (anything but a true-like value means false); write true or false", n.Path, describe(n))
			}
			return bad(Tool, "%q must be true or false, not %s (finfocus-vantage refuses it)", n.Path, describe(n))
		}
	case tVersion:
		if n.Kind != Scalar || n.Text != "0.1" {
			return withFix(bad(Tool, `unsupported "version" %s: finfocus-vantage knows only 0.1 (the plugin does not read it); write version: 0.1`, describe(n)), "0.1")
		}
	case tInt:
		return checkInt(n)
	case tStrings:
		return checkList(n)
	}
	return nil
}

// caseVariant checks a known key written in another case (Params,
// Granularity): the plugin reads it, finfocus-vantage does not. The
// topmost such key gets a warning; its value is checked as the plugin
// reads it, keeping only what the plugin or the API refuses.
func (c *Config) caseVariant(n *Node, lower string) []Problem {
	var out []Problem
	if dir, _ := splitPath(n.Path); dir == "" || strings.ToLower(dir) == dir {
		base := lower[strings.LastIndexByte(lower, '.')+1:]
		if pluginReads(lower) {
			out = append(out, Problem{Range: n.Key, RefusedBy: Tool, Fix: base, Message: fmt.Sprintf(
				"%q: the plugin ignores the case of keys and reads it as %q, finfocus-vantage reads keys as written and ignores it; write %s", n.Path, lower, base)})
		} else {
			out = append(out, Problem{Range: n.Key, Message: fmt.Sprintf(
				"%q is not read: finfocus-vantage reads keys as written (and the plugin does not read %q); write %s", n.Path, lower, base)})
		}
	}
	as := *n
	as.Path = lower
	for _, p := range c.checkNode(&as) {
		was := p.RefusedBy
		p.RefusedBy &^= Tool
		if was != 0 && p.RefusedBy == 0 {
			continue // only finfocus-vantage would refuse it, and it does not read the key
		}
		out = append(out, p)
	}
	// Renaming the key is the whole fix only when nothing beneath it is
	// wrong too: no value problem, no key below in another case.
	if len(out) > 1 || slices.ContainsFunc(c.Order, func(o *Node) bool {
		return strings.HasPrefix(o.Path, n.Path+".") && strings.ToLower(o.Path[len(n.Path):]) != o.Path[len(n.Path):]
	}) {
		for i := range out {
			out[i].Fix = ""
		}
	}
	return out
}

// pluginReads reports whether the plugin reads a key path (or keys under it).
func pluginReads(path string) bool {
	switch path {
	case "credentials", "credentials.token", "params":
		return true
	}
	return strings.HasPrefix(path, "params.") && !strings.HasPrefix(path, "params.settings")
}

// unknownKey reports a key neither reader knows. The plugin ignores such
// keys, so the config still loads: a notice, with a suggestion for a typo.
func (c *Config) unknownKey(n *Node) []Problem {
	dir, base := splitPath(n.Path)
	if dir != "" && schema[dir].typ != tMap {
		return nil // under an unknown parent: its parent is reported
	}
	if why, ok := pluginIgnoredDocumented[n.Path]; ok {
		return []Problem{{Range: n.Key, Message: fmt.Sprintf("%q is not read: %s; remove it, or filter in FinFocus", n.Path, why)}}
	}
	msg := fmt.Sprintf("unknown key %q, which the plugin and finfocus-vantage ignore", n.Path)
	if s := suggest.Closest(base, siblings(dir)); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	} else {
		msg += fmt.Sprintf("; known keys here are %s", strings.Join(siblings(dir), ", "))
	}
	return []Problem{{Range: n.Key, Message: msg}}
}

// checkText checks a string or enumerated value.
func (c *Config) checkText(n *Node, f field) []Problem {
	bad := valueProblem(n)
	if n.Kind != Scalar {
		// The plugin casts a mapping or list to "": a missing value.
		return bad(Both, "%q must be a single value, not a %s", n.Path, shape(n))
	}
	if n.Type != "string" && f.typ == tString {
		if n.Path == "credentials.token" {
			return bad(Both, "%q must be a string, not a %s: the plugin reads no token from it; quote it, or better, use ${%s}", n.Path, shape(n), PluginEnvToken)
		}
		return bad(Tool, "%q must be a string, not a %s; quote it (the plugin converts it, finfocus-vantage refuses it)", n.Path, shape(n))
	}
	switch {
	case n.Path == "source" && n.Text != "vantage":
		return withFix(bad(Tool, `"source" is %q; a Vantage plugin config must say source: vantage`, n.Text), "vantage")
	case n.Path == "params.granularity":
		return checkGranularity(n)
	case f.typ == tEnum && !slices.Contains(f.enum, n.Text):
		msg := fmt.Sprintf("%q must be one of %s, not %q (finfocus-vantage refuses it; the plugin does not read it)", n.Path, strings.Join(f.enum, ", "), n.Text)
		if s := suggest.Closest(strings.ToLower(n.Text), f.enum); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		return bad(Tool, "%s", msg)
	}
	return nil
}

func checkGranularity(n *Node) []Problem {
	bad := valueProblem(n)
	switch {
	case slices.Contains(PluginGranularities, n.Text):
		return nil
	case slices.Contains(Granularities, n.Text):
		return bad(Plugin, `"params.granularity" is %q: finfocus-vantage pull accepts it, but the plugin accepts only day or month and refuses to load this config; use day or month if the plugin reads this file`, n.Text)
	}
	msg := fmt.Sprintf(`"params.granularity" must be day or month (finfocus-vantage pull also takes week and quarter), not %q`, n.Text)
	if s := suggest.Closest(strings.ToLower(n.Text), Granularities); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
		if slices.Contains(PluginGranularities, s) {
			return withFix(bad(Both, "%s", msg), s)
		}
	}
	return bad(Both, "%s", msg)
}

// checkDate checks start_date or end_date: a quoted YYYY-MM-DD. The
// plugin reads an unquoted date as a timestamp and refuses it.
func checkDate(n *Node) []Problem {
	bad := valueProblem(n)
	if n.Kind != Scalar {
		who := Both
		if n.Path == "credentials.rotated_at" {
			who = Tool
		}
		return bad(who, "%q must be a date written YYYY-MM-DD, not a %s", n.Path, shape(n))
	}
	who := Both
	if n.Path == "credentials.rotated_at" {
		who = Tool // the plugin does not read it
	}
	if n.Type == "string" && n.Text == "" && who == Both {
		return bad(0, "%q is empty, which both readers take as unset (the default period); remove the key or write a date", n.Path)
	}
	if _, err := time.Parse(DateLayout, n.Text); err != nil || n.Type != "string" {
		return bad(who, "%q is not a valid date %q; write it as YYYY-MM-DD in quotes, e.g. '2026-01-31'", n.Path, n.Text)
	}
	if !n.Quoted && n.Path != "credentials.rotated_at" {
		return withFix(bad(Plugin, "%q is an unquoted date, which the plugin's YAML reader turns into a timestamp and refuses (finfocus-vantage accepts it); quote it: '%s'", n.Path, n.Text), "'"+n.Text+"'")
	}
	return nil
}

// checkInt checks page_size, request_timeout_seconds and max_retries.
// Both readers take 0 or less as the default; the plugin converts strings.
func checkInt(n *Node) []Problem {
	bad := valueProblem(n)
	v, err := strconv.Atoi(n.Text)
	if n.Kind != Scalar || n.Type != "int" || err != nil {
		return bad(Tool, "%q must be a whole number, not %s (finfocus-vantage refuses it; the plugin converts what it can and uses its default otherwise)", n.Path, describe(n))
	}
	switch n.Path {
	case "params.page_size":
		switch {
		case v <= 0:
			return bad(0, `"params.page_size" is %d, which both readers take as the default, %d; remove the key`, v, PluginDefaultPageSize)
		case v > PluginMaxPageSize:
			return withFix(bad(Plugin|API, `"params.page_size" is %d; the plugin accepts at most %d and the API serves at most %d per page; set %d`, v, PluginMaxPageSize, MaxPageSize, MaxPageSize), strconv.Itoa(MaxPageSize))
		case v > MaxPageSize:
			return withFix(bad(API, `"params.page_size" is %d: the plugin accepts up to %d, but the Vantage API serves at most %d per page and finfocus-vantage refuses more; set %d`, v, PluginMaxPageSize, MaxPageSize, MaxPageSize), strconv.Itoa(MaxPageSize))
		}
	case "params.request_timeout_seconds":
		switch {
		case v <= 0:
			return bad(0, `"params.request_timeout_seconds" is %d, which both readers take as the default, %d seconds; remove the key`, v, PluginDefaultTimeoutSecs)
		case v > MaxRequestTimeoutSeconds:
			return bad(Tool, `"params.request_timeout_seconds" is %d: the plugin would wait that long, finfocus-vantage allows at most %d (an hour) so a pipeline cannot hang; lower it`, v, MaxRequestTimeoutSeconds)
		}
	case "params.max_retries":
		switch {
		case v <= 0:
			return bad(0, `"params.max_retries" is %d, which both readers take as the default, %d retries (0 does not turn retries off); remove the key`, v, PluginDefaultMaxRetries)
		case v > MaxRetries:
			return bad(Tool, `"params.max_retries" is %d: the plugin would retry that often, finfocus-vantage allows at most %d; lower it`, v, MaxRetries)
		}
	}
	return nil
}

// checkList checks group_bys and metrics.
func checkList(n *Node) []Problem {
	if n.Kind == Scalar && n.Type == "string" {
		// The plugin splits a string at spaces into the list.
		var out []Problem
		if n.Path == "params.group_bys" {
			out = append(out, Problem{Range: n.Value, RefusedBy: Tool, Message: fmt.Sprintf("%q must be a list, e.g. [provider, service]: the plugin splits a string at spaces, finfocus-vantage refuses it", n.Path)})
		} else {
			out = append(out, Problem{Range: n.Value, Message: fmt.Sprintf("%q is a string, which the plugin splits at spaces; write a list, e.g. [cost, usage]", n.Path)})
		}
		for _, item := range strings.Fields(n.Text) {
			if p, ok := checkItem(n.Path, &Node{Path: n.Path, Value: n.Value, Kind: Scalar, Type: "string", Text: item}); !ok {
				p.RefusedBy &^= Tool // finfocus-vantage refuses the string as a whole, above
				if p.RefusedBy != 0 {
					out = append(out, p)
				}
			}
		}
		return out
	}
	if n.Kind != Seq {
		return []Problem{{Range: n.Value, RefusedBy: Both, Message: fmt.Sprintf("%q must be a list, e.g. [provider, service], not a %s", n.Path, shape(n))}}
	}
	var out []Problem
	for _, it := range n.Items {
		if it.Kind != Scalar {
			out = append(out, Problem{Range: it.Value, RefusedBy: Both, Message: fmt.Sprintf("%q items must be strings, not %s", n.Path, describe(it))})
			continue
		}
		if p, ok := checkItem(n.Path, it); !ok {
			out = append(out, p)
		}
	}
	return out
}

func checkItem(path string, it *Node) (Problem, bool) {
	v := it.Text
	p := Problem{Range: it.Value}
	switch path {
	case "params.group_bys":
		if slices.Contains(PluginGroupBys, v) {
			return p, true
		}
		if slices.Contains(APIGroupings, v) || strings.HasPrefix(v, "tag:") {
			p.RefusedBy = Plugin
			p.Message = fmt.Sprintf("group_by %q is the API's name: finfocus-vantage pull sends it, but the plugin accepts only %s and refuses to load this config", v, strings.Join(PluginGroupBys, ", "))
			return p, false
		}
		p.RefusedBy = Both
		p.Message = fmt.Sprintf("group_by %q is not one the plugin accepts (%s)", v, strings.Join(PluginGroupBys, ", "))
		if s := suggest.Closest(v, PluginGroupBys); s != "" {
			p.Message += fmt.Sprintf("; did you mean %q?", s)
		}
		return p, false
	case "params.metrics":
		if slices.Contains(PluginMetrics, v) {
			return p, true
		}
		p.RefusedBy = Plugin
		p.Message = fmt.Sprintf("metric %q is not one the plugin accepts (%s), so it refuses to load this config (finfocus-vantage does not read metrics)", v, strings.Join(PluginMetrics, ", "))
		if s := suggest.Closest(v, PluginMetrics); s != "" {
			p.Message += fmt.Sprintf("; did you mean %q?", s)
		}
		return p, false
	}
	return p, true
}
