package pull

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rshade/finfocus-vantage/internal/atomicfile"
	"github.com/rshade/finfocus-vantage/vantage"
	"github.com/rshade/finfocus-vantage/vantage/api"
)

// A dataset is a folder of hive-style partitions by billing period, one
// file each, with a manifest written last:
//
//	DIR/billing_period=2026-10/part-0.parquet
//	DIR/billing_period=2026-11/part-0.parquet
//	DIR/manifest.json
//
// Each month is its own query (the requested period clipped to the
// month), reconciled with its own total_cost, its rows sorted so that a
// re-run writes the same bytes, written under a temporary name and
// swapped in whole. A failed run leaves every existing partition as it
// was; months a run finished are recorded in DIR/.progress.json so that
// running it again does not fetch them again.

// ManifestName is the manifest's file name in a dataset folder.
const ManifestName = "manifest.json"

// DatasetOptions say what to pull into a dataset.
type DatasetOptions struct {
	// Dir is the dataset folder; it is created if missing.
	Dir string
	// Query is the whole period; each month is pulled on its own.
	Query api.CostsQuery
	// Format is any of Formats (default focus-parquet).
	Format string
	RawCSV bool
	// Tool names the program ("finfocus-vantage 1.2.3").
	Tool string
	// Restate is how many of the latest billing periods are pulled again
	// even when the dataset holds them: the open month and the one before
	// by default (2), as providers restate a closed month for weeks.
	Restate int
	// Now decides the open month.
	Now time.Time
	// OnPage and Say are told of progress, as for Run.
	OnPage func(Progress)
	Say    func(string)
}

// Manifest describes a dataset: what each partition holds and how it was
// pulled. It is written last, so a dataset without one is incomplete.
type Manifest struct {
	Tool         string   `json:"tool"`
	API          string   `json:"api"`
	FOCUSVersion string   `json:"focus_version,omitempty"`
	FOCUSSchema  string   `json:"focus_schema,omitempty"`
	Format       string   `json:"format"`
	Settings     Settings `json:"settings"`
	// StartDate and EndDate span every partition.
	StartDate  string      `json:"start_date"`
	EndDate    string      `json:"end_date"`
	Partitions []Partition `json:"partitions"`
}

// Settings are what must match for two runs to write one dataset.
type Settings struct {
	DateBin   string       `json:"date_bin"`
	Groupings []string     `json:"groupings"`
	Query     api.Settings `json:"query_settings"`
	Report    string       `json:"cost_report,omitempty"`
}

// Partition is one billing period's file.
type Partition struct {
	BillingPeriod string `json:"billing_period"`
	Path          string `json:"path"`
	SHA256        string `json:"sha256"`
	Bytes         int64  `json:"bytes"`
	Rows          int    `json:"rows"`
	StartDate     string `json:"start_date"`
	EndDate       string `json:"end_date"`
	Currency      string `json:"currency,omitempty"`
	ExactSum      string `json:"exact_sum"`
	TotalCost     string `json:"total_cost"`
}

// DatasetResult summarises a dataset run.
type DatasetResult struct {
	Manifest *Manifest
	// Pulled, Kept and Resumed are billing periods: fetched now, left as
	// they were, and finished by an interrupted run before this one.
	Pulled, Kept, Resumed []string
	Rows, Pages           int
}

// ErrDatasetBusy means another run holds the dataset's lock.
var ErrDatasetBusy = errors.New("another run is writing this dataset")

// ErrDatasetMismatch means the folder holds a dataset pulled otherwise.
var ErrDatasetMismatch = errors.New("the dataset was pulled with other settings")

// PullDataset pulls each billing period of opts.Query into opts.Dir.
func PullDataset(ctx context.Context, client *api.Client, opts DatasetOptions) (res *DatasetResult, err error) {
	defer func() { err = client.ScrubError(err) }()
	if opts.Format == "" {
		opts.Format = "focus-parquet"
	}
	if opts.Restate <= 0 {
		opts.Restate = 2
	}
	from, to := requested(opts.Query)
	if from.IsZero() {
		return nil, fmt.Errorf("a dataset needs a start and an end date")
	}
	// Never through a link inside the tree: a repository can commit one
	// where the dataset goes (the same rule as --output).
	if err := atomicfile.CheckNoLinks(opts.Dir); err != nil {
		return nil, writeErr(opts.Dir, err)
	}
	if fi, err := os.Lstat(opts.Dir); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		return nil, writeErr(opts.Dir, fmt.Errorf("%s is a symbolic link: %w", opts.Dir, atomicfile.ErrLinkInTree))
	}
	if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
		return nil, writeErr(opts.Dir, err)
	}
	unlock, err := lockDataset(opts.Dir)
	if err != nil {
		return nil, err
	}
	defer unlock()
	recoverSwaps(opts.Dir)

	report := opts.Query.CostReportToken
	if report == "" {
		report = opts.Query.WorkspaceToken
	}
	settings := Settings{DateBin: opts.Query.DateBin, Groupings: opts.Query.Groupings, Query: opts.Query.Settings,
		Report: reportName(report)}
	old, err := ReadManifest(opts.Dir)
	if err != nil {
		return nil, err
	}
	if old != nil && (old.Format != opts.Format || !sameSettings(old.Settings, settings)) {
		return nil, fmt.Errorf("%w: %s holds %s pulled with %s; pull into another folder, or remove the dataset first",
			ErrDatasetMismatch, opts.Dir, old.Format, old.Settings.describe())
	}
	progress := readProgress(opts.Dir, opts.Format, settings)

	have := map[string]Partition{}
	if old != nil {
		for _, p := range old.Partitions {
			have[p.BillingPeriod] = p
		}
	}
	open := time.Date(opts.Now.Year(), opts.Now.Month(), 1, 0, 0, 0, 0, time.UTC)
	restateFrom := open.AddDate(0, -(opts.Restate - 1), 0)

	res = &DatasetResult{}
	done := map[string]Partition{}
	// The tag keys are listed once, and only when a month is pulled.
	var keys *TagKeys
	listed := false
	defer func() { sayGuessed(keys, opts.Say) }()
	for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC); m.Before(to); m = m.AddDate(0, 1, 0) {
		bp := m.Format("2006-01")
		start, end := maxTime(m, from), minTime(m.AddDate(0, 1, 0), to)
		sd, ed := start.Format(vantage.DateLayout), end.AddDate(0, 0, -1).Format(vantage.DateLayout)
		if p, ok := progress[bp]; ok && p.StartDate == sd && p.EndDate == ed && partitionIntact(opts.Dir, p) {
			done[bp] = p
			res.Resumed = append(res.Resumed, bp)
			continue
		}
		if p, ok := have[bp]; ok && m.Before(restateFrom) && p.StartDate <= sd && p.EndDate >= ed && partitionIntact(opts.Dir, p) {
			done[bp] = p
			res.Kept = append(res.Kept, bp)
			continue
		}
		if !listed {
			if keys, err = loadTagKeys(ctx, client, opts.Format, opts.Query.Groupings, opts.Say); err != nil {
				return res, err
			}
			listed = true
		}
		q := opts.Query
		q.StartDate, q.EndDate = sd, ed
		p, r, err := pullPartition(ctx, client, opts, q, bp, keys)
		if err != nil {
			return res, fmt.Errorf("billing period %s: %w", bp, err)
		}
		res.Rows += r.Rows
		res.Pages += r.Pages
		done[bp] = *p
		res.Pulled = append(res.Pulled, bp)
		progress[bp] = *p
		if err := writeProgress(opts.Dir, opts.Format, settings, progress); err != nil {
			return res, err
		}
	}
	// Partitions of an earlier run outside this period stay, as they are.
	for bp, p := range have {
		if _, ok := done[bp]; !ok && partitionIntact(opts.Dir, p) {
			done[bp] = p
			res.Kept = append(res.Kept, bp)
		}
	}
	man := &Manifest{Tool: opts.Tool, API: APIContract, Format: opts.Format, Settings: settings}
	if strings.HasPrefix(opts.Format, "focus-") {
		man.FOCUSVersion, man.FOCUSSchema = FOCUSVersion, FOCUSSchemaRef
	}
	for _, p := range done {
		man.Partitions = append(man.Partitions, p)
	}
	sort.Slice(man.Partitions, func(i, j int) bool { return man.Partitions[i].BillingPeriod < man.Partitions[j].BillingPeriod })
	if len(man.Partitions) > 0 {
		man.StartDate, man.EndDate = man.Partitions[0].StartDate, man.Partitions[len(man.Partitions)-1].EndDate
	}
	b, _ := json.MarshalIndent(man, "", "  ")
	if err := atomicfile.WriteFileMode(filepath.Join(opts.Dir, ManifestName), append(b, '\n'), 0o600); err != nil {
		return res, writeErr(filepath.Join(opts.Dir, ManifestName), err)
	}
	os.Remove(filepath.Join(opts.Dir, progressName))
	sort.Strings(res.Kept)
	res.Manifest = man
	return res, nil
}

// pullPartition pulls one billing period: rows held in memory, sorted by
// their bytes (the API's order is not promised), reconciled, written to a
// temporary folder and swapped in whole.
func pullPartition(ctx context.Context, client *api.Client, opts DatasetOptions, q api.CostsQuery, bp string, keys *TagKeys) (*Partition, *Result, error) {
	res := &Result{}
	t := newTally(client, res, opts.OnPage, opts.Say)
	key := sha256.Sum256([]byte(q.Key())) // the query may hold a credential: only its hash is kept
	var secrets []string
	for _, s := range []string{q.CostReportToken, q.WorkspaceToken} {
		if s != "" && vantage.ClassifyToken(s).IsSecret() {
			secrets = append(secrets, s)
		}
	}
	sp, rows, err := openSpool(filepath.Join(opts.Dir, ".partial-billing_period="+bp), hex.EncodeToString(key[:]), secrets, t)
	if err != nil {
		return nil, res, err
	}
	defer sp.close()
	if sp.state.Next != "" {
		q.ResumeLink, q.ResumePage = sp.resumeLink(), sp.state.Pages+1
		if opts.Say != nil {
			opts.Say(fmt.Sprintf("billing period %s: resuming at page %d; the %d pages an interrupted run fetched are not fetched again", bp, q.ResumePage, sp.state.Pages))
		}
	}
	err = client.Costs(ctx, q, func(p *api.CostsPage) error {
		start := len(rows)
		if err := t.page(p, func(_ int, raw json.RawMessage) error {
			rows = append(rows, slices.Clone(raw))
			return nil
		}); err != nil {
			return err
		}
		// Each finished page is kept, so an interrupted run resumes after it.
		return sp.add(rows[start:], p, res.Pages)
	})
	if err != nil {
		return nil, res, err
	}
	if err := t.reconcile(); err != nil {
		sp.discard() // a pull that does not reconcile is not resumed: it starts over
		return nil, res, err
	}
	slices.SortFunc(rows, func(a, b json.RawMessage) int { return bytes.Compare(a, b) })

	dirName := "billing_period=" + bp
	final := filepath.Join(opts.Dir, dirName)
	tmp := filepath.Join(opts.Dir, ".tmp-"+dirName)
	os.RemoveAll(tmp)
	if err := os.Mkdir(tmp, 0o700); err != nil {
		return nil, res, writeErr(tmp, err)
	}
	defer os.RemoveAll(tmp)
	name := "part-0" + extension(opts.Format)
	f, err := os.OpenFile(filepath.Join(tmp, name), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, res, writeErr(filepath.Join(final, name), err)
	}
	h := sha256.New()
	cw := &countWriter{w: io.MultiWriter(f, h)}
	from, to := requested(q)
	meta := metadata(Options{Query: q, Format: opts.Format, Tool: opts.Tool})
	rw, err := NewRowWriter(opts.Format, cw, WriterOptions{DateBin: q.DateBin, RawCSV: opts.RawCSV, Metadata: fileMetadata(meta, opts.Format), From: from, To: to, TagKeys: keys})
	if err != nil {
		f.Close()
		return nil, res, err
	}
	for i, raw := range rows {
		if err := rw.Write(raw); err != nil {
			f.Close()
			var re *RowError
			if errors.As(err, &re) {
				return nil, res, fmt.Errorf("row %d: %w: %w", i+1, err, api.ErrBadResponse)
			}
			return nil, res, writeErr(filepath.Join(final, name), err)
		}
	}
	if err := errors.Join(rw.Close(), f.Sync(), f.Close()); err != nil {
		return nil, res, writeErr(filepath.Join(final, name), err)
	}
	if err := swapIn(tmp, final); err != nil {
		return nil, res, writeErr(final, err)
	}
	sp.discard() // the partition is in place: nothing to resume
	p := &Partition{BillingPeriod: bp, Path: dirName + "/" + name, SHA256: hex.EncodeToString(h.Sum(nil)), Bytes: cw.n,
		Rows: res.Rows, StartDate: q.StartDate, EndDate: q.EndDate, Currency: res.Currency,
		ExactSum: res.Exact.String(), TotalCost: res.Total.String()}
	return p, res, nil
}

// swapIn replaces final with the folder tmp: the old partition is moved
// aside, the new one renamed in, then the old one removed. A crash between
// the renames leaves final missing and the old one aside, which the next
// run puts back (recoverSwaps) before it does anything else.
func swapIn(tmp, final string) error {
	old := filepath.Join(filepath.Dir(final), ".old-"+filepath.Base(final))
	os.RemoveAll(old)
	hadOld := false
	if err := os.Rename(final, old); err == nil {
		hadOld = true
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.Rename(tmp, final); err != nil {
		if hadOld {
			os.Rename(old, final)
		}
		return err
	}
	if hadOld {
		os.RemoveAll(old)
	}
	if d, err := os.Open(filepath.Dir(final)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// recoverSwaps puts back a partition a crashed swap left aside.
func recoverSwaps(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasPrefix(name, ".old-billing_period="):
			final := filepath.Join(dir, strings.TrimPrefix(name, ".old-"))
			if _, err := os.Lstat(final); errors.Is(err, os.ErrNotExist) {
				os.Rename(filepath.Join(dir, name), final)
			} else {
				os.RemoveAll(filepath.Join(dir, name))
			}
		case strings.HasPrefix(name, ".tmp-billing_period="):
			os.RemoveAll(filepath.Join(dir, name))
		}
	}
}

// partitionIntact reports whether a partition's file is there with the
// bytes the manifest or progress file says.
func partitionIntact(dir string, p Partition) bool {
	if !strings.HasPrefix(p.Path, "billing_period="+p.BillingPeriod+"/") || strings.Contains(p.Path, "..") {
		return false
	}
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(p.Path)))
	if err != nil {
		return false
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return err == nil && n == p.Bytes && hex.EncodeToString(h.Sum(nil)) == p.SHA256
}

// ReadManifest reads DIR/manifest.json; nil when there is none.
func ReadManifest(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, writeErr(filepath.Join(dir, ManifestName), err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s is not a dataset manifest (%v); pull into another folder", filepath.Join(dir, ManifestName), err)
	}
	return &m, nil
}

const progressName = ".progress.json"

// progressFile records the partitions a run finished, for a run after an
// interruption.
type progressFile struct {
	Format     string      `json:"format"`
	Settings   Settings    `json:"settings"`
	Partitions []Partition `json:"partitions"`
}

func readProgress(dir, format string, s Settings) map[string]Partition {
	out := map[string]Partition{}
	b, err := os.ReadFile(filepath.Join(dir, progressName))
	if err != nil {
		return out
	}
	var p progressFile
	if json.Unmarshal(b, &p) != nil || p.Format != format || !sameSettings(p.Settings, s) {
		return out
	}
	for _, part := range p.Partitions {
		out[part.BillingPeriod] = part
	}
	return out
}

func writeProgress(dir, format string, s Settings, parts map[string]Partition) error {
	p := progressFile{Format: format, Settings: s}
	for _, part := range parts {
		p.Partitions = append(p.Partitions, part)
	}
	sort.Slice(p.Partitions, func(i, j int) bool { return p.Partitions[i].BillingPeriod < p.Partitions[j].BillingPeriod })
	b, _ := json.Marshal(p)
	if err := atomicfile.WriteFileMode(filepath.Join(dir, progressName), b, 0o600); err != nil {
		return writeErr(filepath.Join(dir, progressName), err)
	}
	return nil
}

func sameSettings(a, b Settings) bool {
	return a.DateBin == b.DateBin && slices.Equal(a.Groupings, b.Groupings) && a.Query == b.Query && a.Report == b.Report
}

func (s Settings) describe() string {
	return fmt.Sprintf("date_bin %q, groupings %s", s.DateBin, strings.Join(s.Groupings, ","))
}

// lockDataset takes DIR/.lock, naming this process; a lock whose process
// is gone (on this machine) is taken over.
func lockDataset(dir string) (func(), error) {
	path := filepath.Join(dir, ".lock")
	for try := 0; try < 2; try++ {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err == nil {
			host, _ := os.Hostname()
			fmt.Fprintf(f, "%d %s\n", os.Getpid(), host)
			f.Close()
			return func() { os.Remove(path) }, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, writeErr(path, err)
		}
		b, _ := os.ReadFile(path)
		fields := strings.Fields(string(b))
		host, _ := os.Hostname()
		if len(fields) == 2 && fields[1] == host {
			if pid, err := strconv.Atoi(fields[0]); err == nil && !processAlive(pid) {
				os.Remove(path) // its run is gone
				continue
			}
		}
		return nil, fmt.Errorf("%w: %s is held (%s); if no run is writing %s, remove the lock", ErrDatasetBusy, path, strings.TrimSpace(string(b)), dir)
	}
	return nil, fmt.Errorf("%w: %s", ErrDatasetBusy, path)
}

// extension is the file name ending of a format.
func extension(format string) string {
	switch format {
	case "parquet", "focus-parquet":
		return ".parquet"
	case "csv", "focus-csv":
		return ".csv"
	}
	return ".jsonl"
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// Summary says what a dataset run did, for stderr.
func (r *DatasetResult) Summary(dir string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "dataset %s: %d billing period(s) pulled (%s), %d kept as they were", dir, len(r.Pulled), strings.Join(r.Pulled, ", "), len(r.Kept))
	if len(r.Resumed) > 0 {
		fmt.Fprintf(&b, ", %d finished by an interrupted run (%s)", len(r.Resumed), strings.Join(r.Resumed, ", "))
	}
	fmt.Fprintf(&b, "; %d rows in %d pages, each period reconciled with the API's total_cost\n", r.Rows, r.Pages)
	if r.Manifest != nil {
		for _, p := range r.Manifest.Partitions {
			fmt.Fprintf(&b, "  %s  %8d rows  %s %s (API total %s)\n", p.Path, p.Rows, p.ExactSum, p.Currency, p.TotalCost)
		}
	}
	return b.String()
}

// reportName is how the manifest names the report: its identifier (rprt_…,
// wrkspc_…) as it is, never a credential (the plugin docs' cr_…, ws_…
// tokens), which is named by a hash of it instead.
func reportName(token string) string {
	if token == "" || !vantage.ClassifyToken(token).IsSecret() {
		return token
	}
	sum := sha256.Sum256([]byte(token))
	return "sha256:" + hex.EncodeToString(sum[:8])
}
