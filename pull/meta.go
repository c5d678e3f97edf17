package pull

import (
	"encoding/json"
	"strings"

	"github.com/rshade/finfocus-vantage/vantage/api"
)

// APIContract names the published schema the pull is written against.
const APIContract = "Vantage API v2 (vantagev2/swagger.json of github.com/vantage-sh/vantage-go, commit c6fc7d4, 2026-08-13)"

// Metadata says what a pull's numbers mean: it goes beside jsonl and csv
// output as <output>.meta.json, and into Parquet's key-value metadata
// under "finfocus_vantage" (without the totals, which are known only
// after the rows are written).
type Metadata struct {
	Tool      string       `json:"tool"`
	API       string       `json:"api"`
	Format    string       `json:"format"`
	StartDate string       `json:"start_date"`
	EndDate   string       `json:"end_date"`
	DateBin   string       `json:"date_bin"`
	Groupings []string     `json:"groupings"`
	Settings  api.Settings `json:"settings"`
	// The totals, once reconciled.
	Rows        int    `json:"rows,omitempty"`
	Currency    string `json:"currency,omitempty"`
	ExactSum    string `json:"exact_sum,omitempty"`
	TotalCost   string `json:"total_cost,omitempty"`
	Difference  string `json:"difference,omitempty"`
	Reconciled  bool   `json:"reconciled,omitempty"`
	AmountBasis string `json:"amount_basis"`
}

func metadata(o Options) *Metadata {
	q := o.Query
	g := q.Groupings
	if len(g) == 0 {
		g = []string{"provider", "service", "account_id"}
	}
	basis := "cash (settings.amortize=false): amounts are what was billed in the period"
	if q.Settings.Amortize {
		basis = "amortized (settings.amortize=true): upfront and recurring fees are spread over the periods they cover"
	}
	return &Metadata{Tool: o.Tool, API: APIContract, Format: o.Format, StartDate: q.StartDate, EndDate: q.EndDate,
		DateBin: q.DateBin, Groupings: g, Settings: q.Settings, AmountBasis: basis}
}

func (m *Metadata) finish(r *Result) {
	m.Rows, m.Currency, m.Reconciled = r.Rows, r.Currency, true
	m.ExactSum, m.TotalCost, m.Difference = r.Exact.String(), r.Total.String(), r.Difference.String()
}

func (m *Metadata) json() string {
	b, _ := json.Marshal(m)
	return string(b)
}

func (m *Metadata) indented() []byte {
	b, _ := json.MarshalIndent(m, "", "  ")
	return append(b, '\n')
}

// FOCUSGroupings are the groupings the focus formats ask for, by the
// API's names: what each FOCUS column needs (docs/focus.md). tagged adds
// every tag pair. More groupings mean more rows and more pages.
var FOCUSGroupings = []string{"provider", "service", "account_id", "billing_account_id", "region", "resource_id", "charge_type", "cost_category", "tagged"}

// PluginGroupings maps the plugin's group_bys to the API's groupings:
// account and project (GCP's projects are accounts in Vantage) to
// account_id, tags to tagged; the rest keep their names.
var PluginGroupings = map[string]string{
	"provider": "provider", "service": "service", "account": "account_id", "project": "account_id",
	"region": "region", "resource_id": "resource_id", "tags": "tagged",
}

// Groupings decides a pull's groupings: the config's group_bys mapped to
// the API's names (none: the API's default), plus, for the FOCUS
// formats, FOCUSGroupings. The plain formats keep the config's.
func Groupings(format string, groupBys []string) []string {
	var out []string
	add := func(g string) {
		for _, have := range out {
			if have == g {
				return
			}
		}
		out = append(out, g)
	}
	for _, g := range groupBys {
		if m, ok := PluginGroupings[g]; ok {
			add(m)
		} else {
			add(g)
		}
	}
	if strings.HasPrefix(format, "focus-") {
		for _, g := range FOCUSGroupings {
			add(g)
		}
	}
	return out
}
