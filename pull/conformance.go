package pull

import "github.com/rshade/finfocus-vantage/focus"

// What the focus formats' data is, for the FOCUS requirements model
// (focus/models, checked by TestFOCUSRequirementsModel and written out as
// docs/focus-conformance.md). The provider of these datasets is Vantage's
// cost API: a criterion is met when its rows carry what the criterion is
// about, whatever the clouds behind it support.

// declaredCriteria declares every applicability criterion of the model.
var declaredCriteria = map[string]focus.Declaration{
	"ACCOUNT_NAMING_SUPPORTED":                         {Met: false, Reason: "GET /costs rows carry account IDs only (account_id, billing_account_id); no display name for a billing account reaches this data, so BillingAccountName is null"},
	"AVAILABILITY_ZONE_SUPPORTED":                      {Met: false, Reason: "rows carry a region and no availability zone"},
	"BILLING_BASED_ON_PROVISIONED_RESOURCES_SUPPORTED": {Met: true, Reason: "the resource_id grouping gives each row its resource (resource_id, resource_name)"},
	"CAPACITY_RESERVATION_SUPPORTED":                   {Met: false, Reason: "rows do not identify capacity reservations"},
	"COMMITMENT_DISCOUNT_SUPPORTED":                    {Met: false, Reason: "rows do not identify commitment discounts: amortized amounts are spread into the usage they cover, with no commitment's ID, type or status"},
	"MULTIPLE_BILLING_ACCOUNT_TYPES_SUPPORTED":         {Met: false, Reason: "rows carry no billing account type"},
	"MULTIPLE_PRICING_CATEGORIES_SUPPORTED":            {Met: false, Reason: "rows carry no pricing category (on-demand, committed, dynamic)"},
	"MULTIPLE_SUB_ACCOUNT_TYPES_SUPPORTED":             {Met: false, Reason: "rows carry no sub account type"},
	"NEGOTIATED_PRICING_SUPPORTED":                     {Met: false, Reason: "rows carry no contracted unit price"},
	"PRICING_BILLING_CURRENCY_DIFFERENCES_SUPPORTED":   {Met: false, Reason: "each row has one amount in one currency (the workspace's, when currency conversion is on)"},
	"PUBLIC_PRICE_LIST_SUPPORTED":                      {Met: false, Reason: "rows carry no list unit price, SKU or price ID"},
	"REGION_SUPPORTED":                                 {Met: true, Reason: "the region grouping gives each row its region (region)"},
	"RESOURCE_TYPE_ASSIGNMENT_SUPPORTED":               {Met: false, Reason: "rows carry no resource type"},
	"SUB_ACCOUNT_SUPPORTED":                            {Met: true, Reason: "the account_id grouping gives each row its account, the sub account of its billing account"},
	"TAGGING_SUPPORTED":                                {Met: true, Reason: "the tagged grouping gives each row its tags"},
	"UNIT_PRICING_SUPPORTED":                           {Met: false, Reason: "rows carry no unit price of any kind"},
	"USAGE_MEASUREMENT_SUPPORTED":                      {Met: true, Reason: "rows carry usage (usage.amount and usage.unit)"},
	"VIRTUAL_CURRENCY_SUPPORTED":                       {Met: false, Reason: "amounts are in national currencies only"},
}

// modelCorrections are requirements of the pinned model whose check says
// the opposite of the requirement's own text; each is checked as its text
// says. Both model-1.2.json at 240cea2 and the errata model-1.2.0.1.json
// at c53c1cf have them.
var modelCorrections = []focus.Correction{
	{ID: "ConsumedQuantity-C-006-C",
		Condition: &focus.Check{Fn: "CheckNotValue", Column: "ChargeClass", Value: &focus.Value{String: ptr("Correction")}},
		Reason:    `its text is "MUST NOT be null when ChargeClass is not \"Correction\"", but its condition is ChargeClass = "Correction" (the condition of -007-C, "MAY be null when ChargeClass is \"Correction\"")`},
}

func ptr(s string) *string { return &s }
