package pull

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/rshade/finfocus-vantage/internal/testkit"
	"github.com/rshade/finfocus-vantage/vantage/api"
	"github.com/rshade/finfocus-vantage/vantage/api/apitest"
)

func setup(t *testing.T, rows int) (*apitest.Server, *api.Client) {
	t.Helper()
	s := apitest.NewServer()
	t.Cleanup(s.Close)
	s.SetReport(apitest.ReportToken, apitest.Report{Title: "t", WorkspaceToken: apitest.WorkspaceToken, Rows: rows})
	c, err := api.NewClient(apitest.ReadToken, api.WithBaseURL(s.URL), api.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	// The client and the fake share a clock that waits advance: pacing to
	// the fake's 5 requests per 5 s costs no real time.
	clk := testkit.NewClock(time.Now())
	s.Now, c.Now, c.Sleep = clk.Now, clk.Now, clk.Sleep
	return s, c
}

func query(limit int) api.CostsQuery {
	return api.CostsQuery{CostReportToken: apitest.ReportToken, StartDate: "2026-10-01", EndDate: "2026-10-31", DateBin: "day", Limit: limit}
}

// TestFormats: against the fake answering in the published schema's
// shape (rounded totals, offsets on dates, "key:value" tags), every format
// reconciles and loses nothing: every row, tag and period arrives.
func TestFormats(t *testing.T) {
	_, c := setup(t, 2345)
	dir := t.TempDir()
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			out := filepath.Join(dir, "costs."+format)
			q := query(1000)
			q.Groupings = Groupings(format, []string{"provider", "service", "account", "region", "tags"})
			res, err := Run(context.Background(), c, Options{Query: q, Format: format, Output: out})
			if err != nil {
				t.Fatal(err)
			}
			if res.Rows != 2345 || res.Pages != 3 || res.Currency != "USD" || res.Total.IsZero() || res.Exact.Equal(res.Total) {
				t.Fatalf("result %+v (the fake's rows carry more than 2 decimals, so the exact sum differs from total_cost)", res)
			}
			if res.Difference.Abs().GreaterThanOrEqual(decimal.New(5, -3)) {
				t.Errorf("difference %s is more than rounding", res.Difference)
			}
			var meta Metadata
			if b, err := os.ReadFile(out + ".meta.json"); err != nil || json.Unmarshal(b, &meta) != nil || !meta.Reconciled || meta.Rows != 2345 || meta.ExactSum != res.Exact.String() {
				t.Errorf("sidecar %s: %+v %v", out+".meta.json", meta, err)
			}
			b, _ := os.ReadFile(out)
			tagged, periods := 0, 0
			switch format {
			case "jsonl", "focus-jsonl":
				lines := strings.Split(strings.TrimSpace(string(b)), "\n")
				if len(lines) != 2345 {
					t.Fatalf("%d lines", len(lines))
				}
				for _, line := range lines {
					var row map[string]any
					if err := json.Unmarshal([]byte(line), &row); err != nil {
						t.Fatal(err)
					}
					if format == "jsonl" {
						if _, isString := row["amount"].(string); !isString {
							t.Fatalf("amount is not kept as a string: %v", row["amount"])
						}
						if tags, ok := row["tags"].([]any); ok && len(tags) > 0 {
							tagged++
						}
						continue
					}
					if tags, ok := row["Tags"].(map[string]any); ok && len(tags) > 0 {
						tagged++
					}
					if row["ChargePeriodStart"] != nil && row["BillingPeriodEnd"] != nil {
						periods++
					}
				}
			case "csv", "focus-csv":
				recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
				if err != nil || len(recs) != 2346 {
					t.Fatalf("csv: %d records, %v", len(recs), err)
				}
				want := CSVColumns
				if format == "focus-csv" {
					want = FOCUSColumnNames()
				}
				if strings.Join(recs[0], ",") != strings.Join(want, ",") {
					t.Errorf("header %v", recs[0])
				}
				for _, rec := range recs[1:] {
					if format == "csv" {
						if strings.Contains(rec[11], ":") {
							tagged++
						}
						continue
					}
					if strings.Contains(rec[27], ":") {
						tagged++
					}
					if rec[10] != "" && rec[4] != "" {
						periods++
					}
				}
			default:
				rows, sum := readParquet(t, out, format)
				if rows != 2345 || !sum.Equal(res.Exact) {
					t.Errorf("parquet: %d rows summing to %s, want 2345 and %s", rows, sum, res.Exact)
				}
				tagged = -1
			}
			if tagged == 0 {
				t.Errorf("no row kept its tags")
			}
			if strings.HasPrefix(format, "focus-") && format != "focus-parquet" && periods != 2345 {
				t.Errorf("%d of 2345 rows have their periods", periods)
			}
		})
	}
}

// TestRoundingAtTheAPIPrecision: total_cost is the exact sum rounded to
// cents, half up or half to even; the zeros a string drops do not matter;
// a cent off does not reconcile.
func TestRoundingAtTheAPIPrecision(t *testing.T) {
	sum := func(amounts ...string) map[string]*Sum {
		s := &Sum{}
		for _, a := range amounts {
			s.Add(a)
		}
		return map[string]*Sum{"USD": s}
	}
	for _, tc := range []struct {
		rows  []string
		total string
		ok    bool
	}{
		{[]string{"0.1", "0.025"}, "0.13", true},    // half up
		{[]string{"0.1", "0.025"}, "0.12", true},    // half to even
		{[]string{"0.1", "0.025"}, "0.11", false},   // a cent off
		{[]string{"100.0", "400"}, "500.0", true},   // "500.0" dropped a zero
		{[]string{"1.004999"}, "1.00", true},        // below half
		{[]string{"1.004999"}, "1.01", false},       // no mode rounds that up
		{[]string{"-0.125"}, "-0.13", true},         // credits round away from zero
		{[]string{"-0.125"}, "-0.12", true},         // or to even
		{[]string{"10.00", "0.01"}, "10.00", false}, // 2-decimal rows: strict
	} {
		res := &Result{Rows: len(tc.rows)}
		err := reconcile(res, sum(tc.rows...), &api.Amount{Amount: tc.total, Currency: "USD"})
		if (err == nil) != tc.ok {
			t.Errorf("rows %v, total %s: err = %v, want ok %v", tc.rows, tc.total, err, tc.ok)
		}
	}
	res := &Result{Rows: 2}
	err := reconcile(res, sum("10.00", "0.01"), &api.Amount{Amount: "10.00", Currency: "USD"})
	if err == nil || !strings.Contains(err.Error(), "up to 0.01 (2 × 0.005)") || !strings.Contains(err.Error(), "difference 0.01") {
		t.Errorf("2-decimal rows: %v", err)
	}
	// One EUR row against a zero USD total: currencies never reconcile.
	res = &Result{Rows: 1}
	s := &Sum{}
	s.Add("3.50")
	if err := reconcile(res, map[string]*Sum{"EUR": s}, &api.Amount{Amount: "0", Currency: "USD"}); !errors.Is(err, ErrNotReconciled) || !strings.Contains(err.Error(), "currency conversion") {
		t.Errorf("EUR rows, USD total: %v", err)
	}
	res = &Result{Rows: 1, Streamed: true}
	if err := reconcile(res, map[string]*Sum{"EUR": s}, &api.Amount{Amount: "0", Currency: "USD"}); err == nil || strings.Contains(err.Error(), "nothing was written") || !strings.Contains(err.Error(), "discarded") {
		t.Errorf("a stream cannot take rows back, and must not say nothing was written: %v", err)
	}
}

// TestHalfEvenTotalsReconcile: a fake that rounds half to even reconciles
// as well as one that rounds half up.
func TestHalfEvenTotalsReconcile(t *testing.T) {
	s, c := setup(t, 3000)
	s.HalfEven = true
	var buf bytes.Buffer
	if _, err := Run(context.Background(), c, Options{Query: query(1000), Format: "jsonl", Stdout: &buf}); err != nil {
		t.Fatal(err)
	}
}

// TestNothingLostOrInvented: the rows must add up to total_cost, else no
// output, and the previous file is intact.
func TestReconciliation(t *testing.T) {
	for name, breakIt := range map[string]func(*apitest.Server){
		"total off by a cent": func(s *apitest.Server) { s.BadTotal = true },
		"mixed currencies":    func(s *apitest.Server) { s.MixedCurrency = true },
	} {
		t.Run(name, func(t *testing.T) {
			s, c := setup(t, 3000)
			breakIt(s)
			dir := t.TempDir()
			out := filepath.Join(dir, "costs.jsonl")
			os.WriteFile(out, []byte("previous pull\n"), 0o644)
			_, err := Run(context.Background(), c, Options{Query: query(1000), Format: "jsonl", Output: out})
			if !errors.Is(err, ErrNotReconciled) {
				t.Fatalf("err = %v", err)
			}
			if b, _ := os.ReadFile(out); string(b) != "previous pull\n" {
				t.Errorf("previous file changed: %q", b)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("temporary file left: %v", entries)
			}
		})
	}
}

func TestEmptyLastPageAndNoRows(t *testing.T) {
	s, c := setup(t, 2000)
	s.EmptyLastPage = true
	var buf bytes.Buffer
	res, err := Run(context.Background(), c, Options{Query: query(1000), Format: "csv", Stdout: &buf})
	if err != nil || res.Rows != 2000 || res.Pages != 3 {
		t.Fatalf("empty last page: %+v %v", res, err)
	}
	s2, c2 := setup(t, 0)
	_ = s2
	res, err = Run(context.Background(), c2, Options{Query: query(1000), Format: "jsonl", Stdout: &buf})
	if err != nil || res.Rows != 0 {
		t.Fatalf("no rows: %+v %v", res, err)
	}
}

func TestCancelLeavesNoFile(t *testing.T) {
	_, c := setup(t, 5000)
	dir := t.TempDir()
	out := filepath.Join(dir, "costs.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	_, err := Run(ctx, c, Options{Query: query(1000), Format: "jsonl", Output: out, OnPage: func(p Progress) {
		if p.Page == 2 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files left after cancel: %v", entries)
	}
}

// TestDatesAndTags: every ISO 8601 form the API writes accrued_at in is
// read, in UTC; tags split at the last colon; a row that cannot be mapped
// is an error, never an empty column.
func TestDatesAndTags(t *testing.T) {
	want := time.Date(2023, 9, 5, 0, 0, 0, 0, time.UTC)
	for _, s := range []string{"2023-09-05", "2023-09-05+00:00", "2023-09-05T00:00:00Z", "2023-09-05T02:00:00+02:00", "2023-09-05T00:00:00.000Z", "2023-09-04T20:00:00-04:00"} {
		if got, err := parseAccruedAt(s); err != nil || !got.Equal(want) {
			t.Errorf("parseAccruedAt(%q) = %v, %v", s, got, err)
		}
	}
	hour, _ := parseAccruedAt("2023-09-05T13:00:00Z")
	if end := periodEnd(hour, "hour"); !end.Equal(hour.Add(time.Hour)) {
		t.Errorf("hour bin ends %v", end)
	}
	r, err := mapRow([]byte(`{"accrued_at":"2023-09-05+00:00","amount":"1","currency":"USD","tags":["environment:production","aws:ecs:serviceName:frontend","bare","url:https://x"]}`), period{bin: "month"})
	if err != nil {
		t.Fatal(err)
	}
	if !r.End.Equal(time.Date(2023, 10, 5, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("month bin ends %v", r.End)
	}
	if got := tagsObject(r.Tags); got != `{"aws:ecs:serviceName":"frontend","bare":true,"environment":"production","url:https":"//x"}` {
		t.Errorf("tags object %s", got)
	}
	if r.RawTags != `["environment:production","aws:ecs:serviceName:frontend","bare","url:https://x"]` {
		t.Errorf("raw tags %s", r.RawTags)
	}
	// With the workspace's keys known, the value keeps its colon.
	r, err = mapRow([]byte(`{"accrued_at":"2023-09-05+00:00","amount":"1","currency":"USD","tags":["environment:production","aws:ecs:serviceName:frontend","bare","url:https://x"]}`),
		period{bin: "month", tags: newTagKeys([]string{"url", "aws:ecs:serviceName", "environment"})})
	if err != nil {
		t.Fatal(err)
	}
	if got := tagsObject(r.Tags); got != `{"aws:ecs:serviceName":"frontend","bare":true,"environment":"production","url":"https://x"}` {
		t.Errorf("tags object with the keys known %s", got)
	}
	for _, bad := range []string{
		`{"accrued_at":"05/09/2023","amount":"1","currency":"USD"}`,
		`{"accrued_at":"","amount":"1","currency":"USD"}`,
		`{"accrued_at":"2023-09-05","amount":"1","currency":"USD","tags":[{"tag_key":"a","tag_value":"b"}]}`,
	} {
		if _, err := mapRow([]byte(bad), period{bin: "day"}); err == nil {
			t.Errorf("mapRow(%s) accepted it", bad)
		}
	}
}

// TestUnmappableRowStopsThePull: a row whose date cannot be read names
// its page and row, and no file is written.
func TestUnmappableRowStopsThePull(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"links":{"next":null},"total_cost":{"amount":"3.00","currency":"USD"},"costs":[{"accrued_at":"2026-10-01","amount":"1","currency":"USD"},{"accrued_at":"yesterday","amount":"2","currency":"USD"}]}`)
	}))
	defer srv.Close()
	c, err := api.NewClient(apitest.ReadToken, api.WithBaseURL(srv.URL+"/v2"), api.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "costs.csv")
	_, err = Run(context.Background(), c, Options{Query: query(1000), Format: "focus-csv", Output: out})
	if err == nil || !strings.Contains(err.Error(), "page 1, row 2") || !strings.Contains(err.Error(), `accrued_at "yesterday"`) {
		t.Fatalf("err = %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files written: %v", entries)
	}
}

// TestCSVFormulasAreNeutralised: text cells a spreadsheet would run get a
// leading quote; numbers, negative amounts included, never change.
func TestCSVFormulasAreNeutralised(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(1)": "'=HYPERLINK(1)", "+1+1": "'+1+1", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx", "\rx": "'\rx",
		"-2+3": "'-2+3", "-12.5": "-12.5", "-": "'-", "AmazonSNS": "AmazonSNS", "": "",
	} {
		if got := neutralize(in); got != want {
			t.Errorf("neutralize(%q) = %q, want %q", in, got, want)
		}
	}
	var buf bytes.Buffer
	w, _ := NewRowWriter("csv", &buf, WriterOptions{})
	w.Write([]byte(`{"accrued_at":"2026-10-01","amount":"-1.5","currency":"USD","service":"=cmd|' /C calc'!A0"}`))
	w.Close()
	if !strings.Contains(buf.String(), `'=cmd`) || !strings.Contains(buf.String(), ",-1.5,") {
		t.Errorf("csv:\n%s", buf.String())
	}
	buf.Reset()
	w, _ = NewRowWriter("csv", &buf, WriterOptions{RawCSV: true})
	w.Write([]byte(`{"accrued_at":"2026-10-01","amount":"1","currency":"USD","service":"=x"}`))
	w.Close()
	if strings.Contains(buf.String(), `'=x`) {
		t.Errorf("--csv-raw still changed a cell:\n%s", buf.String())
	}
}

// TestFastDecodingMatchesTheGeneralDecoder: the one-pass readers of rows,
// usage and tags give what encoding/json gives, escapes and all.
func TestFastDecodingMatchesTheGeneralDecoder(t *testing.T) {
	rows := []string{
		`{"accrued_at":"2026-10-01","amount":"1.5","currency":"USD","provider":"aws","account_id":"1","service":"S3","region":"us-east-1","resource_id":"r","usage":{"amount":"3.5","unit":"GB"},"tags":["team:web","env:prod","team:data"]}`,
		`{"amount":"2","service":"Caf\u00e9 \"x\"","tags":["a\"b:c"],"usage":{"amount":7,"unit":null}}`,
		`{"amount":"3","tags":null,"usage":null,"region":null}`,
		` { "amount" : "4" , "tags" : [ "k:v" ] } `,
	}
	for _, raw := range rows {
		fast, err := api.ScanCost([]byte(raw))
		slow, err2 := api.DecodeCost([]byte(raw))
		if err != nil || err2 != nil {
			t.Fatalf("%s: %v %v", raw, err, err2)
		}
		if fast.Amount != slow.Amount || fast.Service != slow.Service || fast.Region != slow.Region || fast.AccruedAt != slow.AccruedAt {
			t.Errorf("%s: fast %+v, slow %+v", raw, fast, slow)
		}
		var list []string
		json.Unmarshal(slow.Tags, &list)
		want := map[string]string{}
		for _, tg := range list {
			k, v, _ := strings.Cut(tg, ":")
			want[k] = v
		}
		tags, _, err := readTags(fast.Tags, nil)
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]string
		if err := json.Unmarshal([]byte(tagsObject(tags)), &got); err != nil {
			t.Fatalf("tags JSON: %v", err)
		}
		if len(got) != len(want) {
			t.Errorf("%s: tags %v, want %v", raw, got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: tag %q = %q, want %q", raw, k, got[k], v)
			}
		}
	}
	for raw, want := range map[string][2]string{
		`{"amount":"3.5","unit":"GB"}`:   {"3.5", "GB"},
		`{"amount":7,"unit":null}`:       {"7", ""},
		`{"unit":"H\u0072s","amount":1}`: {"1", "Hrs"},
	} {
		if a, u := usage(json.RawMessage(raw)); a != want[0] || u != want[1] {
			t.Errorf("usage(%s) = %q %q, want %q", raw, a, u, want)
		}
	}
}

// TestScanTagsAgreesWithDecoder: the one-pass tags reader gives what
// encoding/json gives, or declines.
func TestScanTagsAgreesWithDecoder(t *testing.T) {
	for _, raw := range []string{`[]`, ` [ "a:b" , "c" ] `, `["aws:ecs:serviceName:frontend","x:"]`, `["a\"b:c"]`, `["é:1"]`, `["a:b",]`, `["a:b"`, `[1]`, `["a:b"] x`} {
		fast, fastRaw, ok := scanTags([]byte(raw), nil)
		var list []string
		err := json.Unmarshal([]byte(raw), &list)
		if !ok {
			continue
		}
		if err != nil {
			t.Errorf("%s: the fast reader accepted what JSON refuses", raw)
			continue
		}
		compact, _ := json.Marshal(list)
		if string(compact) != fastRaw || len(fast) != len(list) {
			t.Errorf("%s: fast %v %s, decoder %v %s", raw, fast, fastRaw, list, compact)
		}
	}
}

// TestServerTextInPullErrorsIsScrubbed: a server that puts the token, in
// another spelling, into a field the pull quotes in its error (a date, the
// total) never gets it printed: pull errors go through the client's
// scrubber, like the client's own.
func TestServerTextInPullErrorsIsScrubbed(t *testing.T) {
	hex := strings.TrimPrefix(apitest.ReadToken, "vntg_tkn_")
	for name, body := range map[string]string{
		"accrued_at": `{"links":{"next":null},"total_cost":{"amount":"1.00","currency":"USD"},"costs":[{"accrued_at":"` + strings.ToUpper(hex) + `","amount":"1","currency":"USD"}]}`,
		"amount":     `{"links":{"next":null},"total_cost":{"amount":"1.00","currency":"USD"},"costs":[{"accrued_at":"2026-10-01","amount":"` + hex + `","currency":"USD"}]}`,
		"total_cost": `{"links":{"next":null},"total_cost":{"amount":"x` + hex + `","currency":"USD"},"costs":[]}`,
		"tags":       `{"links":{"next":null},"total_cost":{"amount":"1.00","currency":"USD"},"costs":[{"accrued_at":"2026-10-01","amount":"1","currency":"USD","tags":{"k":"` + hex + `"}}]}`,
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, body)
		}))
		c, err := api.NewClient(apitest.ReadToken, api.WithBaseURL(srv.URL+"/v2"), api.WithMaxRetries(0))
		if err != nil {
			t.Fatal(err)
		}
		_, err = Run(context.Background(), c, Options{Query: query(1000), Format: "focus-csv", Output: filepath.Join(t.TempDir(), "x.csv")})
		srv.Close()
		if err == nil {
			t.Fatalf("%s: no error", name)
		}
		if strings.Contains(strings.ToLower(err.Error()), hex) {
			t.Errorf("%s: the error shows the token: %v", name, err)
		}
	}
}

// TestRowIDsNumberIdenticalRows: every row's ID is its content's hash and
// how many identical rows came before it in the file, across the table's
// growth, as a plain map of every hash would number them; formats without
// x_RowId keep no table.
func TestRowIDsNumberIdenticalRows(t *testing.T) {
	ids := &rowIDs{}
	want := map[string]int{}
	for i := range 200_000 {
		raw := fmt.Appendf(nil, `{"accrued_at":"2026-10-01","amount":"%d","currency":"USD"}`, i%150_000) // 50,000 repeated
		sum := sha256.Sum256(raw)
		h := hex.EncodeToString(sum[:16])
		id := ids.next(raw)
		if exp := fmt.Sprintf("%s-%d", h, want[h]); id != exp {
			t.Fatalf("row %d: ID %s, want %s", i, id, exp)
		}
		want[h]++
	}
	if ids.n != 150_000 || len(ids.again) != 50_000 {
		t.Errorf("%d distinct rows kept and %d repeated, want 150000 and 50000", ids.n, len(ids.again))
	}
	if got := ids.next([]byte(`{"accrued_at":"2026-10-01","amount":"7","currency":"USD"}`)); !strings.HasSuffix(got, "-2") {
		t.Errorf("the third identical row: %s", got)
	}
	for _, format := range []string{"csv", "parquet"} {
		w, _ := NewRowWriter(format, io.Discard, WriterOptions{DateBin: "day"})
		var per period
		switch w := w.(type) {
		case *csvWriter:
			per = w.per
		case *rawParquet:
			per = w.per
		}
		if per.ids != nil {
			t.Errorf("%s writes no x_RowId, yet keeps a row ID table", format)
		}
	}
}
