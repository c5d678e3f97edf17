package pull_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rshade/finfocus-vantage/pull"
	"github.com/rshade/finfocus-vantage/vantage"
	"github.com/rshade/finfocus-vantage/vantage/vantagetest"
)

func setup(t *testing.T, rows int) (*vantagetest.Server, *vantage.Client) {
	t.Helper()
	s := vantagetest.NewServer()
	t.Cleanup(s.Close)
	s.SetReport(vantagetest.ReportToken, vantagetest.Report{Title: "t", WorkspaceToken: vantagetest.WorkspaceToken, Rows: rows})
	c, err := vantage.NewClient(vantagetest.ReadToken, vantage.WithBaseURL(s.URL), vantage.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

func query(limit int) vantage.CostsQuery {
	return vantage.CostsQuery{CostReportToken: vantagetest.ReportToken, StartDate: "2026-10-01", EndDate: "2026-10-31", DateBin: "day", Limit: limit}
}

func TestFormats(t *testing.T) {
	_, c := setup(t, 2345)
	dir := t.TempDir()
	for _, format := range pull.Formats {
		t.Run(format, func(t *testing.T) {
			out := filepath.Join(dir, "costs."+format)
			res, err := pull.Run(context.Background(), c, pull.Options{Query: query(1000), Format: format, Output: out})
			if err != nil {
				t.Fatal(err)
			}
			if res.Rows != 2345 || res.Pages != 3 || res.Currency != "USD" || res.Total.IsZero() {
				t.Fatalf("result %+v", res)
			}
			b, _ := os.ReadFile(out)
			switch format {
			case "jsonl", "focus-jsonl":
				lines := strings.Split(strings.TrimSpace(string(b)), "\n")
				if len(lines) != 2345 {
					t.Fatalf("%d lines", len(lines))
				}
				var row map[string]any
				if err := json.Unmarshal([]byte(lines[0]), &row); err != nil {
					t.Fatal(err)
				}
				if format == "jsonl" {
					if _, isString := row["amount"].(string); !isString {
						t.Errorf("amount is not kept as a string: %v", row["amount"])
					}
				} else if row["ChargeCategory"] != "Usage" || row["BilledCost"] == nil {
					t.Errorf("FOCUS row %v", row)
				} else if _, ok := row["Tags"].(map[string]any); !ok {
					t.Errorf("Tags is not a JSON object: %v", row["Tags"])
				}
			default:
				recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
				if err != nil || len(recs) != 2346 {
					t.Fatalf("csv: %d records, %v", len(recs), err)
				}
				want := pull.CSVColumns
				if format == "focus-csv" {
					want = pull.FOCUSColumns
				}
				if strings.Join(recs[0], ",") != strings.Join(want, ",") {
					t.Errorf("header %v", recs[0])
				}
			}
		})
	}
}

// TestNothingLostOrInvented: the rows must add up to total_cost, else no
// output, and the previous file is intact.
func TestReconciliation(t *testing.T) {
	for name, breakIt := range map[string]func(*vantagetest.Server){
		"total off by a cent": func(s *vantagetest.Server) { s.BadTotal = true },
		"mixed currencies":    func(s *vantagetest.Server) { s.MixedCurrency = true },
	} {
		t.Run(name, func(t *testing.T) {
			s, c := setup(t, 3000)
			breakIt(s)
			dir := t.TempDir()
			out := filepath.Join(dir, "costs.jsonl")
			os.WriteFile(out, []byte("previous pull\n"), 0o644)
			_, err := pull.Run(context.Background(), c, pull.Options{Query: query(1000), Format: "jsonl", Output: out})
			if !errors.Is(err, pull.ErrNotReconciled) {
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
	res, err := pull.Run(context.Background(), c, pull.Options{Query: query(1000), Format: "csv", Stdout: &buf})
	if err != nil || res.Rows != 2000 || res.Pages != 3 {
		t.Fatalf("empty last page: %+v %v", res, err)
	}
	s2, c2 := setup(t, 0)
	_ = s2
	res, err = pull.Run(context.Background(), c2, pull.Options{Query: query(1000), Format: "jsonl", Stdout: &buf})
	if err != nil || res.Rows != 0 {
		t.Fatalf("no rows: %+v %v", res, err)
	}
}

func TestCancelLeavesNoFile(t *testing.T) {
	_, c := setup(t, 5000)
	dir := t.TempDir()
	out := filepath.Join(dir, "costs.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	_, err := pull.Run(ctx, c, pull.Options{Query: query(1000), Format: "jsonl", Output: out, OnPage: func(p pull.Progress) {
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
