package pull

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/shopspring/decimal"
)

// StatusLine draws a one-line status on a terminal: pages, rows, rate and
// waits. Off when stderr is not a terminal, so CI logs stay clean.
type StatusLine struct {
	mu      sync.Mutex
	w       io.Writer
	on      bool
	started time.Time
	last    Progress
}

// NewStatusLine draws on w when it is a terminal.
func NewStatusLine(w io.Writer) *StatusLine {
	p := &StatusLine{w: w, started: time.Now()}
	if f, ok := w.(*os.File); ok {
		p.on = isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
	}
	return p
}

// Page shows a page read (Options.OnPage).
func (p *StatusLine) Page(pr Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.last = pr
	p.draw()
}

// Wait writes a wait or retry as one line of its own (api.Client.OnWait),
// on a terminal above the progress line, which is drawn again.
func (p *StatusLine) Wait(_ time.Duration, line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.on {
		fmt.Fprint(p.w, "\r\033[K")
	}
	fmt.Fprintln(p.w, line)
	p.draw()
}

// Say writes a line of its own, like Wait.
func (p *StatusLine) Say(line string) { p.Wait(0, line) }

func (p *StatusLine) draw() {
	if !p.on {
		return
	}
	pages := fmt.Sprintf("page %d", p.last.Page)
	if p.last.LastPage > 0 {
		pages += fmt.Sprintf("/%d", p.last.LastPage)
	}
	rate := float64(p.last.Rows) / max(time.Since(p.started).Seconds(), 0.001)
	fmt.Fprintf(p.w, "\r\033[K%s · %d rows · %.0f rows/s", pages, p.last.Rows, rate)
}

// Done clears the line.
func (p *StatusLine) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.on {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// WriteSummary writes rows, period, totals per provider and top services
// of a pull to output ("" for standard output).
func (r *Result) WriteSummary(w io.Writer, start, end, output string) {
	dest := "standard output"
	if output != "" {
		dest = output
	}
	fmt.Fprintf(w, "pulled %d rows in %d pages (%s … %s) to %s; total %s %s, reconciled with the API\n",
		r.Rows, r.Pages, start, end, dest, r.Total.StringFixed(2), r.Currency)
	if r.Rows > 0 {
		fmt.Fprintf(w, "  exact sum of the rows %s, API total_cost %s (rounded to cents), difference %s\n",
			r.Exact.String(), r.Total.String(), r.Difference.String())
	}
	top := func(m map[string]decimal.Decimal, n int) string {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if c := m[keys[i]].Cmp(m[keys[j]]); c != 0 {
				return c > 0
			}
			return keys[i] < keys[j]
		})
		var parts []string
		for i, k := range keys {
			if i == n {
				parts = append(parts, fmt.Sprintf("and %d more", len(keys)-n))
				break
			}
			parts = append(parts, fmt.Sprintf("%s %s", lint.Printable(k), m[k].StringFixed(2))) // names from the server
		}
		return strings.Join(parts, ", ")
	}
	if r.Rows > 0 {
		fmt.Fprintf(w, "  by provider: %s\n  top services: %s\n", top(r.ByProvider, 10), top(r.ByService, 5))
	}
}
