package pull

import (
	"strings"
	"time"
)

// FOCUS 1.2 (FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec, tag v1.2,
// specification/columns) from Vantage cost rows. docs/focus.md gives the
// source and derivation of every column; this file is that table in code.

// FOCUSVersion is the FOCUS version the focus formats write, and
// FOCUSSchemaRef where its schema is published: both go into Parquet's
// key-value metadata and a dataset's manifest, so the schema can be found
// without reading the data (FOCUS's metadata requirement).
const (
	FOCUSVersion   = "1.2"
	FOCUSSchemaRef = "https://github.com/FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec/tree/v1.2/specification/columns"
)

// Column types, as the spec names them.
const (
	typeDecimal  = "Decimal"
	typeString   = "String"
	typeDateTime = "Date/Time"
	typeKeyValue = "Key-Value"
)

// FOCUSColumn describes one column of the focus formats.
type FOCUSColumn struct {
	Name string
	// Type is Decimal, String, Date/Time or Key-Value.
	Type string
	// Nullable says whether the column may be null in our output.
	Nullable bool
	// Level is Mandatory, Conditional or Custom (x_ columns).
	Level string
}

// FOCUSColumns are the columns of focus-csv, focus-jsonl and
// focus-parquet, in order: the 21 Mandatory columns of FOCUS 1.2, the
// Conditional ones Vantage's data supports, then Vantage's own fields as
// x_ columns.
var FOCUSColumns = []FOCUSColumn{
	{"BilledCost", typeDecimal, false, "Mandatory"},
	{"BillingAccountId", typeString, false, "Mandatory"},
	{"BillingAccountName", typeString, true, "Mandatory"},
	{"BillingCurrency", typeString, false, "Mandatory"},
	{"BillingPeriodEnd", typeDateTime, false, "Mandatory"},
	{"BillingPeriodStart", typeDateTime, false, "Mandatory"},
	{"ChargeCategory", typeString, false, "Mandatory"},
	{"ChargeClass", typeString, true, "Mandatory"},
	{"ChargeDescription", typeString, true, "Mandatory"},
	{"ChargePeriodEnd", typeDateTime, false, "Mandatory"},
	{"ChargePeriodStart", typeDateTime, false, "Mandatory"},
	{"ContractedCost", typeDecimal, false, "Mandatory"},
	{"EffectiveCost", typeDecimal, false, "Mandatory"},
	{"InvoiceIssuerName", typeString, false, "Mandatory"},
	{"ListCost", typeDecimal, false, "Mandatory"},
	{"PricingQuantity", typeDecimal, true, "Mandatory"},
	{"PricingUnit", typeString, true, "Mandatory"},
	{"ProviderName", typeString, false, "Mandatory"},
	{"PublisherName", typeString, false, "Mandatory"},
	{"ServiceCategory", typeString, false, "Mandatory"},
	{"ServiceName", typeString, false, "Mandatory"},
	{"ConsumedQuantity", typeDecimal, true, "Conditional"},
	{"ConsumedUnit", typeString, true, "Conditional"},
	{"RegionId", typeString, true, "Conditional"},
	{"ResourceId", typeString, true, "Conditional"},
	{"ResourceName", typeString, true, "Conditional"},
	{"SubAccountId", typeString, true, "Conditional"},
	{"Tags", typeKeyValue, true, "Conditional"},
	{"RegionName", typeString, true, "Conditional"},
	{"SubAccountName", typeString, true, "Conditional"},
	{"x_VantageProvider", typeString, false, "Custom"},
	{"x_VantageAccruedAt", typeString, false, "Custom"},
	{"x_VantageTags", typeString, true, "Custom"},
	{"x_VantageCostCategory", typeString, true, "Custom"},
	{"x_VantageCostSubcategory", typeString, true, "Custom"},
	{"x_VantageChargeType", typeString, true, "Custom"},
	{"x_RowId", typeString, false, "Custom"},
}

// FOCUSColumnNames returns the column names in order.
func FOCUSColumnNames() []string {
	out := make([]string, len(FOCUSColumns))
	for i, c := range FOCUSColumns {
		out[i] = c.Name
	}
	return out
}

// ChargeCategories and ServiceCategories are FOCUS 1.2's allowed values.
var (
	ChargeCategories  = []string{"Usage", "Purchase", "Tax", "Credit", "Adjustment"}
	ServiceCategories = []string{"AI and Machine Learning", "Analytics", "Business Applications", "Compute", "Databases", "Developer Tools", "Multicloud", "Identity", "Integration", "Internet of Things", "Management and Governance", "Media", "Migration", "Mobile", "Networking", "Security", "Storage", "Web", "Other"}
)

// focusValues is one FOCUS row: a value per column, "" with null true for
// a null.
type focusValues struct {
	v    [nFOCUS]string
	null [nFOCUS]bool
	// start … bEnd and tags are the typed values, for Parquet.
	cStart, cEnd, bStart, bEnd time.Time
	tags                       []tagPair
}

// nFOCUS is len(FOCUSColumns); a test keeps them equal.
const nFOCUS = 37

// ISO 8601 in UTC with Z, as FOCUS's DateTimeFormat asks.
const focusTime = "2006-01-02T15:04:05Z"

// toFOCUS maps a row to FOCUS values.
func toFOCUS(r *row, fv *focusValues) {
	*fv = focusValues{}
	i := 0
	set := func(s string) {
		fv.v[i], fv.null[i] = s, s == ""
		i++
	}
	bStart := time.Date(r.Start.Year(), r.Start.Month(), 1, 0, 0, 0, 0, time.UTC)
	bEnd := bStart.AddDate(0, 1, 0)
	category := chargeCategory(r)
	provider := providerName(r.Provider)
	quantity, unit := r.UsageAmount, r.UsageUnit
	if category == "Tax" || quantity == "" || unit == "" {
		quantity, unit = "", "" // PricingQuantity MUST be null for Tax, and goes with its unit
	}
	consumed, consumedUnit := quantity, unit
	if category != "Usage" {
		consumed, consumedUnit = "", "" // ConsumedQuantity MUST be null unless ChargeCategory is Usage
	}
	billing := firstNonEmpty(r.BillingAccountID, r.AccountID, r.Provider)
	service := firstNonEmpty(r.Service, provider)

	set(r.Amount)                             // BilledCost
	set(billing)                              // BillingAccountId
	set("")                                   // BillingAccountName: Vantage rows carry no account names
	set(r.Currency)                           // BillingCurrency
	set(bEnd.Format(focusTime))               // BillingPeriodEnd
	set(bStart.Format(focusTime))             // BillingPeriodStart
	set(category)                             // ChargeCategory
	set(chargeClass(r))                       // ChargeClass: Correction for refunds
	set(chargeDescription(r, category))       // ChargeDescription
	set(r.End.Format(focusTime))              // ChargePeriodEnd
	set(r.Start.Format(focusTime))            // ChargePeriodStart
	set(r.Amount)                             // ContractedCost (no contracted unit price: = BilledCost)
	set(r.Amount)                             // EffectiveCost
	set(provider)                             // InvoiceIssuerName
	set(r.Amount)                             // ListCost (no list unit price: = BilledCost)
	set(quantity)                             // PricingQuantity
	set(unit)                                 // PricingUnit
	set(provider)                             // ProviderName
	set(provider)                             // PublisherName
	set(serviceCategory(r.Provider, service)) // ServiceCategory
	set(service)                              // ServiceName
	set(consumed)                             // ConsumedQuantity
	set(consumedUnit)                         // ConsumedUnit
	set(r.Region)                             // RegionId
	set(r.ResourceID)                         // ResourceId
	if r.ResourceName == r.ResourceID {       // ResourceName MUST NOT duplicate ResourceId
		set("")
	} else {
		set(r.ResourceName)
	}
	set(r.AccountID)     // SubAccountId
	if r.RawTags == "" { // Tags
		set("")
	} else {
		set(tagsObject(r.Tags))
	}
	set(regionName(r.Provider, r.Region)) // RegionName
	set(r.AccountID)                      // SubAccountName: rows carry no account names; the ID stands in
	set(r.Provider)                       // x_VantageProvider
	set(r.AccruedAt)                      // x_VantageAccruedAt
	set(r.RawTags)                        // x_VantageTags
	set(r.CostCategory)                   // x_VantageCostCategory
	set(r.CostSubcategory)                // x_VantageCostSubcategory
	set(r.ChargeType)                     // x_VantageChargeType
	set(r.ID)                             // x_RowId
	fv.cStart, fv.cEnd, fv.bStart, fv.bEnd, fv.tags = r.Start, r.End, bStart, bEnd, r.Tags
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// chargeCategory decides FOCUS's ChargeCategory: from the row's
// charge_type when the API sends one (it is a grouping, but the published
// Cost schema has no such field), else from cost_category, else from the
// service (AWS and others bill tax as a "Tax" service), else from the
// amount's sign: a negative amount that is none of these is a Credit.
// Refunds are Usage, as the spec's Usage category includes refunds.
func chargeCategory(r *row) string {
	for _, s := range []string{r.ChargeType, r.CostCategory, r.Service} {
		switch l := strings.ToLower(s); {
		case l == "":
		case strings.Contains(l, "tax") || strings.Contains(l, "vat"):
			return "Tax"
		case strings.Contains(l, "credit"):
			return "Credit"
		case strings.Contains(l, "refund"):
			return "Usage"
		case strings.Contains(l, "purchase") || strings.Contains(l, "upfront") || strings.Contains(l, "recurring fee") || strings.Contains(l, "subscription"):
			return "Purchase"
		case strings.Contains(l, "adjustment") || strings.Contains(l, "support fee"):
			return "Adjustment"
		case s == r.ChargeType || s == r.CostCategory:
			if strings.Contains(l, "usage") {
				return "Usage"
			}
		}
	}
	if strings.HasPrefix(r.Amount, "-") {
		return "Credit"
	}
	return "Usage"
}

// chargeClass is "Correction" for a refund (the spec's own example of a
// correction to a previously invoiced period), else null: Vantage rows do
// not otherwise say that they correct an invoiced period.
func chargeClass(r *row) string {
	for _, s := range []string{r.ChargeType, r.CostCategory} {
		if strings.Contains(strings.ToLower(s), "refund") {
			return "Correction"
		}
	}
	return ""
}

// chargeDescription is a self-contained summary of the charge.
func chargeDescription(r *row, category string) string {
	service := firstNonEmpty(r.Service, providerName(r.Provider))
	if service == "" {
		return ""
	}
	d := service + " " + strings.ToLower(category)
	if r.UsageAmount != "" && r.UsageUnit != "" && category == "Usage" {
		d += ", " + r.UsageAmount + " " + r.UsageUnit
	}
	return d
}

// providerName is the FOCUS ProviderName for a Vantage provider key.
func providerName(p string) string {
	if n, ok := providerNames[strings.ToLower(p)]; ok {
		return n
	}
	return p
}

var providerNames = map[string]string{
	"aws": "AWS", "gcp": "Google Cloud", "azure": "Microsoft Azure", "azure_csp": "Microsoft Azure",
	"datadog": "Datadog", "snowflake": "Snowflake", "databricks": "Databricks", "mongo": "MongoDB",
	"fastly": "Fastly", "new_relic": "New Relic", "open_ai": "OpenAI", "oracle": "Oracle Cloud",
	"confluent": "Confluent", "planetscale": "PlanetScale", "coralogix": "Coralogix", "github": "GitHub",
	"linode": "Linode", "grafana": "Grafana Labs", "clickhouse": "ClickHouse", "temporal": "Temporal",
	"twilio": "Twilio", "anthropic": "Anthropic", "cloudflare": "Cloudflare", "vercel": "Vercel",
	"elastic": "Elastic", "circle_ci": "CircleCI", "kubernetes": "Kubernetes", "kubernetes_agent": "Kubernetes",
}

// serviceCategory maps a service to FOCUS's ServiceCategory by words in
// its name (and its provider); "Other" when none applies.
func serviceCategory(provider, service string) string {
	l := strings.ToLower(service)
	// Names every provider bills under (Tax, Support, Credits, …) are one
	// ServiceName across providers, so they get one category: Other.
	for _, w := range genericServices {
		if l == w {
			return "Other"
		}
	}
	for _, m := range serviceWords {
		for _, w := range m.words {
			if strings.Contains(l, w) {
				return m.category
			}
		}
	}
	switch strings.ToLower(provider) {
	case "snowflake", "databricks", "clickhouse":
		return "Analytics"
	case "datadog", "new_relic", "grafana", "coralogix", "elastic":
		return "Management and Governance"
	case "open_ai", "anthropic", "fireworks_ai", "baseten", "eleven_labs", "cartesia", "anyscale", "modal":
		return "AI and Machine Learning"
	case "mongo", "planetscale", "redis_cloud":
		return "Databases"
	case "github", "circle_ci", "cursor", "depot":
		return "Developer Tools"
	}
	return "Other"
}

// genericServices are service names that are not a provider's own.
var genericServices = []string{"tax", "taxes", "vat", "support", "credits", "credit", "refund", "refunds", "fees", "discount", "discounts", "marketplace"}

var serviceWords = []struct {
	category string
	words    []string
}{
	{"AI and Machine Learning", []string{"sagemaker", "bedrock", "vertex", "openai", "machine learning", "cognitive"}},
	{"Analytics", []string{"bigquery", "athena", "redshift", "warehouse", "emr", "glue", "kinesis", "analytics", "data factory"}},
	{"Databases", []string{"database", "rds", "dynamodb", "sql", "cosmos", "spanner", "elasticache", "documentdb", "firestore"}},
	{"Storage", []string{"storage", "s3", "glacier", "backup", "efs", "elastic block"}},
	{"Networking", []string{"data transfer", "cloudfront", "vpc", "load balanc", "route 53", "dns", "network", "cdn", "nat gateway"}},
	{"Compute", []string{"compute", "ec2", "lambda", "virtual machine", "kubernetes", "container", "fargate", "functions", "app engine", "hosts"}},
	{"Management and Governance", []string{"cloudwatch", "monitor", "log", "config", "cloudtrail", "management"}},
	{"Security", []string{"security", "guardduty", "waf", "shield", "key management", "kms", "secrets"}},
	{"Identity", []string{"identity", "iam", "cognito", "active directory"}},
	{"Integration", []string{"sns", "sqs", "eventbridge", "pub/sub", "service bus", "step functions"}},
}

// regionName is FOCUS's RegionName: the provider's display name for a
// region it is known to have, else the region's ID (Vantage rows carry
// the ID only).
func regionName(provider, region string) string {
	if n, ok := regionNames[strings.ToLower(provider)+"/"+region]; ok {
		return n
	}
	return region
}

// regionNames are the display names of the regions of AWS, Google Cloud
// and Azure that have them, as each provider's documentation writes them.
var regionNames = map[string]string{
	"aws/us-east-1": "US East (N. Virginia)", "aws/us-east-2": "US East (Ohio)", "aws/us-west-1": "US West (N. California)",
	"aws/us-west-2": "US West (Oregon)", "aws/ca-central-1": "Canada (Central)", "aws/eu-west-1": "Europe (Ireland)",
	"aws/eu-west-2": "Europe (London)", "aws/eu-west-3": "Europe (Paris)", "aws/eu-central-1": "Europe (Frankfurt)",
	"aws/eu-north-1": "Europe (Stockholm)", "aws/eu-south-1": "Europe (Milan)", "aws/ap-northeast-1": "Asia Pacific (Tokyo)",
	"aws/ap-northeast-2": "Asia Pacific (Seoul)", "aws/ap-northeast-3": "Asia Pacific (Osaka)", "aws/ap-southeast-1": "Asia Pacific (Singapore)",
	"aws/ap-southeast-2": "Asia Pacific (Sydney)", "aws/ap-south-1": "Asia Pacific (Mumbai)", "aws/sa-east-1": "South America (São Paulo)",
	"gcp/us-central1": "Iowa", "gcp/us-east1": "South Carolina", "gcp/us-east4": "Northern Virginia", "gcp/us-west1": "Oregon",
	"gcp/europe-west1": "Belgium", "gcp/europe-west2": "London", "gcp/europe-west3": "Frankfurt", "gcp/europe-west4": "Netherlands",
	"gcp/asia-east1": "Taiwan", "gcp/asia-northeast1": "Tokyo", "gcp/asia-southeast1": "Singapore",
	"azure/eastus": "East US", "azure/eastus2": "East US 2", "azure/westus": "West US", "azure/westus2": "West US 2",
	"azure/centralus": "Central US", "azure/northeurope": "North Europe", "azure/westeurope": "West Europe",
	"azure/uksouth": "UK South", "azure/japaneast": "Japan East", "azure/southeastasia": "Southeast Asia",
}
