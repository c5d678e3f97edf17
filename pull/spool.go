package pull

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/rshade/finfocus-vantage/internal/atomicfile"
	"github.com/rshade/finfocus-vantage/vantage/api"
)

// A spool keeps the pages a dataset's billing period has fetched so far,
// so that a run after an interruption goes on from the next page instead
// of the first: rows.bin holds the rows as the API sent them, each after
// its length (8 bytes, big-endian), and state.json the next link, the
// pages done, the rows file's length after them and the API's total. A
// spool is for one query (Key): another query starts over.
type spool struct {
	dir   string
	rows  *os.File
	state spoolState
	// secrets are credentials the query sends (a cr_… report token): next
	// links repeat the query, so each is kept as {secretN}, never itself.
	secrets []string
}

type spoolState struct {
	Key   string      `json:"key"`
	Next  string      `json:"next"`
	Pages int         `json:"pages"`
	Bytes int64       `json:"bytes"`
	Total *api.Amount `json:"total,omitempty"`
}

// maxSpoolRow bounds one spooled row: a row is a few hundred bytes.
const maxSpoolRow = 16 << 20

// openSpool opens dir's spool for the query key, and returns the rows
// already fetched, summed into t (so the run reconciles as a whole).
func openSpool(dir, key string, secrets []string, t *tally) (*spool, []json.RawMessage, error) {
	sp := &spool{dir: dir, state: spoolState{Key: key}, secrets: secrets}
	var rows []json.RawMessage
	if b, err := os.ReadFile(filepath.Join(dir, "state.json")); err == nil {
		var st spoolState
		if json.Unmarshal(b, &st) == nil && st.Key == key && st.Next != "" && st.Pages > 0 {
			if got, err := readSpooled(filepath.Join(dir, "rows.bin"), st.Bytes); err == nil {
				sp.state, rows = st, got
			}
		}
	}
	if sp.state.Next == "" {
		os.RemoveAll(dir) // none, or another query's, or damaged: start over
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, writeErr(dir, err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "rows.bin"), os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, nil, writeErr(dir, err)
	}
	// Rows past the last recorded page (a page cut short) are dropped.
	if err := f.Truncate(sp.state.Bytes); err != nil {
		f.Close()
		return nil, nil, writeErr(dir, err)
	}
	if _, err := f.Seek(sp.state.Bytes, io.SeekStart); err != nil {
		f.Close()
		return nil, nil, writeErr(dir, err)
	}
	sp.rows = f
	for i, raw := range rows {
		k, err := api.ScanCostKey(raw)
		if err != nil {
			return nil, nil, fmt.Errorf("spooled row %d: %w", i+1, err)
		}
		if err := sumInto(t.sums, k.Currency, k.Amount); err != nil {
			return nil, nil, fmt.Errorf("spooled row %d: %w", i+1, err)
		}
	}
	t.res.Rows, t.res.Pages, t.total = len(rows), sp.state.Pages, sp.state.Total
	return sp, rows, nil
}

// readSpooled reads the first n bytes of rows.bin as rows.
func readSpooled(path string, n int64) ([]json.RawMessage, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReader(io.LimitReader(f, n))
	var rows []json.RawMessage
	var read int64
	for read < n {
		var size uint64
		if err := binary.Read(r, binary.BigEndian, &size); err != nil {
			return nil, err
		}
		if size > maxSpoolRow {
			return nil, errors.New("a spooled row is too long")
		}
		row := make([]byte, size)
		if _, err := io.ReadFull(r, row); err != nil {
			return nil, err
		}
		rows = append(rows, row)
		read += 8 + int64(size)
	}
	return rows, nil
}

// add records a finished page: its rows, then the state after it.
func (sp *spool) add(rows []json.RawMessage, p *api.CostsPage, pages int) error {
	w := bufio.NewWriter(sp.rows)
	for _, raw := range rows {
		var size [8]byte
		binary.BigEndian.PutUint64(size[:], uint64(len(raw)))
		w.Write(size[:])
		w.Write(raw)
		sp.state.Bytes += 8 + int64(len(raw))
	}
	if err := w.Flush(); err != nil {
		return writeErr(sp.dir, err)
	}
	if err := sp.rows.Sync(); err != nil {
		return writeErr(sp.dir, err)
	}
	next := p.Links.Next
	for i, s := range sp.secrets {
		next = strings.ReplaceAll(next, s, fmt.Sprintf("{secret%d}", i))
	}
	sp.state.Next, sp.state.Pages = next, pages
	if p.TotalCost != nil {
		sp.state.Total = p.TotalCost
	}
	b, _ := json.Marshal(sp.state)
	if err := atomicfile.WriteFileMode(filepath.Join(sp.dir, "state.json"), b, 0o600); err != nil {
		return writeErr(sp.dir, err)
	}
	return nil
}

// resumeLink is the next link to go on from, with the secrets put back.
func (sp *spool) resumeLink() string {
	next := sp.state.Next
	for i, s := range sp.secrets {
		next = strings.ReplaceAll(next, fmt.Sprintf("{secret%d}", i), s)
	}
	return next
}

func (sp *spool) close() {
	if sp.rows != nil {
		sp.rows.Close()
	}
}

// discard removes the spool: the period is done, or must start over.
func (sp *spool) discard() {
	sp.close()
	sp.rows = nil
	os.RemoveAll(sp.dir)
}
