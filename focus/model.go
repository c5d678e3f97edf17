// Package focus holds the FinOps Foundation's FOCUS requirements model as
// a table of facts (requirement ID, column, keyword, applicability, and
// the check as a tree), and checks a dataset against it. It knows nothing
// of Vantage: callers say which applicability criteria their data meets
// and judge the Dynamic requirements, which have no mechanical check.
package focus

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
)

// Model is one pinned requirements model.
type Model struct {
	// Source says which file of which repository, at which commit.
	Source       string `json:"source"`
	ModelVersion string `json:"model_version"`
	FOCUSVersion string `json:"focus_version"`
	// Criteria are the applicability criteria: name → what a provider
	// must support for the requirements that name it to apply.
	Criteria     map[string]string `json:"criteria"`
	Requirements []Requirement     `json:"requirements"`

	byID map[string]*Requirement
}

// Requirement is one requirement of the model.
type Requirement struct {
	ID string `json:"id"`
	// Entity is Column, Attribute or Dataset; Reference the column or
	// attribute it is about.
	Entity    string `json:"entity"`
	Reference string `json:"reference"`
	// Function is Presence, Type, Format, Nullability, Validation or
	// Composite.
	Function string `json:"function"`
	// Type is Static (a mechanical check) or Dynamic (none).
	Type string `json:"type"`
	// Keyword is MUST, MUST NOT, SHOULD, SHOULD NOT, RECOMMENDED or MAY.
	Keyword string `json:"keyword"`
	// Applicability are criteria that must all be met for it to apply.
	Applicability []string `json:"applicability,omitempty"`
	// Check must hold on every row for which Condition holds (all rows
	// when Condition is nil).
	Check     *Check `json:"check,omitempty"`
	Condition *Check `json:"condition,omitempty"`
}

// Check is a node of a requirement's check tree.
type Check struct {
	Fn string `json:"fn"`
	// Items are AND's and OR's operands.
	Items  []*Check `json:"items,omitempty"`
	Column string   `json:"column,omitempty"`
	// ColumnA, ColumnB and Result name columns of two-column checks.
	ColumnA string `json:"column_a,omitempty"`
	ColumnB string `json:"column_b,omitempty"`
	Result  string `json:"result,omitempty"`
	// Value is what CheckValue, CheckNotValue and
	// CheckGreaterOrEqualThanValue compare with: nil is null.
	Value         *Value `json:"value,omitempty"`
	ExpectedCount int    `json:"expected_count,omitempty"`
	// Rule is the requirement CheckModelRule refers to.
	Rule string `json:"rule,omitempty"`
}

// Value is a literal of a check: a string, a number or null.
type Value struct {
	Null   bool    `json:"null,omitempty"`
	String *string `json:"string,omitempty"`
	Number *int64  `json:"number,omitempty"`
}

//go:embed models/*.json
var models embed.FS

// Load returns the pinned model for a FOCUS version ("1.2").
func Load(version string) (*Model, error) {
	b, err := models.ReadFile("models/requirements-" + version + ".json")
	if err != nil {
		return nil, fmt.Errorf("no requirements model for FOCUS %s", version)
	}
	var m Model
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("requirements model %s: %w", version, err)
	}
	m.byID = map[string]*Requirement{}
	for i := range m.Requirements {
		m.byID[m.Requirements[i].ID] = &m.Requirements[i]
	}
	return &m, nil
}

// Requirement returns the requirement with this ID, or nil.
func (m *Model) Requirement(id string) *Requirement { return m.byID[id] }

// CriteriaNames returns the criteria's names, sorted.
func (m *Model) CriteriaNames() []string {
	var out []string
	for k := range m.Criteria {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Normative reports MUST and MUST NOT.
func (r *Requirement) Normative() bool { return r.Keyword == "MUST" || r.Keyword == "MUST NOT" }

// Correction replaces the condition of a requirement whose check says
// the opposite of its text, with the reason: the model is data and can be
// wrong, and a correction is listed with the results.
type Correction struct {
	ID        string
	Condition *Check
	Reason    string
}

// Correct applies a correction.
func (m *Model) Correct(c Correction) error {
	r := m.byID[c.ID]
	if r == nil {
		return fmt.Errorf("no requirement %s to correct", c.ID)
	}
	r.Condition = c.Condition
	return nil
}
