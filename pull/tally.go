package pull

import (
	"encoding/json"
	"fmt"

	"github.com/rshade/finfocus-vantage/vantage/api"
)

// tally reads a pull's pages as they come: each row's amount summed
// exactly per currency (and per provider and service when those maps are
// set), rows and pages counted, the API's total kept, progress told.
type tally struct {
	client *api.Client
	res    *Result
	sums   map[string]*Sum
	// byProvider and byService, when not nil, get sums too.
	byProvider, byService map[string]*Sum
	total                 *api.Amount
	onPage                func(Progress)
	say                   func(string)
}

func newTally(client *api.Client, res *Result, onPage func(Progress), say func(string)) *tally {
	return &tally{client: client, res: res, sums: map[string]*Sum{}, onPage: onPage, say: say}
}

// page reads one page, handing each row, once summed, to row.
func (t *tally) page(p *api.CostsPage, row func(i int, raw json.RawMessage) error) error {
	for i, raw := range p.Rows {
		k, err := api.ScanCostKey(raw)
		if err != nil {
			return fmt.Errorf("page %d, row %d: %w", p.Number, i+1, err)
		}
		if err := sumInto(t.sums, k.Currency, k.Amount); err != nil {
			return fmt.Errorf("page %d, row %d: amount %w: %w", p.Number, i+1, err, api.ErrBadResponse)
		}
		if t.byProvider != nil {
			sumInto(t.byProvider, k.Provider, k.Amount) // the amount was validated by the currency sum
			sumInto(t.byService, k.Service, k.Amount)
		}
		if err := row(i, raw); err != nil {
			return err
		}
	}
	t.res.Rows += len(p.Rows)
	t.res.Pages = p.Number
	if p.TotalCost != nil {
		t.total = p.TotalCost
	}
	last := pageOf(p.Links.Last)
	if p.Number == 1 && t.say != nil {
		if line := t.client.Estimate(last); line != "" {
			t.say(line)
		}
	}
	if t.onPage != nil {
		t.onPage(Progress{Page: p.Number, LastPage: last, Rows: t.res.Rows})
	}
	return nil
}

// reconcile checks the sums against the API's total (see reconcile).
func (t *tally) reconcile() error { return reconcile(t.res, t.sums, t.total) }

func sumInto(m map[string]*Sum, key, amount string) error {
	s := m[key]
	if s == nil {
		s = &Sum{}
		m[key] = s
	}
	return s.Add(amount)
}
