package rules

import (
	"bytes"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/rs/zerolog"
	"github.com/zricethezav/gitleaks/v8/config"
	"github.com/zricethezav/gitleaks/v8/logging"
	"github.com/zricethezav/gitleaks/v8/regexp"

	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/vantage"
)

// The gitleaks rules this project adds: gitleaks itself has none for
// Vantage. cr_/ws_ tokens count only where a Vantage or FinFocus key names
// them, since the bare prefixes are common in ordinary identifiers.
func vantageGitleaksRules() []config.Rule {
	keyed := func(prefix string) *regexp.Regexp {
		return regexp.MustCompile(`(?i)(?:vantage|finfocus)[\w.\-]{0,40}?["']?\s*(?::|=|:=|=>)\s*["']?(` + prefix + `_[A-Za-z0-9]{12,})\b`)
	}
	return []config.Rule{
		{
			RuleID:      "vantage-api-token",
			Description: "Vantage API token",
			// No \b before the token: after %20, a JSON \t escape or any
			// other byte it is still a token; none after it either: a
			// token with a word suffix (…example, …_old) is still a
			// token. Any case: an upper-cased log still carries it.
			Regex:       regexp.MustCompile(`(?i)(vntg_tkn_[0-9a-f]{40})`),
			SecretGroup: 1,
			Entropy:     3,
			Keywords:    []string{apiTokenKeyword},
		},
		{
			RuleID:      "vantage-cost-report-token",
			Description: "Vantage cost report token",
			Regex:       keyed("cr"),
			SecretGroup: 1,
			Entropy:     2.5,
			Keywords:    []string{costReportKeyword}, // the regex is costly: run it only where a cr_ value is

		},
		{
			RuleID:      "vantage-workspace-token",
			Description: "Vantage workspace token",
			Regex:       keyed("ws"),
			SecretGroup: 1,
			Entropy:     2.5,
			Keywords:    []string{workspaceKeyword},
		},
	}
}

var (
	detectorOnce    [2]sync.Once
	detectors       [2]*detector
	detectorErr     [2]error
	silenceGitleaks sync.Once
)

// secretDetector returns the shared detector: Vantage rules only, or with
// all set, gitleaks' default rules too.
func secretDetector(all bool) (*detector, error) {
	quietGitleaks()
	i := 0
	if all {
		i = 1
	}
	detectorOnce[i].Do(func() { detectors[i], detectorErr[i] = newDetector(all) })
	return detectors[i], detectorErr[i]
}

// quietGitleaks silences gitleaks' global logger, which prints secrets at
// debug level. Every use of gitleaks calls it first: the sync.Once orders
// the write before each goroutine's use.
func quietGitleaks() {
	silenceGitleaks.Do(func() { logging.Logger = zerolog.Nop() })
}

// newDetector builds a detector with the Vantage rules, and with all set
// gitleaks' default rules too.
func newDetector(all bool) (*detector, error) {
	quietGitleaks()
	cfg := config.Config{Rules: map[string]config.Rule{}, Keywords: map[string]struct{}{}}
	if all {
		var err error
		if cfg, err = defaultGitleaksConfig(); err != nil {
			return nil, err
		}
	}
	for _, r := range vantageGitleaksRules() {
		cfg.Rules[r.RuleID] = r
		cfg.OrderedRules = append(cfg.OrderedRules, r.RuleID)
		for _, k := range r.Keywords {
			cfg.Keywords[strings.ToLower(k)] = struct{}{}
		}
	}
	d := detectorFor(cfg)
	d.noAllow = map[string]bool{}
	for _, id := range vantageRuleIDs() {
		d.noAllow[id] = true
	}
	return d, nil
}

// secretHit is one credential found in a file's text.
type secretHit struct {
	start, end int // byte offsets of the value (of its encoded form, when how is set)
	value      string
	rule       string // gitleaks rule ID
	kind       vantage.TokenKind
	how        string // how the value was encoded ("base64", …); "" when plain
	// matchStart is where the rule's whole match starts, where gitleaks
	// reports a finding: before start for a multi-line match.
	matchStart int
}

type secretsKey struct{}

type secretsResult struct {
	hits []secretHit
	err  error
}

// secretsIn finds the credentials in a file, once. With an error, the
// hits found are still returned (report them, then the error). Positions are computed
// here from byte offsets of each reported value, never taken from
// gitleaks (whose lines are 0-based and columns shifted after line 1).
func secretsIn(f *lint.File, s *lint.Settings) ([]secretHit, error) {
	r := f.Memo(secretsKey{}, func() any {
		// A file holding a Vantage credential mentions vntg_tkn_ or, for
		// cr_/ws_ tokens, a Vantage key name.
		g := gatesOf(f)
		if !s.AllSecrets && !g.any() {
			return secretsResult{}
		}
		var hits []secretHit
		if g.any() {
			d, err := secretDetector(false)
			if err != nil {
				return secretsResult{err: err}
			}
			hits = vantageSecretsIn(f, d, g)
		}
		var err error
		if s.AllSecrets {
			// gitleaks' side failing (a rule past its budget) keeps what
			// the Vantage rules and the other rules found.
			var more []secretHit
			more, err = gitleaksHits(f, s, hits)
			hits = append(hits, more...)
			sort.Slice(hits, func(i, j int) bool { return hits[i].start < hits[j].start })
		}
		return secretsResult{hits: hits, err: err}
	}).(secretsResult)
	return r.hits, r.err
}

// vantageHits runs the Vantage rules on src, as its gates say: on the
// text as written (plain), and on what decoding it reveals, each decoded secret kept
// unless a plain one was found at the same place.
func vantageHits(src []byte, d *detector, g gates) []secretHit {
	detect := func(chunk string) []leak { return d.detect(fragment{raw: chunk}) }
	var hits []secretHit
	if g.plain {
		hits = detectChunks(src, detect)
	}
	var decoded []secretHit
	if g.encoded {
		for _, dh := range decodedSecrets(src, detect) {
			dh.secretHit.how = dh.how
			decoded = append(decoded, dh.secretHit)
		}
	}
	if g.split {
		decoded = append(decoded, concatenatedSecrets(src, detect)...)
	}
	return addUnlessOverlapping(hits, decoded)
}

// gates say which of the Vantage rules' searches a text needs, each
// decided by a cheap test, once: plain (a Vantage word and a keyword),
// encoded (an encoded form of the prefix), split (a piece of it beside
// a +), folded (a backslash at a line's end, for YAML strings).
type gates struct{ plain, encoded, split, folded bool }

// gatesOf decides the searches for a file or a history blob.
func gatesOf(f *lint.File) gates {
	return gates{
		plain:   mentionsVantage(f) && hasDetectorKeyword(f.Src),
		encoded: mayBeEncoded(f.Src),
		split:   mayBeSplit(f.Src),
		folded:  bytes.Contains(f.Src, []byte("\\\n")) || bytes.Contains(f.Src, []byte("\\\r\n")),
	}
}

func (g gates) any() bool { return g.plain || g.encoded || g.split || g.folded }

// vantageSecretsIn finds the Vantage credentials in a file by every route
// its gates open: as written, decoded, split across literals, under
// nested YAML or JSON keys, in folded YAML strings. Files and history
// blobs both come here, so every mode finds the same.
func vantageSecretsIn(f *lint.File, d *detector, g gates) []secretHit {
	hits := vantageHits(f.Src, d, g)
	if g.plain {
		hits = addUnlessOverlapping(hits, nestedKeyHits(f))
	}
	if g.folded {
		hits = addUnlessOverlapping(hits, foldedScalarHits(f, d))
	}
	return hits
}

// addUnlessOverlapping adds to hits the more that overlap none of them,
// sorted by place, one per place and value.
func addUnlessOverlapping(hits, more []secretHit) []secretHit {
	n := len(hits)
	for _, m := range more {
		overlaps := false
		for _, h := range hits[:n] {
			if m.start < h.end && h.start < m.end {
				overlaps = true
				break
			}
		}
		if !overlaps {
			hits = append(hits, m)
		}
	}
	if len(hits) > n {
		sort.SliceStable(hits, func(i, j int) bool { return hits[i].start < hits[j].start })
		hits = slices.CompactFunc(hits, func(a, b secretHit) bool {
			return a.start == b.start && a.end == b.end && a.value == b.value
		})
	}
	return hits
}

// The Vantage rules' keywords: a rule runs only on text holding one, case
// aside. Text holding none needs no detector at all (building it is a
// millisecond a one-file run would pay).
const (
	apiTokenKeyword   = "vntg_tkn_"
	costReportKeyword = "cr_"
	workspaceKeyword  = "ws_"
)

var detectorKeywords = [][]byte{[]byte(apiTokenKeyword), []byte(costReportKeyword), []byte(workspaceKeyword)}

// hasDetectorKeyword reports whether src holds a keyword of the Vantage
// rules in any case.
func hasDetectorKeyword(src []byte) bool {
	for _, kw := range detectorKeywords {
		if bytes.Contains(src, kw) {
			return true
		}
	}
	// The keywords in other cases: the rules ignore case.
	for i := 0; i+2 < len(src); i++ {
		if src[i+2] == '_' {
			a, b := src[i]|0x20, src[i+1]|0x20
			if (a == 'c' && b == 'r') || (a == 'w' && b == 's') ||
				(a == 'k' && b == 'n' && i >= 6 && bytes.EqualFold(src[i-6:i+3], []byte(apiTokenKeyword))) {
				return true
			}
		}
	}
	return false
}

// gitleaksHits runs gitleaks' rules, as the scanned repository configures
// them, on a file with its path (so path allowlists such as go.sum and
// path-only rules apply), leaving out Vantage identifiers, what
// .gitleaksignore lists, and values a Vantage rule already found.
func gitleaksHits(f *lint.File, s *lint.Settings, vantageHits []secretHit) ([]secretHit, error) {
	root := ""
	if s.RepoRoot != nil {
		root = s.RepoRoot(f.Name)
	}
	quietGitleaks()
	g := gitleaksFor(s, root)
	if g.err != nil {
		return nil, g.err
	}
	for _, a := range g.applied {
		s.Applied(a)
	}
	path := s.PathInRepo(f.Name)
	taken := map[int]bool{}
	for _, h := range vantageHits {
		taken[h.start] = true
	}
	var out []secretHit
	pathOnce := false
	b := newBudget()
	for _, h := range detectChunks(f.Src, func(chunk string) []leak {
		fs := g.detector.detect(fragment{raw: chunk, path: path, budget: b})
		for _, fd := range fs {
			if fd.secret == "" && !pathOnce { // a rule that matches the file's path alone
				pathOnce = true
				out = append(out, secretHit{rule: fd.rule})
			}
		}
		return fs
	}) {
		// As gitleaks reports it: at the match's first line, with no
		// judgement of this project's (identifiers and placeholders are
		// for the Vantage rules).
		line, _ := f.Position(h.matchStart)
		if taken[h.start] || g.ignored(path, h.rule, line) {
			continue
		}
		out = append(out, h)
	}
	return out, b.err(f.Name)
}

// detectChunks runs detect on the text in chunks and returns the hits,
// located in the whole text. A chunk ends at its last line break; a line
// longer than a chunk is cut, and the next chunk then starts chunkOverlap
// bytes before the cut, so a secret across the cut is seen whole in the
// next one. Each chunk keeps only the secrets that start before the next
// chunk does: none is lost at a seam and none is reported twice.
func detectChunks(src []byte, detect func(chunk string) []leak) []secretHit {
	// Chunks bound the cost of a position: gitleaks' detector finds each
	// finding's line by scanning from the start of what it was given (a
	// 10 MB file with 114,000 tokens took 103 s whole).
	var hits []secretHit
	for start := 0; start < len(src); {
		end := min(start+secretChunk, len(src))
		next := end
		if end < len(src) {
			if nl := bytes.LastIndexByte(src[start:end], '\n'); nl >= 0 {
				end = start + nl + 1
				next = end
			} else {
				next = end - chunkOverlap
			}
		}
		chunk := src[start:end]
		for _, h := range locate(chunk, detect(string(chunk))) {
			if start+h.start >= next && end < len(src) {
				continue // the next chunk, which starts here, sees it whole
			}
			h.start += start
			h.end += start
			h.matchStart += start
			hits = append(hits, h)
		}
		start = next
	}
	return hits
}

const (
	// secretChunk is the most text given to the detector at once.
	secretChunk = 64 << 10
	// chunkOverlap is how far a chunk reaches back into a line its
	// predecessor cut: longer than any secret a rule reports on one line.
	chunkOverlap = 4 << 10
)

// locate turns detector findings into hits where each was matched,
// skipping placeholders and values that are not secrets. When several
// rules report one value at one place, the specific rule names it.
func locate(src []byte, findings []leak) []secretHit {
	at := map[int]int{} // start → index in hits
	var hits []secretHit
	for _, fd := range findings {
		v := fd.secret
		// Placeholders are this project's judgement, for the Vantage
		// rules only: gitleaks' rules report what gitleaks reports.
		if v == "" || isVantageRule(fd.rule) && (vantage.IsPlaceholder(v) || vantage.IsPlaceholder(strings.ToLower(v))) {
			continue
		}
		start, end := fd.start, fd.start+len(v)
		switch {
		case fd.end > 0 && start >= 0 && fd.end <= len(src):
			end = fd.end // found after decoding: the encoded text's span
		case start < 0 || end > len(src) || string(src[start:end]) != v:
			continue // not where the detector said: never guess a place
		}
		kind := vantage.ClassifyToken(v)
		if kind != vantage.APIToken && vantage.ClassifyToken(strings.ToLower(v)) == vantage.APIToken {
			kind = vantage.APIToken // an upper-cased token is the same secret
		}
		h := secretHit{start: start, end: end, value: v, rule: fd.rule, kind: kind, matchStart: min(fd.matchStart, start)}
		// One value at one place found by several Vantage rules: the
		// specific one names it. gitleaks' rules are kept apart, each as
		// gitleaks reports it (its detector already prefers a specific
		// rule where gitleaks does).
		key := start
		if !isVantageRule(fd.rule) {
			key = -1 - len(hits) // never a duplicate
		}
		if j, dup := at[key]; dup {
			if hits[j].rule == genericRule || (h.rule != genericRule && h.rule < hits[j].rule) {
				hits[j] = h
			}
			continue
		}
		at[key] = len(hits)
		hits = append(hits, h)
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].start < hits[j].start })
	return hits
}

// genericRule is gitleaks' catch-all rule, named only when no specific
// rule matches.
const genericRule = "generic-api-key"
