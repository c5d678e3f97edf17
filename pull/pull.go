package pull

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rshade/finfocus-vantage/internal/atomicfile"
	"github.com/rshade/finfocus-vantage/vantage"
	"github.com/rshade/finfocus-vantage/vantage/api"
	"github.com/shopspring/decimal"
)

// ErrNotReconciled means the rows do not add up to the API's total_cost:
// something was lost or invented, and no output is kept.
var ErrNotReconciled = errors.New("totals do not reconcile")

// Options say what to pull and where to write it.
type Options struct {
	Query  api.CostsQuery
	Format string
	// Output is the file to write; "" writes to Stdout. A file gets a
	// metadata sidecar, Output + ".meta.json", saying what the numbers
	// mean (settings, groupings, period, totals).
	Output string
	Stdout io.Writer
	// RawCSV turns off the neutralising of formula-like csv cells.
	RawCSV bool
	// Tool names the program in the metadata ("finfocus-vantage 1.2.3").
	Tool string
	// OnPage is told of each page read, for progress.
	OnPage func(Progress)
	// Say, when set, is given lines for the user: the estimate of a pull
	// that needs more requests than the hourly budget.
	Say func(string)
}

// Progress is the state after a page.
type Progress struct {
	Page, LastPage, Rows int
}

// Result summarises a pull.
type Result struct {
	Rows, Pages int
	// Exact is the exact sum of the rows; Total the API's total_cost
	// (rounded to 2 decimals by the API); Difference is Exact - Total.
	Exact, Total, Difference decimal.Decimal
	Currency                 string
	ByProvider               map[string]decimal.Decimal
	ByService                map[string]decimal.Decimal
	// Streamed is set when rows went to a stream, which cannot take them
	// back if the pull then fails.
	Streamed bool
}

// Run pulls every page of costs for the query, writing rows as they come,
// then reconciles the sum of the rows with total_cost. Output to a file is
// atomic: on any error, cancellation included, the previous file is left
// as it was and no temporary file remains.
func Run(ctx context.Context, client *api.Client, opts Options) (res *Result, err error) {
	// Errors quote what the server sent (a date, an amount, the total):
	// every spelling of a secret the client sent is masked in them.
	defer func() { err = client.ScrubError(err) }()
	var out io.Writer = opts.Stdout
	var file *atomicfile.File
	if opts.Output != "" {
		f, err := atomicfile.CreateMode(opts.Output, 0o600) // cost data: owner only, less the umask
		if err != nil {
			return nil, writeErr(opts.Output, err)
		}
		defer f.Abort()
		file, out = f, f
	}
	meta := metadata(opts)
	from, to := requested(opts.Query)
	keys, err := loadTagKeys(ctx, client, opts.Format, opts.Query.Groupings, opts.Say)
	if err != nil {
		return nil, err
	}
	defer sayGuessed(keys, opts.Say)
	rw, err := NewRowWriter(opts.Format, out, WriterOptions{DateBin: opts.Query.DateBin, RawCSV: opts.RawCSV, Metadata: fileMetadata(meta, opts.Format), From: from, To: to, TagKeys: keys})
	if err != nil {
		return nil, err
	}
	res = &Result{Streamed: file == nil}
	t := newTally(client, res, opts.OnPage, opts.Say)
	t.byProvider, t.byService = map[string]*Sum{}, map[string]*Sum{}
	err = client.Costs(ctx, opts.Query, func(p *api.CostsPage) error {
		return t.page(p, func(i int, raw json.RawMessage) error {
			err := rw.Write(raw)
			if err == nil {
				return nil
			}
			var re *RowError
			if errors.As(err, &re) {
				return fmt.Errorf("page %d, row %d: %w: %w", p.Number, i+1, err, api.ErrBadResponse)
			}
			if file != nil {
				return writeErr(opts.Output, err)
			}
			return fmt.Errorf("write output: %w", err)
		})
	})
	if err != nil {
		return res, err
	}
	if err := rw.Close(); err != nil {
		if file != nil {
			return res, writeErr(opts.Output, err)
		}
		return res, fmt.Errorf("write output: %w", err)
	}
	res.ByProvider, res.ByService = decimals(t.byProvider), decimals(t.byService)
	if err := t.reconcile(); err != nil {
		return res, err
	}
	if file != nil {
		if err := file.Commit(); err != nil {
			return res, writeErr(opts.Output, err)
		}
		meta.finish(res)
		if err := atomicfile.WriteFileMode(opts.Output+".meta.json", meta.indented(), 0o600); err != nil {
			return res, writeErr(opts.Output+".meta.json", err)
		}
	}
	return res, nil
}

// fileMetadata is what a file records of itself where its format has a
// place for it (Parquet's key-value metadata): what the numbers mean, and
// for the FOCUS formats the FOCUS version and where its schema is.
func fileMetadata(meta *Metadata, format string) map[string]string {
	md := map[string]string{"finfocus_vantage": meta.json()}
	if strings.HasPrefix(format, "focus-") {
		md["focus_version"], md["focus_schema"] = FOCUSVersion, FOCUSSchemaRef
	}
	return md
}

// reconcile checks the rows against total_cost at the API's precision:
// the schema documents total_cost as "rounded to 2 decimal places"
// without saying how, so the exact sum of the rows, rounded half up or
// half to even, must equal it. Precision is never read from the digits
// of the string ("500.0" has dropped a zero). Mixed or mismatched
// currencies never reconcile.
func reconcile(res *Result, sums map[string]*Sum, total *api.Amount) error {
	var cs []string
	for c := range sums {
		cs = append(cs, c)
	}
	sort.Strings(cs)
	if total == nil {
		if res.Rows == 0 {
			return nil
		}
		return fmt.Errorf("%w: the API sent %d rows but no total_cost to check them against", ErrNotReconciled, res.Rows)
	}
	want, err := decimal.NewFromString(total.Amount)
	if err != nil {
		return fmt.Errorf("%w: total_cost %q is not a decimal number", api.ErrBadResponse, total.Amount)
	}
	res.Total, res.Currency = want, total.Currency
	switch {
	case len(cs) > 1:
		return fmt.Errorf("%w: the rows are in %s but total_cost is one amount in %s; turn on currency conversion for the workspace in Vantage, or pull each currency separately (a filter or cost report per currency)%s",
			ErrNotReconciled, strings.Join(cs, " and "), total.Currency, res.written())
	case len(cs) == 1 && cs[0] != total.Currency:
		return fmt.Errorf("%w: the rows are in %s but total_cost is in %s; turn on currency conversion for the workspace in Vantage, or pull each currency separately%s",
			ErrNotReconciled, cs[0], total.Currency, res.written())
	}
	got, scale := decimal.Zero, 0
	if len(cs) == 1 {
		got, scale = sums[cs[0]].Decimal(), sums[cs[0]].scale
	}
	res.Exact, res.Difference = got, got.Sub(want)
	if got.Round(2).Equal(want) || got.RoundBank(2).Equal(want) {
		return nil
	}
	msg := fmt.Sprintf("the %d rows add up to %s %s, which rounds to %s, but total_cost says %s %s (difference %s)",
		res.Rows, got.String(), total.Currency, got.Round(2).StringFixed(2), want.String(), total.Currency, res.Difference.String())
	if scale <= 2 && res.Rows > 0 {
		// Rows rounded to cents can each be half a cent from what the API
		// summed: n rows carry at most n × 0.005 of rounding error.
		bound := decimal.New(int64(res.Rows)*5, -3)
		within := "beyond"
		if res.Difference.Abs().LessThanOrEqual(bound) {
			within = "within"
		}
		msg += fmt.Sprintf("; every row has at most 2 decimals, so rounding in the rows could account for up to %s (%d × 0.005), and this difference is %s that", bound.String(), res.Rows, within)
	}
	return fmt.Errorf("%w: %s; rows were lost or changed in transit%s", ErrNotReconciled, msg, res.written())
}

// written says what happened to the rows of a pull that failed.
func (r *Result) written() string {
	if r.Streamed {
		return ", and the rows already written to the stream must be discarded"
	}
	return ", so nothing was written"
}

// requested is the period a query asks for as [from, to) in UTC; zero
// times when a date is missing or unreadable (the API's default period).
func requested(q api.CostsQuery) (from, to time.Time) {
	b, err1 := time.Parse(vantage.DateLayout, q.StartDate)
	e, err2 := time.Parse(vantage.DateLayout, q.EndDate)
	if err1 != nil || err2 != nil {
		return time.Time{}, time.Time{}
	}
	return b, e.AddDate(0, 0, 1)
}

// pageOf reads the page number from a link, 0 when it has none.
func pageOf(link string) int {
	u, err := url.Parse(link)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(u.Query().Get("page"))
	return n
}

func decimals(m map[string]*Sum) map[string]decimal.Decimal {
	out := make(map[string]decimal.Decimal, len(m))
	for k, s := range m {
		out[k] = s.Decimal()
	}
	return out
}

// Period decides a pull's dates: the flags' (start, end), else the
// config's, else the last 30 complete days before now. Its errors are the
// user's to fix.
func Period(start, end string, s vantage.Settings, now time.Time) (string, string, error) {
	if start == "" {
		start = s.StartDate
	}
	if end == "" {
		end = s.EndDate
	}
	if end == "" {
		yesterday := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
		end = yesterday.Format(vantage.DateLayout)
	}
	e, err := time.Parse(vantage.DateLayout, end)
	if err != nil {
		return "", "", fmt.Errorf("--end-date %q is not a date; write YYYY-MM-DD", end)
	}
	if start == "" {
		start = e.AddDate(0, 0, -29).Format(vantage.DateLayout)
	}
	b, err := time.Parse(vantage.DateLayout, start)
	if err != nil {
		return "", "", fmt.Errorf("--start-date %q is not a date; write YYYY-MM-DD", start)
	}
	if e.Before(b) {
		return "", "", fmt.Errorf("the end date %s is before the start date %s", end, start)
	}
	return start, end, nil
}
