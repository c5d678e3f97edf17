package pull

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
	return s, c
}

func query(limit int) api.CostsQuery {
	return api.CostsQuery{CostReportToken: apitest.ReportToken, StartDate: "2026-10-01", EndDate: "2026-10-31", DateBin: "day", Limit: limit}
}

func TestFormats(t *testing.T) {
	_, c := setup(t, 2345)
	dir := t.TempDir()
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			out := filepath.Join(dir, "costs."+format)
			res, err := Run(context.Background(), c, Options{Query: query(1000), Format: format, Output: out})
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
				want := CSVColumns
				if format == "focus-csv" {
					want = FOCUSColumns
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

// TestFastDecodingMatchesTheGeneralDecoder: the one-pass readers of rows,
// usage and tags give what encoding/json gives, escapes and all.
func TestFastDecodingMatchesTheGeneralDecoder(t *testing.T) {
	rows := []string{
		`{"accrued_at":"2026-10-01","amount":"1.5","currency":"USD","provider":"aws","account_id":"1","service":"S3","region":"us-east-1","resource_id":"r","usage":{"amount":"3.5","unit":"GB"},"tags":[{"tag_key":"team","tag_value":"web"},{"tag_key":"env","tag_value":"prod"},{"tag_key":"team","tag_value":"data"}]}`,
		`{"amount":"2","service":"Caf\u00e9 \"x\"","tags":[{"tag_key":"a\"b","tag_value":"c"}],"usage":{"amount":7,"unit":null}}`,
		`{"amount":"3","tags":null,"usage":null,"region":null}`,
		` { "amount" : "4" , "tags" : [ { "tag_key" : "k" , "tag_value" : "v" } ] } `,
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
		var list []struct {
			Key   string `json:"tag_key"`
			Value string `json:"tag_value"`
		}
		json.Unmarshal(slow.Tags, &list)
		want := map[string]string{}
		for _, tg := range list {
			want[tg.Key] = tg.Value
		}
		var got map[string]string
		if err := json.Unmarshal([]byte(tagsJSON(fast.Tags)), &got); err != nil {
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
