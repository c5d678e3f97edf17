// Command extract turns a FOCUS requirements model of
// finopsfoundation/focus_validator (focus_validator/rules/model-X.json)
// into this package's table of facts: the requirement's ID, entity,
// reference, function, type, keyword, applicability and check trees.
// The requirement texts are not copied.
//
//	go run ./focus/extract -source "finopsfoundation/focus_validator@COMMIT focus_validator/rules/model-1.2.json" model-1.2.json > focus/models/requirements-1.2.json
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"

	"github.com/rshade/finfocus-vantage/focus"
)

type rawCheck map[string]json.RawMessage

type rawModel struct {
	Details struct {
		ModelVersion string
		FOCUSVersion string
	}
	ApplicabilityCriteria map[string]struct{ Description string }
	ModelRules            map[string]struct {
		Reference             string
		EntityType            string
		Function              string
		Type                  string
		ApplicabilityCriteria []string
		ValidationCriteria    struct {
			Keyword     string
			Requirement rawCheck
			Condition   rawCheck
		}
	}
}

func main() {
	source := flag.String("source", "", "where the model was read: repository@commit path")
	flag.Parse()
	if flag.NArg() != 1 || *source == "" {
		fmt.Fprintln(os.Stderr, "usage: extract -source REPO@COMMIT/PATH MODEL.json")
		os.Exit(2)
	}
	b, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var raw rawModel
	if err := json.Unmarshal(b, &raw); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	m := focus.Model{Source: *source, ModelVersion: raw.Details.ModelVersion, FOCUSVersion: raw.Details.FOCUSVersion, Criteria: map[string]string{}}
	for k, v := range raw.ApplicabilityCriteria {
		m.Criteria[k] = v.Description
	}
	for id, r := range raw.ModelRules {
		req := focus.Requirement{ID: id, Entity: r.EntityType, Reference: r.Reference, Function: r.Function, Type: r.Type,
			Keyword: r.ValidationCriteria.Keyword, Applicability: r.ApplicabilityCriteria}
		if req.Check, err = convert(r.ValidationCriteria.Requirement); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", id, err)
			os.Exit(1)
		}
		if req.Condition, err = convert(r.ValidationCriteria.Condition); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", id, err)
			os.Exit(1)
		}
		m.Requirements = append(m.Requirements, req)
	}
	sort.Slice(m.Requirements, func(i, j int) bool { return m.Requirements[i].ID < m.Requirements[j].ID })
	out, _ := json.MarshalIndent(m, "", " ")
	os.Stdout.Write(append(out, '\n'))
}

func convert(r rawCheck) (*focus.Check, error) {
	if len(r) == 0 {
		return nil, nil
	}
	str := func(k string) string {
		var s string
		json.Unmarshal(r[k], &s)
		return s
	}
	c := &focus.Check{Fn: str("CheckFunction"), Column: str("ColumnName"), ColumnA: str("ColumnAName"), ColumnB: str("ColumnBName"),
		Result: str("ResultColumnName"), Rule: str("ModelRuleId")}
	if c.Fn == "" {
		// Two conditions of model-1.2.json (CapacityReservationStatus-C-003-C
		// and -004-C) are written {"AND": check} and {"AND": [checks]}:
		// read as that check, and as the AND of those checks.
		if inner, ok := r["AND"]; ok && len(r) == 1 {
			var one rawCheck
			if err := json.Unmarshal(inner, &one); err == nil {
				fmt.Fprintln(os.Stderr, `note: a check written {"AND": {…}} is read as the check inside`)
				return convert(one)
			}
			items, _ := json.Marshal(map[string]json.RawMessage{"CheckFunction": json.RawMessage(`"AND"`), "Items": inner})
			var and rawCheck
			if err := json.Unmarshal(items, &and); err == nil {
				fmt.Fprintln(os.Stderr, `note: a check written {"AND": […]} is read as an AND of its items`)
				return convert(and)
			}
		}
		return nil, fmt.Errorf("a check without CheckFunction")
	}
	if v, ok := r["Value"]; ok {
		var any interface{}
		json.Unmarshal(v, &any)
		switch x := any.(type) {
		case nil:
			c.Value = &focus.Value{Null: true}
		case string:
			c.Value = &focus.Value{String: &x}
		case float64:
			n := int64(x)
			if float64(n) != x {
				return nil, fmt.Errorf("value %v is not an integer", x)
			}
			c.Value = &focus.Value{Number: &n}
		default:
			return nil, fmt.Errorf("value %s of an unknown kind", v)
		}
	}
	if v, ok := r["ExpectedCount"]; ok {
		json.Unmarshal(v, &c.ExpectedCount)
	}
	if items, ok := r["Items"]; ok {
		var list []rawCheck
		if err := json.Unmarshal(items, &list); err != nil {
			return nil, err
		}
		for _, it := range list {
			ci, err := convert(it)
			if err != nil {
				return nil, err
			}
			c.Items = append(c.Items, ci)
		}
	}
	return c, nil
}
