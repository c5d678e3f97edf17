package pull

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// RowWriter writes cost rows in one format.
type RowWriter interface {
	// Write writes one row, given as the API sent it. An error from the
	// row itself (a date it cannot read) is a *RowError.
	Write(raw json.RawMessage) error
	// Close writes what is buffered and any footer; the rows are complete.
	Close() error
}

// RowError is a row the tool cannot map: it names the problem, and Run
// adds the page and row.
type RowError struct{ Err error }

func (e *RowError) Error() string { return e.Err.Error() }
func (e *RowError) Unwrap() error { return e.Err }

// Formats lists the --format values of pull.
var Formats = []string{"jsonl", "csv", "parquet", "focus-csv", "focus-jsonl", "focus-parquet"}

// CSVColumns is the column order of the csv format. Columns are only ever
// appended: resource_name, cost_category and cost_subcategory came after
// tags. tags holds the API's array of "key:value" strings as JSON text.
var CSVColumns = []string{"accrued_at", "provider", "account_id", "billing_account_id", "service", "region", "resource_id", "amount", "currency", "usage_amount", "usage_unit", "tags", "resource_name", "cost_category", "cost_subcategory"}

// FormatsFor returns the formats that write files named with ext
// (".parquet", ".csv", ".jsonl", ".ndjson"), the plain one first; nil for
// any other extension.
func FormatsFor(ext string) []string {
	switch ext {
	case ".parquet":
		return []string{"parquet", "focus-parquet"}
	case ".csv":
		return []string{"csv", "focus-csv"}
	case ".jsonl", ".ndjson":
		return []string{"jsonl", "focus-jsonl"}
	}
	return nil
}

// WriterOptions shape a row writer.
type WriterOptions struct {
	// DateBin (hour, day, week, month, quarter) sets the length of FOCUS
	// charge periods.
	DateBin string
	// RawCSV turns off the neutralising of spreadsheet formulas in csv
	// and focus-csv text cells.
	RawCSV bool
	// Metadata is recorded in the file where the format has a place for
	// it (Parquet's key-value metadata).
	Metadata map[string]string
	// From and To are the period asked for, [From, To) in UTC: a bin that
	// begins before From or ends after To (a week or month bin over part
	// of it) is clipped to them, as Vantage returns only the data in the
	// range asked for. Zero means no clipping.
	From, To time.Time
	// TagKeys says where each tag's key ends (loadTagKeys); nil splits a
	// tag at its last colon.
	TagKeys *TagKeys
}

// period is how a writer makes charge periods; withIDs is set for the
// formats that write x_RowId (the FOCUS ones), as numbering rows means
// remembering each.
func (o WriterOptions) period(withIDs bool) period {
	p := period{bin: o.DateBin, from: o.From, to: o.To, tags: o.TagKeys}
	if withIDs {
		p.ids = &rowIDs{}
	}
	return p
}

// NewRowWriter returns the writer for a format.
func NewRowWriter(format string, w io.Writer, o WriterOptions) (RowWriter, error) {
	switch format {
	case "parquet":
		return newRawParquet(w, o), nil
	case "focus-parquet":
		return newFOCUSParquet(w, o), nil
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	switch format {
	case "jsonl":
		return &jsonlWriter{w: bw}, nil
	case "csv":
		cw := csv.NewWriter(bw)
		if err := cw.Write(CSVColumns); err != nil {
			return nil, err
		}
		return &csvWriter{bw: bw, w: cw, per: o.period(false), safe: !o.RawCSV}, nil
	case "focus-csv":
		cw := csv.NewWriter(bw)
		if err := cw.Write(FOCUSColumnNames()); err != nil {
			return nil, err
		}
		return &focusCSVWriter{bw: bw, w: cw, per: o.period(true), safe: !o.RawCSV}, nil
	case "focus-jsonl":
		return &focusJSONLWriter{w: bw, per: o.period(true)}, nil
	}
	return nil, fmt.Errorf("unknown format %q; use one of %s", format, strings.Join(Formats, ", "))
}

// jsonlWriter writes each row exactly as the API sent it.
type jsonlWriter struct{ w *bufio.Writer }

func (j *jsonlWriter) Write(raw json.RawMessage) error {
	j.w.Write(raw)
	return j.w.WriteByte('\n')
}
func (j *jsonlWriter) Close() error { return j.w.Flush() }

type csvWriter struct {
	bw   *bufio.Writer
	w    *csv.Writer
	per  period
	safe bool
	rec  []string
}

func (c *csvWriter) Write(raw json.RawMessage) error {
	r, err := mapRow(raw, c.per)
	if err != nil {
		return &RowError{err}
	}
	c.rec = append(c.rec[:0], r.isoAccrued(), r.Provider, r.AccountID, r.BillingAccountID, r.Service, r.Region, r.ResourceID,
		r.Amount, r.Currency, r.UsageAmount, r.UsageUnit, r.RawTags, r.ResourceName, r.CostCategory, r.CostSubcategory)
	if c.safe {
		for i, v := range c.rec {
			if i != 7 { // amount is a number: never changed
				c.rec[i] = neutralize(v)
			}
		}
	}
	return c.w.Write(c.rec)
}
func (c *csvWriter) Close() error { c.w.Flush(); return firstErr(c.w.Error(), c.bw.Flush()) }

type focusCSVWriter struct {
	bw   *bufio.Writer
	w    *csv.Writer
	per  period
	safe bool
	fv   focusValues
	rec  []string
}

func (f *focusCSVWriter) Write(raw json.RawMessage) error {
	r, err := mapRow(raw, f.per)
	if err != nil {
		return &RowError{err}
	}
	toFOCUS(r, &f.fv)
	f.rec = f.rec[:0]
	for i, col := range FOCUSColumns {
		v := f.fv.v[i]
		if f.safe && col.Type == typeString {
			v = neutralize(v)
		}
		f.rec = append(f.rec, v)
	}
	return f.w.Write(f.rec)
}
func (f *focusCSVWriter) Close() error { f.w.Flush(); return firstErr(f.w.Error(), f.bw.Flush()) }

type focusJSONLWriter struct {
	w   *bufio.Writer
	per period
	fv  focusValues
}

// Write writes one JSON object a line: decimals as JSON strings (exact,
// as the API sends amounts), Tags as an object, nulls as null.
func (f *focusJSONLWriter) Write(raw json.RawMessage) error {
	r, err := mapRow(raw, f.per)
	if err != nil {
		return &RowError{err}
	}
	toFOCUS(r, &f.fv)
	b := f.w
	b.WriteByte('{')
	for i, col := range FOCUSColumns {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(col.Name)
		b.WriteString(`":`)
		switch {
		case f.fv.null[i]:
			b.WriteString("null")
		case col.Type == typeKeyValue:
			b.WriteString(f.fv.v[i])
		default:
			writeJSONString(b, f.fv.v[i])
		}
	}
	_, err = b.WriteString("}\n")
	return err
}
func (f *focusJSONLWriter) Close() error { return f.w.Flush() }

// neutralize keeps a spreadsheet from running a text cell as a formula
// (OWASP's CSV injection advice): a cell starting with =, +, @, a tab or
// a carriage return, or with - when the cell is not a number, gets a
// leading single quote. Numbers are never changed.
func neutralize(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '@', '\t', '\r':
		return "'" + s
	case '-':
		if !isNumber(s) {
			return "'" + s
		}
	}
	return s
}

// isNumber reports whether s is a decimal number such as -12.5.
func isNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	return (intPart != "" || frac != "") && allDigits(intPart) && allDigits(frac)
}

// stringWriter is what writeJSONString writes to: a strings.Builder or a
// bufio.Writer.
type stringWriter interface {
	io.StringWriter
	io.ByteWriter
	io.Writer
}

// writeJSONString writes s as a JSON string.
func writeJSONString(b stringWriter, s string) {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			plain = false
			break
		}
	}
	if plain {
		b.WriteByte('"')
		b.WriteString(s)
		b.WriteByte('"')
		return
	}
	q, _ := json.Marshal(s)
	b.Write(q)
}

func sortStrings(s []string) { sort.Strings(s) }

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
