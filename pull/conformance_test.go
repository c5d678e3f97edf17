package pull

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/rshade/finfocus-vantage/focus"
	"github.com/rshade/finfocus-vantage/vantage/api"
	"github.com/rshade/finfocus-vantage/vantage/api/apitest"
)

var updateConformance = flag.Bool("update-conformance", false, "rewrite docs/focus-conformance.md")

// focusDataset pulls focus-jsonl rows from the fake for a date bin, with
// usage, tax, credit and refund rows, as a dataset to check.
func focusDataset(t *testing.T, bin string) *focus.Dataset {
	t.Helper()
	_, c := setup(t, 3000)
	q := query(1000)
	q.StartDate, q.EndDate, q.DateBin = "2026-09-10", "2026-11-20", bin
	q.Groupings = Groupings("focus-jsonl", nil)
	q.Settings = api.Settings{IncludeCredits: true, IncludeRefunds: true, IncludeDiscounts: true, IncludeTax: true, Amortize: true}
	var buf bytes.Buffer
	if _, err := Run(context.Background(), c, Options{Query: q, Format: "focus-jsonl", Stdout: &buf}); err != nil {
		t.Fatal(err)
	}
	ds := &focus.Dataset{Name: bin, Columns: map[string]string{}}
	for _, col := range FOCUSColumns {
		ds.Columns[col.Name] = map[string]string{typeDecimal: focus.TypeDecimal, typeString: focus.TypeString, typeDateTime: focus.TypeDateTime, typeKeyValue: focus.TypeKeyValue}[col.Type]
	}
	kinds := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var raw map[string]json.RawMessage
		if err := json.Unmarshal([]byte(line), &raw); err != nil {
			t.Fatal(err)
		}
		row := map[string]*string{}
		for k, v := range raw {
			if string(v) == "null" {
				row[k] = nil
				continue
			}
			var s string
			if json.Unmarshal(v, &s) != nil {
				s = string(v) // the Tags object
			}
			row[k] = &s
		}
		checkTagsAsSent(t, row)
		kinds[*row["ChargeCategory"]]++
		if c := row["ChargeClass"]; c != nil {
			kinds[*c]++
		}
		ds.Rows = append(ds.Rows, row)
	}
	for _, k := range []string{"Usage", "Tax", "Credit", "Correction"} {
		if kinds[k] == 0 {
			t.Fatalf("%s data has no %s rows: %v", bin, k, kinds)
		}
	}
	return ds
}

// checkTagsAsSent fails the test when a row's Tags is not exactly the
// tags the fake wrote into it: every key and value as they were before
// the API joined them with a colon (Tags-C-010-C: no value altered).
func checkTagsAsSent(t *testing.T, row map[string]*string) {
	t.Helper()
	truth := map[string]apitest.Tag{}
	for _, tag := range apitest.Tags() {
		truth[tag.String()] = tag
	}
	sent, tags := row["x_VantageTags"], row["Tags"]
	if sent == nil {
		if tags != nil {
			t.Fatalf("Tags %s on a row with no tags", *tags)
		}
		return
	}
	var list []string
	if err := json.Unmarshal([]byte(*sent), &list); err != nil {
		t.Fatalf("x_VantageTags %s: %v", *sent, err)
	}
	want := map[string]any{}
	for _, s := range list {
		tag, ok := truth[s]
		if !ok {
			t.Fatalf("the fake wrote no tag %q", s)
		}
		want[tag.Key] = tag.Value
	}
	var got map[string]any
	if tags == nil || json.Unmarshal([]byte(*tags), &got) != nil {
		t.Fatalf("Tags is not an object on a row tagged %s", *sent)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Tags %s, want %v: a key or value was altered", *tags, want)
	}
}

// TestFOCUSRequirementsModel checks the focus formats against the FinOps
// Foundation's FOCUS requirements model, requirement by requirement, on
// day, week and month data: every applicable MUST and MUST NOT passes, and
// docs/focus-conformance.md is the result (go test ./pull -run
// TestFOCUSRequirementsModel -update-conformance rewrites it).
func TestFOCUSRequirementsModel(t *testing.T) {
	m, err := focus.Load(FOCUSVersion)
	if err != nil {
		t.Fatal(err)
	}
	var sets []*focus.Dataset
	for _, bin := range []string{"day", "week", "month"} {
		sets = append(sets, focusDataset(t, bin))
	}
	for _, c := range modelCorrections {
		if err := m.Correct(c); err != nil {
			t.Fatal(err)
		}
	}
	ck := &focus.Checker{Model: m, Criteria: declaredCriteria, Judged: judged}
	outs, err := ck.Check(sets)
	if err != nil {
		t.Fatal(err)
	}
	failing := map[string]bool{}
	for _, o := range outs {
		if o.Requirement.Normative() && o.Status == focus.Fail {
			failing[o.Requirement.ID] = true
			if _, known := knownFailures[o.Requirement.ID]; !known && !dependsOnKnown(m, o.Requirement, outs) {
				t.Errorf("%s (%s %s %s): %s", o.Requirement.ID, o.Requirement.Keyword, o.Requirement.Function, o.Requirement.Reference, o.Reason)
			}
		}
	}
	for id := range knownFailures {
		if !failing[id] {
			t.Errorf("known failure %s passes now: take it off knownFailures", id)
		}
	}
	for id := range judged {
		if m.Requirement(id) == nil || m.Requirement(id).Type != "Dynamic" {
			t.Errorf("judged %s is not a Dynamic requirement of the model", id)
		}
	}
	doc := conformanceDoc(m, outs, sets)
	const path = "../docs/focus-conformance.md"
	if *updateConformance {
		if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := os.ReadFile(path); string(got) != doc {
		t.Errorf("%s is not this run's result; rewrite it with go test ./pull -run TestFOCUSRequirementsModel -update-conformance", path)
	}
	_ = fmt.Sprint
}

// conformanceDoc writes docs/focus-conformance.md from a run.
func conformanceDoc(m *focus.Model, outs []focus.Outcome, sets []*focus.Dataset) string {
	var b strings.Builder
	cell := func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", "\\|"), "\n", " ") }
	count := map[focus.Status]int{}
	var normApplies, normPass, dynamic, dynJudged, dynNA, dynOpen int
	for _, o := range outs {
		count[o.Status]++
		r := o.Requirement
		if r.Normative() && o.Status != focus.NotApplicable {
			normApplies++
			if o.Status == focus.Pass {
				normPass++
			}
		}
		if r.Type == "Dynamic" {
			dynamic++
			if strings.HasPrefix(o.Reason, "judged by hand") {
				dynJudged++
			} else if o.Status == focus.NotApplicable {
				dynNA++
			} else {
				dynOpen++
			}
		}
	}
	var rows []string
	for _, ds := range sets {
		rows = append(rows, fmt.Sprintf("%s bins: %d rows", ds.Name, len(ds.Rows)))
	}
	fmt.Fprintf(&b, "# FOCUS %s conformance, requirement by requirement\n\n", m.FOCUSVersion)
	fmt.Fprintf(&b, "Generated by `go test ./pull -run TestFOCUSRequirementsModel -update-conformance`; the test fails when this page\n")
	fmt.Fprintf(&b, "is not its result. Do not edit by hand.\n\n")
	fmt.Fprintf(&b, "**Model.** The FinOps Foundation's FOCUS Requirements Model, `%s` (model %s, FOCUS %s), read into\n", m.Source, m.ModelVersion, m.FOCUSVersion)
	fmt.Fprintf(&b, "a table of facts (`focus/models/requirements-%s.json`, made by `go run ./focus/extract`). Every check function is\n", m.FOCUSVersion)
	fmt.Fprintf(&b, "implemented in `focus/eval.go`; a requirement is checked on the rows where its own condition and the conditions of the\n")
	fmt.Fprintf(&b, "composite requirements above it hold. A composite passes when each MUST and MUST NOT it is made of passes or does not\n")
	fmt.Fprintf(&b, "apply; a SHOULD, RECOMMENDED or MAY not taken is reported on its own line.\n\n")
	fmt.Fprintf(&b, "**Data.** `pull --format focus-jsonl` from the fake API (`vantage/api/apitest`, which answers in the published schema's\n")
	fmt.Fprintf(&b, "shape) for 2026-09-10 … 2026-11-20 with credits, refunds and tax included: %s; each holds usage, tax, credit and\n", strings.Join(rows, ", "))
	fmt.Fprintf(&b, "refund (Correction) rows. focus-parquet holds the same values (Tags as the same JSON string); focus-csv too, except\n")
	fmt.Fprintf(&b, "cells it neutralises for spreadsheets unless `--csv-raw`.\n\n")
	fmt.Fprintf(&b, "## Summary\n\n")
	fmt.Fprintf(&b, "| | requirements |\n|---|---|\n")
	fmt.Fprintf(&b, "| in the model | %d |\n| pass | %d |\n| fail | %d |\n| not applicable | %d |\n| not taken (a SHOULD, RECOMMENDED or MAY the data does not follow, or could not be checked) | %d |\n",
		len(outs), count[focus.Pass], count[focus.Fail], count[focus.NotApplicable], count[focus.NotTaken])
	fmt.Fprintf(&b, "| MUST or MUST NOT that apply | %d, of which %d pass |\n", normApplies, normPass)
	fmt.Fprintf(&b, "| Dynamic (no mechanical check) | %d: %d judged by hand (every one that applies and is a MUST or MUST NOT, and none other), %d not applicable by the criteria or absent columns, %d SHOULD, RECOMMENDED or MAY left unjudged |\n\n", dynamic, dynJudged, dynNA, dynOpen)
	fmt.Fprintf(&b, "A requirement does not apply when an applicability criterion it names is not met (declared below, each with its\n")
	fmt.Fprintf(&b, "reason), or when it is about a column that is not in the output and whose presence requirement does not apply.\n\n")
	fmt.Fprintf(&b, "## Applicability criteria\n\nThe provider of this data is Vantage's cost API: a criterion is met when its rows carry what the criterion is about.\n\n")
	fmt.Fprintf(&b, "| criterion | met | why |\n|---|---|---|\n")
	for _, name := range m.CriteriaNames() {
		d := declaredCriteria[name]
		met := "no"
		if d.Met {
			met = "yes"
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", name, met, cell(d.Reason))
	}
	fmt.Fprintf(&b, "\n## Corrections to the model\n\n")
	for _, c := range modelCorrections {
		fmt.Fprintf(&b, "- **%s** is checked as its text says: %s.\n", c.ID, c.Reason)
	}
	fmt.Fprintf(&b, "\n## Known failures\n\n")
	if len(knownFailures) == 0 {
		fmt.Fprintf(&b, "None: every MUST and MUST NOT that applies passes.\n")
	}
	for id, why := range knownFailures {
		fmt.Fprintf(&b, "- **%s**: %s.\n", id, why)
	}
	fmt.Fprintf(&b, "\n## Every requirement\n\n| ID | keyword | type | column or attribute | result | why |\n|---|---|---|---|---|---|\n")
	for _, o := range outs {
		r := o.Requirement
		fmt.Fprintf(&b, "| %s | %s | %s %s | %s | %s | %s |\n", r.ID, r.Keyword, r.Type, r.Function, r.Reference, o.Status, cell(o.Reason))
	}
	return b.String()
}

// dependsOnKnown reports a composite that fails only because a known
// failure beneath it does (its reason ends "ID fails").
func dependsOnKnown(m *focus.Model, r *focus.Requirement, outs []focus.Outcome) bool {
	if r.Function != "Composite" {
		return false
	}
	for _, o := range outs {
		if o.Requirement.ID != r.ID || !strings.HasSuffix(o.Reason, " fails") {
			continue
		}
		parts := strings.Fields(o.Reason)
		child := m.Requirement(parts[len(parts)-2])
		if child == nil {
			return false
		}
		_, known := knownFailures[child.ID]
		return known || dependsOnKnown(m, child, outs)
	}
	return false
}
