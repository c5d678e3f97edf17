package focus

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"golang.org/x/text/currency"
)

// Column types of a dataset, as FOCUS names them.
const (
	TypeDecimal  = "Decimal"
	TypeString   = "String"
	TypeDateTime = "DateTime"
	TypeKeyValue = "KeyValue"
)

// Dataset is data to check: its columns' types and its rows. A row maps a
// column to its value as text (decimals and date-times as written, a
// key-value column as a JSON object), nil for null.
type Dataset struct {
	Name    string
	Columns map[string]string
	Rows    []map[string]*string
}

// Status is a requirement's result.
type Status string

// The results a requirement can have.
const (
	Pass          Status = "pass"
	Fail          Status = "fail"
	NotApplicable Status = "not applicable"
	// NotTaken is a SHOULD, SHOULD NOT, RECOMMENDED or MAY that the data
	// does not follow, or one with no mechanical check that was not
	// judged: advice, not a failure.
	NotTaken Status = "not taken"
)

// Judgement is a hand-made verdict on a Dynamic requirement, which has no
// mechanical check: Pass or NotApplicable (or Fail), and why.
type Judgement struct {
	Status Status
	Reason string
}

// Declaration says which applicability criteria the data meets, each with
// its reason.
type Declaration struct {
	Met    bool
	Reason string
}

// Outcome is one requirement's result on the datasets checked.
type Outcome struct {
	Requirement *Requirement
	Status      Status
	Reason      string
}

// Checker checks datasets against a model.
type Checker struct {
	Model *Model
	// Criteria declares every criterion of the model.
	Criteria map[string]Declaration
	// Judged holds a judgement for each Dynamic requirement that applies.
	Judged map[string]Judgement
}

// Check returns every requirement's outcome on all the datasets, sorted
// by ID: a Static requirement passes when it holds on every dataset.
func (c *Checker) Check(sets []*Dataset) ([]Outcome, error) {
	for _, name := range c.Model.CriteriaNames() {
		if _, ok := c.Criteria[name]; !ok {
			return nil, fmt.Errorf("applicability criterion %s is not declared", name)
		}
	}
	if len(sets) == 0 {
		return nil, fmt.Errorf("no dataset to check")
	}
	parents := c.parents()
	evs := make([]*evaluation, len(sets))
	for i, ds := range sets {
		evs[i] = &evaluation{c: c, ds: ds, done: map[string]*Outcome{}, busy: map[string]bool{}, parents: parents, within: map[string]*Check{}}
	}
	var out []Outcome
	for i := range c.Model.Requirements {
		r := &c.Model.Requirements[i]
		var o *Outcome
		for _, ev := range evs {
			got := ev.outcome(r.ID)
			if o == nil || got.Status == Fail && o.Status != Fail {
				o = got
				if got.Status == Fail && len(sets) > 1 {
					o = &Outcome{Requirement: r, Status: Fail, Reason: ev.ds.Name + ": " + got.Reason}
				}
			}
		}
		if o.Status == Fail && !r.Normative() {
			o = &Outcome{Requirement: r, Status: NotTaken, Reason: o.Reason}
		}
		if o.Status == Pass && r.Type == "Static" && len(sets) > 1 {
			var names []string
			for _, ds := range sets {
				names = append(names, ds.Name)
			}
			o = &Outcome{Requirement: r, Status: Pass, Reason: o.Reason + " (" + strings.Join(names, ", ") + ")"}
		}
		out = append(out, *o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Requirement.ID < out[j].Requirement.ID })
	return out, nil
}

// parents maps each requirement to the composite requirements that name
// it: a requirement applies only where the conditions of the composites
// above it hold ("When PricingQuantity is not null, … adheres to:").
func (c *Checker) parents() map[string][]string {
	out := map[string][]string{}
	var walk func(parent string, ch *Check)
	walk = func(parent string, ch *Check) {
		if ch == nil {
			return
		}
		if ch.Fn == "CheckModelRule" {
			out[ch.Rule] = append(out[ch.Rule], parent)
		}
		for _, it := range ch.Items {
			walk(parent, it)
		}
	}
	for i := range c.Model.Requirements {
		r := &c.Model.Requirements[i]
		if r.Function == "Composite" {
			walk(r.ID, r.Check)
		}
	}
	return out
}

// evaluation is the check of one dataset.
type evaluation struct {
	c       *Checker
	ds      *Dataset
	done    map[string]*Outcome
	busy    map[string]bool
	parents map[string][]string
	within  map[string]*Check
}

// inherited is the condition a requirement is checked under: its own and
// those of the composites above it (the first that names it, up to the
// dataset), all of which must hold.
func (ev *evaluation) inherited(id string, depth int) *Check {
	if c, ok := ev.within[id]; ok {
		return c
	}
	var conds []*Check
	if ps := ev.parents[id]; len(ps) > 0 && depth < 32 {
		if p := ev.c.Model.Requirement(ps[0]); p != nil {
			if up := ev.inherited(p.ID, depth+1); up != nil {
				conds = append(conds, up)
			}
			if p.Condition != nil {
				conds = append(conds, p.Condition)
			}
		}
	}
	var c *Check
	switch len(conds) {
	case 0:
	case 1:
		c = conds[0]
	default:
		c = &Check{Fn: "AND", Items: conds}
	}
	ev.within[id] = c
	return c
}

func (ev *evaluation) outcome(id string) *Outcome {
	if o, ok := ev.done[id]; ok {
		return o
	}
	r := ev.c.Model.Requirement(id)
	if r == nil {
		return &Outcome{Status: Fail, Reason: "refers to " + id + ", which the model does not hold"}
	}
	if ev.busy[id] {
		return &Outcome{Requirement: r, Status: Fail, Reason: "refers to itself"}
	}
	ev.busy[id] = true
	o := ev.decide(r)
	o.Requirement = r
	ev.done[id] = o
	return o
}

func (ev *evaluation) decide(r *Requirement) *Outcome {
	for _, a := range r.Applicability {
		if d := ev.c.Criteria[a]; !d.Met {
			return &Outcome{Status: NotApplicable, Reason: a + " is not met: " + d.Reason}
		}
	}
	if r.Entity == "Column" && !ev.present(r.Reference) {
		if p := ev.presence(r.Reference); p != nil {
			po := ev.outcome(p.ID)
			if po.Status == Fail && p.Normative() {
				return &Outcome{Status: Fail, Reason: r.Reference + " is not in the output, and " + p.ID + " requires it"}
			}
			return &Outcome{Status: NotApplicable, Reason: r.Reference + " is not in the output, as " + p.ID + " allows (" + p.Keyword + ": " + po.Reason + ")"}
		}
		return &Outcome{Status: NotApplicable, Reason: r.Reference + " is not in the output"}
	}
	if r.Type == "Dynamic" {
		j, ok := ev.c.Judged[r.ID]
		if !ok {
			return &Outcome{Status: Fail, Reason: "Dynamic: no mechanical check, and not judged by hand"}
		}
		return &Outcome{Status: j.Status, Reason: "judged by hand: " + j.Reason}
	}
	if r.Check == nil {
		return &Outcome{Status: Fail, Reason: "Static without a check"}
	}
	if r.Function == "Composite" {
		return ev.composite(r)
	}
	return ev.rows(r)
}

// composite decides a requirement made of others: it holds when each
// requirement it names passes or does not apply.
func (ev *evaluation) composite(r *Requirement) *Outcome {
	ok, why := ev.ruleTree(r.Check)
	if !ok {
		return &Outcome{Status: Fail, Reason: why}
	}
	return &Outcome{Status: Pass, Reason: "every MUST and MUST NOT it is made of passes or does not apply"}
}

func (ev *evaluation) ruleTree(c *Check) (bool, string) {
	switch c.Fn {
	case "CheckModelRule":
		// A requirement is met when each MUST and MUST NOT it is made of
		// is: a SHOULD, RECOMMENDED or MAY part that fails is advice not
		// taken, reported on its own line.
		o := ev.outcome(c.Rule)
		if o.Status == Fail && o.Requirement != nil && o.Requirement.Normative() {
			return false, c.Rule + " fails"
		}
		return true, ""
	case "AND":
		for _, it := range c.Items {
			if ok, why := ev.ruleTree(it); !ok {
				return false, why
			}
		}
		return true, ""
	case "OR":
		var whys []string
		for _, it := range c.Items {
			ok, why := ev.ruleTree(it)
			if ok {
				return true, ""
			}
			whys = append(whys, why)
		}
		return false, strings.Join(whys, " and ")
	}
	// A row check inside a composite: every row.
	for i, row := range ev.ds.Rows {
		if ok, err := ev.holds(c, row); err != nil || !ok {
			return false, fmt.Sprintf("row %d fails %s", i+1, describe(c))
		}
	}
	return true, ""
}

// rows decides a row-level requirement: Check on every row where
// Condition holds.
func (ev *evaluation) rows(r *Requirement) *Outcome {
	n := 0
	cond := r.Condition
	if up := ev.inherited(r.ID, 0); up != nil {
		cond = up
		if r.Condition != nil {
			cond = &Check{Fn: "AND", Items: []*Check{up, r.Condition}}
		}
	}
	for i, row := range ev.ds.Rows {
		if cond != nil {
			ok, err := ev.holds(cond, row)
			if err != nil {
				return &Outcome{Status: Fail, Reason: "condition: " + err.Error()}
			}
			if !ok {
				continue
			}
		}
		n++
		ok, err := ev.holds(r.Check, row)
		if err != nil {
			return &Outcome{Status: Fail, Reason: err.Error()}
		}
		if !ok {
			return &Outcome{Status: Fail, Reason: fmt.Sprintf("row %d: %s does not hold (%s)", i+1, describe(r.Check), ev.values(r.Check, row))}
		}
	}
	if cond != nil && n == 0 {
		return &Outcome{Status: Pass, Reason: "no row meets its condition (" + describe(cond) + ")"}
	}
	if r.Check.Fn == "CheckDistinctCount" {
		if ok, why := ev.distinct(r.Check, cond); !ok {
			return &Outcome{Status: Fail, Reason: why}
		}
	}
	return &Outcome{Status: Pass, Reason: fmt.Sprintf("holds on %d rows", n)}
}

func (ev *evaluation) present(col string) bool {
	_, ok := ev.ds.Columns[col]
	return ok
}

// presence is the requirement that the column be present, if the model
// has one.
func (ev *evaluation) presence(col string) *Requirement {
	for i := range ev.c.Model.Requirements {
		r := &ev.c.Model.Requirements[i]
		if r.Function == "Presence" && r.Check != nil && r.Check.Fn == "ColumnPresent" && r.Check.Column == col {
			return r
		}
	}
	return nil
}

var (
	// numericFormat: FOCUS's NumericFormat: an integer, a decimal or E
	// notation; a sign only for a negative value or exponent.
	numericFormat  = regexp.MustCompile(`^-?(\d+(\.\d+)?|\.\d+)([eE]-?\d+)?$`)
	dateTimeFormat = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$`)
	// unitFormat: FOCUS's UnitFormat writes units as words, abbreviations
	// and counts joined by spaces, "-" (a product) or "/" (a rate), e.g.
	// "GB-Hours", "Requests", "1000 Requests", "GB/Month".
	unitFormat = regexp.MustCompile(`^[0-9]*\s?[A-Za-z][A-Za-z0-9 .()]*([-/][0-9]*\s?[A-Za-z][A-Za-z0-9 .()]*)*$`)
)

// holds evaluates a row-level check on one row.
func (ev *evaluation) holds(c *Check, row map[string]*string) (bool, error) {
	val := func(col string) *string {
		return row[col]
	}
	switch c.Fn {
	case "AND":
		for _, it := range c.Items {
			if ok, err := ev.holds(it, row); err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	case "OR":
		for _, it := range c.Items {
			if ok, err := ev.holds(it, row); err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	case "CheckModelRule":
		return ev.outcome(c.Rule).Status != Fail, nil
	case "ColumnPresent":
		return ev.present(c.Column), nil
	case "TypeDecimal":
		return ev.ds.Columns[c.Column] == TypeDecimal, nil
	case "TypeString":
		return ev.ds.Columns[c.Column] == TypeString, nil
	case "TypeDateTime":
		return ev.ds.Columns[c.Column] == TypeDateTime, nil
	case "CheckDistinctCount":
		return true, nil // a dataset-level check: distinct
	}
	// A column that is not in the output is null in every row for the
	// value checks; a format check of it is an error.
	if !ev.present(c.Column) && c.Column != "" && strings.HasPrefix(c.Fn, "Format") {
		return false, fmt.Errorf("%s is not in the output", c.Column)
	}
	v := val(c.Column)
	switch c.Fn {
	case "FormatNumeric":
		return v == nil || numericFormat.MatchString(*v), nil
	case "FormatString":
		return v == nil || utf8.ValidString(*v) && *v == strings.TrimSpace(*v), nil
	case "FormatDateTime":
		return v == nil || dateTimeFormat.MatchString(*v), nil
	case "FormatUnit":
		return v == nil || unitFormat.MatchString(*v), nil
	case "FormatKeyValue":
		if v == nil {
			return true, nil
		}
		var obj map[string]any
		return json.Unmarshal([]byte(*v), &obj) == nil, nil
	case "FormatCurrency", "CheckNationalCurrency":
		if v == nil {
			return true, nil
		}
		u, err := currency.ParseISO(*v)
		return err == nil && u.String() == *v && !strings.HasPrefix(*v, "X"), nil
	case "CheckDecimalValue":
		if v == nil {
			return true, nil
		}
		_, err := decimal.NewFromString(*v)
		return err == nil, nil
	case "CheckValue", "CheckNotValue":
		eq := equal(v, c.Value)
		if c.Fn == "CheckNotValue" {
			return !eq, nil
		}
		return eq, nil
	case "CheckGreaterOrEqualThanValue":
		if v == nil || c.Value == nil || c.Value.Null {
			return true, nil
		}
		a, err := decimal.NewFromString(*v)
		if err != nil {
			return false, nil
		}
		return a.GreaterThanOrEqual(literal(c.Value)), nil
	case "CheckSameValue", "CheckNotSameValue":
		a, b := val(c.ColumnA), val(c.ColumnB)
		same := a == nil && b == nil || a != nil && b != nil && *a == *b
		if c.Fn == "CheckNotSameValue" {
			return !same, nil
		}
		return same, nil
	case "ColumnByColumnEqualsColumnValue":
		a, b, res := val(c.ColumnA), val(c.ColumnB), val(c.Result)
		if a == nil || b == nil || res == nil {
			return true, nil
		}
		x, err1 := decimal.NewFromString(*a)
		y, err2 := decimal.NewFromString(*b)
		z, err3 := decimal.NewFromString(*res)
		return err1 == nil && err2 == nil && err3 == nil && x.Mul(y).Equal(z), nil
	}
	return false, fmt.Errorf("check function %s is not implemented", c.Fn)
}

// distinct checks CheckDistinctCount: for each value of ColumnA among the
// rows that meet the condition, ColumnB has ExpectedCount distinct values.
func (ev *evaluation) distinct(c *Check, cond *Check) (bool, string) {
	seen := map[string]map[string]bool{}
	for _, row := range ev.ds.Rows {
		if cond != nil {
			if ok, err := ev.holds(cond, row); err != nil || !ok {
				continue
			}
		}
		a, b := "\x00null", "\x00null"
		if v := row[c.ColumnA]; v != nil {
			a = *v
		}
		if v := row[c.ColumnB]; v != nil {
			b = *v
		}
		if seen[a] == nil {
			seen[a] = map[string]bool{}
		}
		seen[a][b] = true
	}
	for a, bs := range seen {
		if len(bs) != c.ExpectedCount {
			return false, fmt.Sprintf("%s %q has %d distinct %s, want %d", c.ColumnA, strings.TrimPrefix(a, "\x00"), len(bs), c.ColumnB, c.ExpectedCount)
		}
	}
	return true, ""
}

func equal(v *string, lit *Value) bool {
	if lit == nil || lit.Null {
		return v == nil
	}
	if v == nil {
		return false
	}
	if lit.String != nil {
		return *v == *lit.String
	}
	d, err := decimal.NewFromString(*v)
	return err == nil && d.Equal(literal(lit))
}

func literal(lit *Value) decimal.Decimal {
	if lit.Number != nil {
		return decimal.NewFromInt(*lit.Number)
	}
	if lit.String != nil {
		d, _ := decimal.NewFromString(*lit.String)
		return d
	}
	return decimal.Zero
}

// describe writes a check in a line.
func describe(c *Check) string {
	lit := func(v *Value) string {
		switch {
		case v == nil || v.Null:
			return "null"
		case v.String != nil:
			return fmt.Sprintf("%q", *v.String)
		case v.Number != nil:
			return fmt.Sprint(*v.Number)
		}
		return "?"
	}
	switch c.Fn {
	case "AND", "OR":
		var parts []string
		for _, it := range c.Items {
			parts = append(parts, describe(it))
		}
		return "(" + strings.Join(parts, " "+c.Fn+" ") + ")"
	case "CheckValue":
		return c.Column + " = " + lit(c.Value)
	case "CheckNotValue":
		return c.Column + " ≠ " + lit(c.Value)
	case "CheckGreaterOrEqualThanValue":
		return c.Column + " ≥ " + lit(c.Value)
	case "CheckSameValue":
		return c.ColumnA + " = " + c.ColumnB
	case "CheckNotSameValue":
		return c.ColumnA + " ≠ " + c.ColumnB
	case "ColumnByColumnEqualsColumnValue":
		return c.ColumnA + " × " + c.ColumnB + " = " + c.Result
	case "CheckDistinctCount":
		return fmt.Sprintf("each %s has %d distinct %s", c.ColumnA, c.ExpectedCount, c.ColumnB)
	case "CheckModelRule":
		return c.Rule
	}
	return c.Fn + "(" + c.Column + ")"
}

// values writes the values a check read on a row, for a failure.
func (ev *evaluation) values(c *Check, row map[string]*string) string {
	cols := map[string]bool{}
	var walk func(*Check)
	walk = func(c *Check) {
		for _, col := range []string{c.Column, c.ColumnA, c.ColumnB, c.Result} {
			if col != "" {
				cols[col] = true
			}
		}
		for _, it := range c.Items {
			walk(it)
		}
	}
	walk(c)
	var names []string
	for k := range cols {
		names = append(names, k)
	}
	sort.Strings(names)
	var parts []string
	for _, k := range names {
		v := "null"
		if p := row[k]; p != nil {
			v = fmt.Sprintf("%q", *p)
		}
		parts = append(parts, k+"="+v)
	}
	return strings.Join(parts, ", ")
}
