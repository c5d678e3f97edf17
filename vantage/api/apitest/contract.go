package apitest

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// The contract: the shapes of /me, /cost_reports/{token}, /costs and /tags as
// Vantage's published OpenAPI document gives them (vantagev2/swagger.json
// of github.com/vantage-sh/vantage-go at commit c6fc7d4, 2026-08-13, API
// version 2.0.0), written down as facts for this project. docs/api.md is
// the same table in prose. Every successful answer of the fake is checked
// against it (contract_test.go), so the fake cannot drift from the API.

// Field is one member of an object in the schema.
type Field struct {
	// Type is string, boolean, integer, object, array, or the name of
	// another definition.
	Type string
	// Items is the element type of an array.
	Items string
	// Required members must be present; Nullable ones may be null.
	Required, Nullable bool
	// Enum lists the allowed values of a string, when the schema does.
	Enum []string
}

// Contract maps each definition to its members.
var Contract = map[string]map[string]Field{
	"Me": {
		"default_workspace_token": {Type: "string", Required: true, Nullable: true},
		"default_dashboard_token": {Type: "string", Nullable: true},
		"workspaces":              {Type: "array", Items: "Workspace", Required: true},
		"bearer_token":            {Type: "BearerToken", Required: true},
	},
	"Workspace": {
		"token":                      {Type: "string", Required: true},
		"name":                       {Type: "string", Required: true},
		"created_at":                 {Type: "string", Required: true},
		"enable_currency_conversion": {Type: "boolean", Required: true},
		"currency":                   {Type: "string", Required: true},
		"exchange_rate_date":         {Type: "string", Required: true},
	},
	"BearerToken": {
		"description": {Type: "string", Required: true},
		"created_at":  {Type: "string", Required: true},
		"scope":       {Type: "array", Items: "string", Required: true},
	},
	"CostReport": {
		"token":                                {Type: "string", Required: true},
		"title":                                {Type: "string", Required: true},
		"folder_token":                         {Type: "string", Nullable: true},
		"saved_filter_tokens":                  {Type: "array", Items: "string", Nullable: true},
		"business_metric_tokens_with_metadata": {Type: "array", Items: "object", Required: true},
		"default_forecast":                     {Type: "object", Required: true},
		"filter":                               {Type: "string", Required: true, Nullable: true},
		"groupings":                            {Type: "string", Nullable: true},
		"settings":                             {Type: "object"},
		"created_at":                           {Type: "string", Required: true},
		"workspace_token":                      {Type: "string", Required: true},
		"previous_period_start_date":           {Type: "string", Nullable: true},
		"previous_period_end_date":             {Type: "string", Nullable: true},
		"start_date":                           {Type: "string", Nullable: true},
		"end_date":                             {Type: "string", Nullable: true},
		"date_interval":                        {Type: "string", Required: true},
		"chart_type":                           {Type: "string", Required: true},
		"date_bin":                             {Type: "string", Required: true},
		"chart_settings":                       {Type: "object", Required: true},
	},
	"Costs": {
		"links":       {Type: "Links"},
		"total_cost":  {Type: "CostPartial", Required: true},
		"total_usage": {Type: "array", Items: "UsagePartial"},
		"total_count": {Type: "integer", Nullable: true},
		"counts":      {Type: "array", Items: "object"},
		"costs":       {Type: "array", Items: "Cost", Required: true},
	},
	"Links": {
		"self":  {Type: "string", Nullable: true},
		"first": {Type: "string", Nullable: true},
		"next":  {Type: "string", Nullable: true},
		"last":  {Type: "string", Nullable: true},
		"prev":  {Type: "string", Nullable: true},
	},
	"CostPartial": {
		"amount":   {Type: "string", Required: true},
		"currency": {Type: "string", Required: true},
	},
	"UsagePartial": {
		"amount": {Type: "string", Required: true},
		"unit":   {Type: "string", Required: true},
	},
	"Cost": {
		"links":              {Type: "Links"},
		"accrued_at":         {Type: "string", Required: true},
		"amount":             {Type: "string", Required: true},
		"currency":           {Type: "string", Required: true},
		"usage":              {Type: "object", Nullable: true},
		"provider":           {Type: "string", Enum: Providers},
		"billing_account_id": {Type: "string", Nullable: true},
		"account_id":         {Type: "string", Nullable: true},
		"service":            {Type: "string", Nullable: true},
		"region":             {Type: "string", Nullable: true},
		"resource_id":        {Type: "string", Nullable: true},
		"resource_name":      {Type: "string", Nullable: true},
		"tag":                {Type: "string", Nullable: true},
		"tags":               {Type: "array", Items: "string", Nullable: true},
		"cost_category":      {Type: "string", Nullable: true},
		"cost_subcategory":   {Type: "string", Nullable: true},
		"segment":            {Type: "string", Nullable: true},
	},
	"Tags": {
		"links": {Type: "Links"},
		"tags":  {Type: "array", Items: "Tag", Required: true},
	},
	"Tag": {
		"tag_key":   {Type: "string", Required: true},
		"hidden":    {Type: "boolean", Required: true},
		"preferred": {Type: "boolean", Required: true},
		"providers": {Type: "array", Items: "string", Required: true},
	},
	"Errors": {
		"links":  {Type: "Links"},
		"errors": {Type: "array", Items: "string", Required: true},
	},
}

// Providers is the schema's enum of Cost.provider.
var Providers = []string{"aws", "azure", "gcp", "snowflake", "databricks", "mongo", "datadog", "fastly", "new_relic", "opencost", "open_ai", "oracle", "confluent", "planetscale", "coralogix", "kubernetes", "custom_provider", "github", "linode", "grafana", "clickhouse", "temporal", "twilio", "azure_csp", "kubernetes_agent", "anthropic", "anyscale", "cursor", "elastic", "vercel", "redis_cloud", "circle_ci", "modal", "eleven_labs", "baseten", "cloudflare", "fireworks_ai", "cartesia", "depot"}

// CheckAnswer returns every way a JSON answer differs from definition def
// of the contract: unknown members, missing required ones, nulls where
// the schema allows none, wrong types, values outside an enum. It is
// empty for an answer in the published shape.
func CheckAnswer(def string, body []byte) []string {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return []string{"not JSON: " + err.Error()}
	}
	var out []string
	checkValue(def, def, v, &out)
	sort.Strings(out)
	return out
}

func checkValue(path, typ string, v any, out *[]string) {
	bad := func(format string, args ...any) { *out = append(*out, path+": "+fmt.Sprintf(format, args...)) }
	if members, isDef := Contract[typ]; isDef {
		obj, ok := v.(map[string]any)
		if !ok {
			bad("want a %s object, got %T", typ, v)
			return
		}
		for name, f := range members {
			val, present := obj[name]
			switch {
			case !present && f.Required:
				bad("required member %q is missing", name)
			case !present:
			case val == nil && !f.Nullable:
				bad("member %q is null, and the schema does not allow it", name)
			case val != nil:
				checkField(path+"."+name, f, val, out)
			}
		}
		for name := range obj {
			if _, known := members[name]; !known {
				bad("member %q is not in the schema", name)
			}
		}
		return
	}
	checkField(path, Field{Type: typ}, v, out)
}

func checkField(path string, f Field, v any, out *[]string) {
	bad := func(format string, args ...any) { *out = append(*out, path+": "+fmt.Sprintf(format, args...)) }
	switch f.Type {
	case "string":
		s, ok := v.(string)
		if !ok {
			bad("want a string, got %T", v)
		} else if len(f.Enum) > 0 && !slices.Contains(f.Enum, s) {
			bad("%q is not one of the schema's values", s)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("want a boolean, got %T", v)
		}
	case "integer":
		if n, ok := v.(float64); !ok || n != float64(int64(n)) {
			bad("want an integer, got %v", v)
		}
	case "object":
		if _, ok := v.(map[string]any); !ok {
			bad("want an object, got %T", v)
		}
	case "array":
		list, ok := v.([]any)
		if !ok {
			bad("want an array, got %T", v)
			return
		}
		for i, it := range list {
			if it == nil {
				bad("item %d is null", i)
				continue
			}
			checkValue(fmt.Sprintf("%s[%d]", path, i), f.Items, it, out)
		}
	default:
		if strings.TrimSpace(f.Type) == "" {
			bad("no type in the contract")
			return
		}
		checkValue(path, f.Type, v, out)
	}
}
