package pull

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rshade/finfocus-vantage/vantage/api"
	"github.com/shopspring/decimal"
)

// The spec's ISO 8601 UTC form: FOCUS DateTimeFormat.
var focusDateTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$`)

// TestFOCUSConformance checks every FOCUS 1.2 Mandatory column on
// generated data that holds usage, tax, credit and refund rows: presence,
// type, nullability and allowed values, per the v1.2 column definitions;
// and that every other column is a Conditional one or x_-prefixed.
func TestFOCUSConformance(t *testing.T) {
	mandatory := []string{"BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency", "BillingPeriodEnd", "BillingPeriodStart",
		"ChargeCategory", "ChargeClass", "ChargeDescription", "ChargePeriodEnd", "ChargePeriodStart", "ContractedCost", "EffectiveCost",
		"InvoiceIssuerName", "ListCost", "PricingQuantity", "PricingUnit", "ProviderName", "PublisherName", "ServiceCategory", "ServiceName"}
	conditional := []string{"ConsumedQuantity", "ConsumedUnit", "RegionId", "RegionName", "ResourceId", "ResourceName", "SubAccountId", "SubAccountName", "Tags"}
	names := FOCUSColumnNames()
	for _, m := range mandatory {
		if !slices.Contains(names, m) {
			t.Errorf("Mandatory column %s is missing", m)
		}
	}
	for _, c := range FOCUSColumns {
		if !slices.Contains(mandatory, c.Name) && !slices.Contains(conditional, c.Name) && !strings.HasPrefix(c.Name, "x_") {
			t.Errorf("column %s is neither FOCUS nor x_-prefixed", c.Name)
		}
	}

	for _, bin := range []string{"day", "month", "hour"} {
		t.Run(bin, func(t *testing.T) {
			_, c := setup(t, 3000)
			q := query(1000)
			q.DateBin = bin
			q.Groupings = Groupings("focus-jsonl", nil)
			q.Settings = api.Settings{IncludeCredits: true, IncludeRefunds: true, IncludeDiscounts: true, IncludeTax: true, Amortize: true}
			var buf bytes.Buffer
			res, err := Run(context.Background(), c, Options{Query: q, Format: "focus-jsonl", Stdout: &buf})
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]int{}
			sum := decimal.Zero
			for n, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
				var row map[string]any
				if err := json.Unmarshal([]byte(line), &row); err != nil {
					t.Fatalf("row %d: %v", n+1, err)
				}
				if problems := checkFOCUSRow(row); len(problems) > 0 {
					t.Fatalf("row %d: %s\n%s", n+1, strings.Join(problems, "; "), line)
				}
				seen[row["ChargeCategory"].(string)]++
				if strings.HasPrefix(row["BilledCost"].(string), "-") && row["x_VantageCostCategory"] == "Refund" {
					seen["refund"]++
				}
				d, _ := decimal.NewFromString(row["BilledCost"].(string))
				sum = sum.Add(d)
			}
			if seen["Usage"] == 0 || seen["Tax"] == 0 || seen["Credit"] == 0 || seen["refund"] == 0 {
				t.Errorf("the data lacks a kind of charge: %v", seen)
			}
			if !sum.Equal(res.Exact) {
				t.Errorf("BilledCost sums to %s, the reconciled rows to %s", sum, res.Exact)
			}
		})
	}
}

// checkFOCUSRow returns the ways a row breaks the FOCUS 1.2 column rules.
func checkFOCUSRow(row map[string]any) []string {
	var out []string
	bad := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	str := func(col string) (string, bool) {
		v, present := row[col]
		if !present {
			bad("%s is missing", col)
			return "", false
		}
		if v == nil {
			return "", false
		}
		s, ok := v.(string)
		if !ok {
			bad("%s is not a string: %v", col, v)
		}
		return s, ok
	}
	for _, c := range FOCUSColumns {
		v, present := row[c.Name]
		if !present {
			bad("%s is missing", c.Name)
			continue
		}
		if v == nil {
			if !c.Nullable {
				bad("%s is null", c.Name)
			}
			continue
		}
		switch c.Type {
		case typeDecimal:
			if s, ok := v.(string); !ok || !isNumber(s) {
				bad("%s is not a decimal: %v", c.Name, v)
			}
		case typeDateTime:
			if s, ok := v.(string); !ok || !focusDateTime.MatchString(s) {
				bad("%s is not an ISO 8601 UTC date-time: %v", c.Name, v)
			}
		case typeKeyValue:
			if _, ok := v.(map[string]any); !ok {
				bad("%s is not a key-value object: %v", c.Name, v)
			}
		case typeString:
			if _, ok := v.(string); !ok {
				bad("%s is not a string: %v", c.Name, v)
			}
		}
	}
	category, _ := str("ChargeCategory")
	if !slices.Contains(ChargeCategories, category) {
		bad("ChargeCategory %q is not an allowed value", category)
	}
	if class, ok := str("ChargeClass"); ok && class != "Correction" {
		bad("ChargeClass %q must be null or Correction", class)
	}
	if sc, _ := str("ServiceCategory"); !slices.Contains(ServiceCategories, sc) {
		bad("ServiceCategory %q is not an allowed value", sc)
	}
	qty, hasQty := str("PricingQuantity")
	_, hasUnit := str("PricingUnit")
	if hasQty != hasUnit {
		bad("PricingUnit must be null exactly when PricingQuantity is (%q)", qty)
	}
	if category == "Tax" && hasQty {
		bad("PricingQuantity must be null for Tax")
	}
	class, _ := str("ChargeClass")
	if (category == "Usage" || category == "Purchase") && class != "Correction" && !hasQty {
		bad("PricingQuantity must not be null for %s", category)
	}
	cs, _ := str("ChargePeriodStart")
	ce, _ := str("ChargePeriodEnd")
	bs, _ := str("BillingPeriodStart")
	be, _ := str("BillingPeriodEnd")
	t := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	if !t(ce).After(t(cs)) || !t(be).After(t(bs)) || t(cs).Before(t(bs)) || !t(cs).Before(t(be)) {
		bad("periods out of order: charge %s–%s, billing %s–%s", cs, ce, bs, be)
	}
	billed, _ := str("BilledCost")
	for _, col := range []string{"EffectiveCost", "ListCost", "ContractedCost"} {
		if v, _ := str(col); category == "Credit" && v != billed {
			bad("%s of a Credit must match BilledCost", col)
		}
	}
	return out
}

// TestPartialBinsAreClipped: Vantage answers a range shorter than a week
// or month bin with only that range's data, dated by the bin's first day.
// FOCUS charge periods are clipped to the range asked for, and the billing
// period is the month of the clipped start: a month row for 10–15 October
// covers 10–16 October (exclusive), not the month; a week bin that began
// in September (the week of 2026-09-27) starts at 1 October.
func TestPartialBinsAreClipped(t *testing.T) {
	for _, tc := range []struct {
		bin, start, end    string
		wantStart, wantEnd []string // the charge periods seen
		wantBilling        string
	}{
		{"month", "2026-10-10", "2026-10-15", []string{"2026-10-10T00:00:00Z"}, []string{"2026-10-16T00:00:00Z"}, "2026-10-01T00:00:00Z"},
		{"week", "2026-10-01", "2026-10-06", []string{"2026-10-01T00:00:00Z", "2026-10-04T00:00:00Z"}, []string{"2026-10-04T00:00:00Z", "2026-10-07T00:00:00Z"}, "2026-10-01T00:00:00Z"},
		{"quarter", "2026-11-03", "2026-11-04", []string{"2026-11-03T00:00:00Z"}, []string{"2026-11-05T00:00:00Z"}, "2026-11-01T00:00:00Z"},
	} {
		t.Run(tc.bin, func(t *testing.T) {
			s, c := setup(t, 400)
			s.DateForm = "date"
			q := query(1000)
			q.StartDate, q.EndDate, q.DateBin = tc.start, tc.end, tc.bin
			q.Groupings = Groupings("focus-jsonl", nil)
			var buf bytes.Buffer
			if _, err := Run(context.Background(), c, Options{Query: q, Format: "focus-jsonl", Stdout: &buf}); err != nil {
				t.Fatal(err)
			}
			starts, ends := map[string]bool{}, map[string]bool{}
			for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
				var row map[string]any
				if err := json.Unmarshal([]byte(line), &row); err != nil {
					t.Fatal(err)
				}
				starts[row["ChargePeriodStart"].(string)] = true
				ends[row["ChargePeriodEnd"].(string)] = true
				if row["BillingPeriodStart"] != tc.wantBilling {
					t.Fatalf("BillingPeriodStart %v, want %s (row %s)", row["BillingPeriodStart"], tc.wantBilling, line)
				}
			}
			for _, w := range tc.wantStart {
				if !starts[w] {
					t.Errorf("no charge period starts at %s: %v", w, starts)
				}
			}
			for _, w := range tc.wantEnd {
				if !ends[w] {
					t.Errorf("no charge period ends at %s: %v", w, ends)
				}
			}
			if len(starts) != len(tc.wantStart) || len(ends) != len(tc.wantEnd) {
				t.Errorf("starts %v ends %v, want %v %v", starts, ends, tc.wantStart, tc.wantEnd)
			}
		})
	}
}
