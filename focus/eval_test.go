package focus

import (
	"strings"
	"testing"
)

func s(v string) *string { return &v }

// good is a row that meets FOCUS 1.2's column requirements for a usage
// charge.
func good() map[string]*string {
	return map[string]*string{
		"BilledCost": s("1.5"), "BillingAccountId": s("123"), "BillingAccountName": nil, "BillingCurrency": s("USD"),
		"BillingPeriodStart": s("2026-10-01T00:00:00Z"), "BillingPeriodEnd": s("2026-11-01T00:00:00Z"),
		"ChargeCategory": s("Usage"), "ChargeClass": nil, "ChargeDescription": s("EC2 usage"),
		"ChargePeriodStart": s("2026-10-01T00:00:00Z"), "ChargePeriodEnd": s("2026-10-02T00:00:00Z"),
		"ContractedCost": s("1.5"), "EffectiveCost": s("1.5"), "InvoiceIssuerName": s("AWS"), "ListCost": s("1.5"),
		"PricingQuantity": s("3"), "PricingUnit": s("Hours"), "ProviderName": s("AWS"), "PublisherName": s("AWS"),
		"ServiceCategory": s("Compute"), "ServiceName": s("EC2"),
	}
}

func dataset(rows ...map[string]*string) *Dataset {
	cols := map[string]string{}
	for k := range good() {
		cols[k] = TypeString
	}
	for _, k := range []string{"BilledCost", "ContractedCost", "EffectiveCost", "ListCost", "PricingQuantity"} {
		cols[k] = TypeDecimal
	}
	for _, k := range []string{"BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd"} {
		cols[k] = TypeDateTime
	}
	return &Dataset{Name: "t", Columns: cols, Rows: rows}
}

func outcomes(t *testing.T, ds *Dataset) map[string]Outcome {
	t.Helper()
	m, err := Load("1.2")
	if err != nil {
		t.Fatal(err)
	}
	crit := map[string]Declaration{}
	for _, c := range m.CriteriaNames() {
		crit[c] = Declaration{Met: false, Reason: "test"}
	}
	out, err := (&Checker{Model: m, Criteria: crit}).Check([]*Dataset{ds})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Outcome{}
	for _, o := range out {
		got[o.Requirement.ID] = o
	}
	return got
}

// TestChecksCatchWhatTheyShould: each mutation of a good row fails the
// requirement it breaks, and the good row passes it: conditions, nulls,
// formats, two-column and distinct-count checks and the conditions of the
// composites above a requirement are all read.
func TestChecksCatchWhatTheyShould(t *testing.T) {
	base := outcomes(t, dataset(good()))
	for _, tc := range []struct {
		id     string
		mutate func(r map[string]*string)
	}{
		{"BilledCost-C-003-M", func(r map[string]*string) { r["BilledCost"] = nil }},
		{"BilledCost-C-002-M", func(r map[string]*string) { r["BilledCost"] = s("+1.5") }},
		{"BillingCurrency-C-003-M", func(r map[string]*string) { r["BillingCurrency"] = s("usd") }},
		{"ChargePeriodStart-C-002-M", func(r map[string]*string) { r["ChargePeriodStart"] = s("2026-10-01 00:00:00") }},
		{"ChargeClass-C-005-C", func(r map[string]*string) { r["ChargeClass"] = s("correction") }},
		{"PricingQuantity-C-004-C", func(r map[string]*string) { r["ChargeCategory"] = s("Tax") }},
		{"BilledCost-C-005-C", func(r map[string]*string) { r["InvoiceIssuerName"] = s("Reseller") }},
	} {
		if base[tc.id].Status != Pass {
			t.Errorf("%s on the good row: %s (%s)", tc.id, base[tc.id].Status, base[tc.id].Reason)
			continue
		}
		r := good()
		tc.mutate(r)
		if o := outcomes(t, dataset(r))[tc.id]; o.Status != Fail {
			t.Errorf("%s after the mutation: %s (%s)", tc.id, o.Status, o.Reason)
		}
	}
	// ServiceName-C-005-C: one ServiceName, two categories.
	a, b := good(), good()
	b["ServiceCategory"] = s("Storage")
	if o := outcomes(t, dataset(a, b))["ServiceName-C-005-C"]; o.Status != Fail || !strings.Contains(o.Reason, "2 distinct ServiceCategory") {
		t.Errorf("ServiceName-C-005-C: %s (%s)", o.Status, o.Reason)
	}
	// A missing Mandatory column fails its presence requirement.
	ds := dataset(good())
	delete(ds.Columns, "ServiceName")
	if o := outcomes(t, ds)["CostAndUsage-D-041-M"]; o.Status != Fail {
		t.Errorf("CostAndUsage-D-041-M without ServiceName: %s", o.Status)
	}
	// An unjudged Dynamic MUST fails; criteria must all be declared.
	if o := base["BilledCost-C-006-M"]; o.Status != Fail || !strings.Contains(o.Reason, "not judged") {
		t.Errorf("unjudged Dynamic MUST: %s (%s)", o.Status, o.Reason)
	}
	m, _ := Load("1.2")
	if _, err := (&Checker{Model: m}).Check([]*Dataset{ds}); err == nil {
		t.Error("undeclared criteria accepted")
	}
}
