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

	"github.com/rshade/finfocus-vantage/vantage"
	"github.com/rshade/finfocus-vantage/vantage/api"
)

// RowWriter writes cost rows in one format.
type RowWriter interface {
	// Write writes one row, given as the API sent it.
	Write(raw json.RawMessage) error
	// Flush writes what is buffered.
	Flush() error
}

// Formats lists the --format values of pull.
var Formats = []string{"jsonl", "csv", "focus-csv", "focus-jsonl"}

// CSVColumns is the fixed column order of the csv format.
var CSVColumns = []string{"accrued_at", "provider", "account_id", "billing_account_id", "service", "region", "resource_id", "amount", "currency", "usage_amount", "usage_unit", "tags"}

// FOCUSColumns are the FinOps FOCUS 1.2 columns the focus formats write,
// in order.
var FOCUSColumns = []string{"BilledCost", "EffectiveCost", "ListCost", "BillingCurrency", "ChargePeriodStart", "ChargePeriodEnd", "BillingPeriodStart", "BillingPeriodEnd", "ChargeCategory", "ProviderName", "ServiceName", "RegionId", "ResourceId", "SubAccountId", "BillingAccountId", "ConsumedQuantity", "ConsumedUnit", "Tags"}

// NewRowWriter returns the writer for a format. dateBin (day, week, month,
// quarter) sets the length of FOCUS charge periods.
func NewRowWriter(format string, w io.Writer, dateBin string) (RowWriter, error) {
	bw := bufio.NewWriterSize(w, 256<<10)
	switch format {
	case "jsonl":
		return &jsonlWriter{w: bw}, nil
	case "csv":
		cw := csv.NewWriter(bw)
		if err := cw.Write(CSVColumns); err != nil {
			return nil, err
		}
		return &csvWriter{bw: bw, w: cw}, nil
	case "focus-csv":
		cw := csv.NewWriter(bw)
		if err := cw.Write(FOCUSColumns); err != nil {
			return nil, err
		}
		return &focusCSVWriter{bw: bw, w: cw, bin: dateBin}, nil
	case "focus-jsonl":
		return &focusJSONLWriter{w: bw, bin: dateBin}, nil
	}
	return nil, fmt.Errorf("unknown format %q; use one of %s", format, strings.Join(Formats, ", "))
}

// jsonlWriter writes each row exactly as the API sent it.
type jsonlWriter struct{ w *bufio.Writer }

func (j *jsonlWriter) Write(raw json.RawMessage) error {
	j.w.Write(raw)
	return j.w.WriteByte('\n')
}
func (j *jsonlWriter) Flush() error { return j.w.Flush() }

type csvWriter struct {
	bw  *bufio.Writer
	w   *csv.Writer
	rec []string
}

func (c *csvWriter) Write(raw json.RawMessage) error {
	r, err := api.ScanCost(raw)
	if err != nil {
		return err
	}
	ua, uu := usage(r.Usage)
	c.rec = append(c.rec[:0], r.AccruedAt, r.Provider, r.AccountID, r.BillingAccountID, r.Service, r.Region, r.ResourceID, r.Amount, r.Currency, ua, uu, tagsJSON(r.Tags))
	return c.w.Write(c.rec)
}
func (c *csvWriter) Flush() error { c.w.Flush(); return firstErr(c.w.Error(), c.bw.Flush()) }

// focusRow maps a Vantage row to FOCUS 1.2 columns.
func focusRow(r api.Cost, bin string, rec []string) []string {
	start, err := time.Parse(vantage.DateLayout, r.AccruedAt)
	var cs, ce, bs, be string
	if err == nil {
		end := start.AddDate(0, 0, 1)
		switch bin {
		case "week":
			end = start.AddDate(0, 0, 7)
		case "month":
			end = start.AddDate(0, 1, 0)
		case "quarter":
			end = start.AddDate(0, 3, 0)
		}
		month := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC)
		const ts = "2006-01-02T15:04:05Z"
		cs, ce, bs, be = start.Format(ts), end.Format(ts), month.Format(ts), month.AddDate(0, 1, 0).Format(ts)
	}
	ua, uu := usage(r.Usage)
	return append(rec[:0], r.Amount, r.Amount, r.Amount, r.Currency, cs, ce, bs, be, "Usage",
		providerName(r.Provider), r.Service, r.Region, r.ResourceID, r.AccountID, r.BillingAccountID, ua, uu, tagsJSON(r.Tags))
}

type focusCSVWriter struct {
	bw  *bufio.Writer
	w   *csv.Writer
	bin string
	rec []string
}

func (f *focusCSVWriter) Write(raw json.RawMessage) error {
	r, err := api.ScanCost(raw)
	if err != nil {
		return err
	}
	f.rec = focusRow(r, f.bin, f.rec)
	return f.w.Write(f.rec)
}
func (f *focusCSVWriter) Flush() error { f.w.Flush(); return firstErr(f.w.Error(), f.bw.Flush()) }

type focusJSONLWriter struct {
	w   *bufio.Writer
	bin string
	rec []string
}

func (f *focusJSONLWriter) Write(raw json.RawMessage) error {
	r, err := api.ScanCost(raw)
	if err != nil {
		return err
	}
	f.rec = focusRow(r, f.bin, f.rec)
	f.w.WriteByte('{')
	for i, col := range FOCUSColumns {
		if i > 0 {
			f.w.WriteByte(',')
		}
		f.w.WriteByte('"')
		f.w.WriteString(col)
		f.w.WriteString(`":`)
		v := f.rec[i]
		switch {
		case col == "Tags":
			f.w.WriteString(v)
		case v == "":
			f.w.WriteString("null")
		default:
			var sb strings.Builder
			writeJSONString(&sb, v)
			f.w.WriteString(sb.String())
		}
	}
	f.w.WriteString("}\n")
	return nil
}
func (f *focusJSONLWriter) Flush() error { return f.w.Flush() }

// providerName is the FOCUS ProviderName for a Vantage provider key.
func providerName(p string) string {
	switch strings.ToLower(p) {
	case "aws":
		return "AWS"
	case "gcp":
		return "Google Cloud"
	case "azure":
		return "Microsoft Azure"
	case "datadog":
		return "Datadog"
	case "snowflake":
		return "Snowflake"
	}
	return p
}

// usage extracts amount and unit from the row's usage object.
func usage(raw json.RawMessage) (amount, unit string) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", ""
	}
	ok := api.ScanObject(raw, func(key, val []byte, str bool) {
		if !str && string(val) == "null" {
			return
		}
		switch string(key) {
		case "amount":
			amount = string(val) // a string or a bare number, as sent
		case "unit":
			unit = string(val)
		}
	})
	if ok {
		return amount, unit
	}
	var u struct {
		Amount json.RawMessage `json:"amount"`
		Unit   string          `json:"unit"`
	}
	if json.Unmarshal(raw, &u) != nil {
		return "", ""
	}
	return strings.Trim(string(u.Amount), `"`), u.Unit
}

type tag struct{ key, value string }

// tagsJSON turns [{"tag_key","tag_value"}] into a JSON object (FOCUS Tags),
// keys sorted, the last value winning for a repeated key.
func tagsJSON(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return "{}"
	}
	tags, ok := scanTags(raw)
	if !ok {
		var list []struct {
			Key   string `json:"tag_key"`
			Value string `json:"tag_value"`
		}
		if json.Unmarshal(raw, &list) != nil {
			var obj map[string]any
			if json.Unmarshal(raw, &obj) == nil {
				return string(raw)
			}
			return "{}"
		}
		tags = tags[:0]
		for _, t := range list {
			tags = append(tags, tag{t.Key, t.Value})
		}
	}
	m := make(map[string]string, len(tags))
	keys := make([]string, 0, len(tags))
	for _, t := range tags {
		if _, dup := m[t.key]; !dup {
			keys = append(keys, t.key)
		}
		m[t.key] = t.value
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(&b, k)
		b.WriteByte(':')
		writeJSONString(&b, m[k])
	}
	b.WriteByte('}')
	return b.String()
}

// scanTags reads [{"tag_key":…,"tag_value":…},…] without the general
// decoder; ok is false where it cannot.
func scanTags(raw []byte) ([]tag, bool) {
	s := strings.TrimSpace(string(raw))
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return nil, false
	}
	var tags []tag
	rest := strings.TrimSpace(s[1 : len(s)-1])
	for rest != "" {
		end := strings.IndexByte(rest, '}')
		if end < 0 || rest[0] != '{' {
			return nil, false
		}
		var t tag
		if !api.ScanObject([]byte(rest[:end+1]), func(key, val []byte, str bool) {
			switch string(key) {
			case "tag_key":
				t.key = string(val)
			case "tag_value":
				t.value = string(val)
			}
		}) {
			return nil, false
		}
		tags = append(tags, t)
		rest = strings.TrimSpace(rest[end+1:])
		if strings.HasPrefix(rest, ",") {
			rest = strings.TrimSpace(rest[1:])
		} else if rest != "" {
			return nil, false
		}
	}
	return tags, true
}

// writeJSONString writes s as a JSON string.
func writeJSONString(b *strings.Builder, s string) {
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

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
