package pull

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/rshade/finfocus-vantage/vantage/api"
	"github.com/rshade/finfocus-vantage/vantage/api/apitest"
)

// snapshot reads every file of a dataset folder: name → bytes.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			out[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	return out
}

func datasetQuery() api.CostsQuery {
	q := query(500)
	q.StartDate, q.EndDate = "2026-09-20", "2026-11-10"
	q.Groupings = Groupings("focus-jsonl", nil)
	q.Settings = api.Settings{IncludeCredits: true, IncludeRefunds: true, IncludeTax: true, Amortize: true}
	return q
}

// TestDatasetIsByteForByteAndChecksOut: a dataset over three billing
// periods, pulled twice with every period restated, is the same bytes;
// its manifest's hashes, row counts and exact sums are the files', and
// each sum reconciles with the API's total for that period.
func TestDatasetIsByteForByteAndChecksOut(t *testing.T) {
	_, c := setup(t, 3000)
	dir := filepath.Join(t.TempDir(), "costs")
	opts := DatasetOptions{Dir: dir, Query: datasetQuery(), Format: "focus-jsonl", Tool: "finfocus-vantage test", Restate: 12,
		Now: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)}
	res, err := PullDataset(context.Background(), c, opts)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.Pulled, ",") != "2026-09,2026-10,2026-11" {
		t.Fatalf("pulled %v", res.Pulled)
	}
	first := snapshot(t, dir)
	if _, err := PullDataset(context.Background(), c, opts); err != nil {
		t.Fatal(err)
	}
	second := snapshot(t, dir)
	if len(first) != 4 || len(second) != len(first) {
		t.Fatalf("files %d then %d: %v", len(first), len(second), keys(second))
	}
	for name, b := range first {
		if second[name] != b {
			t.Errorf("%s differs between two runs of the same period", name)
		}
	}
	m, err := ReadManifest(dir)
	if err != nil || m == nil || len(m.Partitions) != 3 || m.FOCUSVersion != FOCUSVersion || m.FOCUSSchema == "" {
		t.Fatalf("manifest %+v %v", m, err)
	}
	for _, p := range m.Partitions {
		b := first[p.Path]
		sum := sha256.Sum256([]byte(b))
		if hex.EncodeToString(sum[:]) != p.SHA256 || int64(len(b)) != p.Bytes {
			t.Errorf("%s: sha256 or size is not the manifest's", p.Path)
		}
		rows, total := 0, decimal.Zero
		ids := map[string]bool{}
		sc := bufio.NewScanner(strings.NewReader(b))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var row map[string]any
			if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
				t.Fatal(err)
			}
			rows++
			total = total.Add(decimal.RequireFromString(row["BilledCost"].(string)))
			if bp := row["BillingPeriodStart"].(string); !strings.HasPrefix(bp, p.BillingPeriod) {
				t.Errorf("%s holds a row of billing period %s", p.Path, bp)
			}
			id := row["x_RowId"].(string)
			if ids[id] {
				t.Errorf("%s: row id %s twice", p.Path, id)
			}
			ids[id] = true
		}
		exact := decimal.RequireFromString(p.ExactSum)
		if rows != p.Rows || !total.Equal(exact) || !exact.Round(2).Equal(decimal.RequireFromString(p.TotalCost)) {
			t.Errorf("%s: %d rows summing to %s; manifest %d rows, %s (API %s)", p.Path, rows, total, p.Rows, p.ExactSum, p.TotalCost)
		}
	}
	if m.Partitions[0].StartDate != "2026-09-20" || m.Partitions[2].EndDate != "2026-11-10" || m.Partitions[1].StartDate != "2026-10-01" {
		t.Errorf("partition periods %+v", m.Partitions)
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestDatasetFailureKeepsPartitionsAndResumes: a run that fails on its
// second period leaves every partition and the manifest as they were; the
// next run does not fetch the period the failed one finished.
func TestDatasetFailureKeepsPartitionsAndResumes(t *testing.T) {
	s, c := setup(t, 3000)
	dir := t.TempDir()
	opts := DatasetOptions{Dir: dir, Query: datasetQuery(), Format: "focus-jsonl", Tool: "t", Restate: 12,
		Now: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)}
	if _, err := PullDataset(context.Background(), c, opts); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	// The tag keys and September's pages are answered, then October's
	// first request fails.
	faults := []apitest.Fault{{}}
	for _, r := range s.Requests() {
		if strings.Contains(r.Query, "start_date=2026-09-20") {
			faults = append(faults, apitest.Fault{})
		}
	}
	s.Inject(append(faults, apitest.Fault{Status: 500})...)
	if _, err := PullDataset(context.Background(), c, opts); err == nil || !strings.Contains(err.Error(), "billing period 2026-10") {
		t.Fatalf("err %v", err)
	}
	after := snapshot(t, dir)
	for name, b := range before {
		if after[name] != b {
			t.Errorf("%s changed after a failed run", name)
		}
	}
	for name := range after {
		if strings.HasPrefix(name, ".tmp-") || strings.HasPrefix(name, ".old-") || name == ".lock" {
			t.Errorf("left behind: %s", name)
		}
	}
	n := len(s.Requests())
	res, err := PullDataset(context.Background(), c, opts)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.Resumed, ",") != "2026-09" || strings.Join(res.Pulled, ",") != "2026-10,2026-11" {
		t.Fatalf("resumed %v, pulled %v", res.Resumed, res.Pulled)
	}
	for _, r := range s.Requests()[n:] {
		if strings.Contains(r.Query, "start_date=2026-09-20") {
			t.Errorf("September fetched again: %s", r.Query)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, progressName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("progress file left after a complete run: %v", err)
	}
}

// TestDatasetRestatesOnlyRecentPeriods: with the default window, a closed
// period the dataset holds is kept; the open month and the one before are
// pulled again.
func TestDatasetRestatesOnlyRecentPeriods(t *testing.T) {
	_, c := setup(t, 3000)
	dir := t.TempDir()
	opts := DatasetOptions{Dir: dir, Query: datasetQuery(), Format: "focus-jsonl", Tool: "t", Now: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)}
	if _, err := PullDataset(context.Background(), c, opts); err != nil {
		t.Fatal(err)
	}
	res, err := PullDataset(context.Background(), c, opts)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.Kept, ",") != "2026-09" || strings.Join(res.Pulled, ",") != "2026-10,2026-11" {
		t.Fatalf("kept %v, pulled %v", res.Kept, res.Pulled)
	}
}

// TestDatasetLockAndSettings: a held lock and a dataset pulled with other
// settings are refused before anything is fetched or written.
func TestDatasetLockAndSettings(t *testing.T) {
	s, c := setup(t, 300)
	dir := t.TempDir()
	opts := DatasetOptions{Dir: dir, Query: datasetQuery(), Format: "focus-jsonl", Tool: "t", Now: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)}
	host, _ := os.Hostname()
	os.WriteFile(filepath.Join(dir, ".lock"), []byte(fmt.Sprintf("%d %s\n", os.Getpid(), host)), 0o600)
	n := len(s.Requests())
	if _, err := PullDataset(context.Background(), c, opts); !errors.Is(err, ErrDatasetBusy) || len(s.Requests()) != n {
		t.Fatalf("held lock: %v", err)
	}
	// A lock whose process is gone is taken over.
	os.WriteFile(filepath.Join(dir, ".lock"), []byte(fmt.Sprintf("%d %s\n", 1<<30, host)), 0o600)
	if _, err := PullDataset(context.Background(), c, opts); err != nil {
		t.Fatalf("stale lock: %v", err)
	}
	opts.Query.DateBin = "month"
	if _, err := PullDataset(context.Background(), c, opts); !errors.Is(err, ErrDatasetMismatch) {
		t.Fatalf("other settings: %v", err)
	}
}

// TestDatasetResumesAfterTheLastFinishedPage: a run cut off in the middle
// of a billing period keeps the pages it finished; the next run asks for
// the page after them and not for those again, and writes the same bytes
// as a run that was never cut off.
func TestDatasetResumesAfterTheLastFinishedPage(t *testing.T) {
	s, c := setup(t, 6000)
	q := datasetQuery()
	q.Limit = 300
	now := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	clean := t.TempDir()
	if _, err := PullDataset(context.Background(), c, DatasetOptions{Dir: clean, Query: q, Format: "focus-jsonl", Tool: "t", Now: now}); err != nil {
		t.Fatal(err)
	}
	var september, october int
	for _, r := range s.Requests() {
		switch {
		case strings.Contains(r.Query, "start_date=2026-09-20"):
			september++
		case strings.Contains(r.Query, "start_date=2026-10-01"):
			october++
		}
	}
	if october < 4 {
		t.Fatalf("October takes %d pages; the test needs at least 4", october)
	}
	// Cut off after October's second page (the first request lists the
	// tag keys).
	dir := t.TempDir()
	faults := make([]apitest.Fault, 1+september+2)
	s.Inject(append(faults, apitest.Fault{Status: 500})...)
	var said []string
	opts := DatasetOptions{Dir: dir, Query: q, Format: "focus-jsonl", Tool: "t", Now: now, Say: func(l string) { said = append(said, l) }}
	if _, err := PullDataset(context.Background(), c, opts); err == nil {
		t.Fatal("the cut-off run did not fail")
	}
	n := len(s.Requests())
	if _, err := PullDataset(context.Background(), c, opts); err != nil {
		t.Fatal(err)
	}
	for _, r := range s.Requests()[n:] {
		if strings.Contains(r.Query, "start_date=2026-10-01") && (!strings.Contains(r.Query, "page=") || strings.Contains(r.Query, "page=2&") || strings.HasSuffix(r.Query, "page=2")) {
			t.Errorf("October's pages 1 or 2 fetched again: %s", r.Query)
		}
	}
	if !strings.Contains(strings.Join(said, "\n"), "billing period 2026-10: resuming at page 3") {
		t.Errorf("the resume was not said: %q", said)
	}
	a, b := snapshot(t, clean), snapshot(t, dir)
	for name, want := range a {
		if b[name] != want {
			t.Errorf("%s differs from a run that was never cut off", name)
		}
	}
	if len(b) != len(a) {
		t.Errorf("files %v, want %v", keys(b), keys(a))
	}
}

// TestDatasetNeverWritesACredential: a report named by a credential (the
// plugin docs' cr_… token) is named by a hash in the manifest, and the
// spool of an interrupted run keeps only a hash of the query.
func TestDatasetNeverWritesACredential(t *testing.T) {
	const secret = "cr_9Xk2Lm7Qp4Rt8Vw3"
	if got := reportName(secret); strings.Contains(got, secret) || !strings.HasPrefix(got, "sha256:") {
		t.Errorf("reportName(cr_…) = %q", got)
	}
	if got := reportName("rprt_3f9a1c2b7d4e6f80"); got != "rprt_3f9a1c2b7d4e6f80" {
		t.Errorf("an identifier is kept as it is: %q", got)
	}
	s, c := setup(t, 6000)
	s.SetReport(secret, apitest.Report{Title: "t", WorkspaceToken: apitest.WorkspaceToken, Rows: 6000})
	q := datasetQuery()
	q.CostReportToken, q.Limit = secret, 300
	dir := t.TempDir()
	s.Inject(apitest.Fault{}, apitest.Fault{}, apitest.Fault{}, apitest.Fault{Status: 500}) // tag keys, two pages, then cut off, leaving a spool
	opts := DatasetOptions{Dir: dir, Query: q, Format: "focus-jsonl", Tool: "t", Now: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)}
	PullDataset(context.Background(), c, opts)
	check := func() {
		t.Helper()
		for name, body := range snapshot(t, dir) {
			if strings.Contains(body, secret) || strings.Contains(name, secret) {
				t.Errorf("%s holds the credential", name)
			}
		}
	}
	check()
	var said []string
	opts.Say = func(l string) { said = append(said, l) }
	if _, err := PullDataset(context.Background(), c, opts); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(said, "\n"), "resuming at page 3") {
		t.Errorf("the run did not resume from the spool (its next link holds the credential as a placeholder): %q", said)
	}
	check()
}
