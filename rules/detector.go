package rules

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	ahocorasick "github.com/BobuSumisu/aho-corasick"
	"github.com/zricethezav/gitleaks/v8/config"
	"github.com/zricethezav/gitleaks/v8/detect/codec"

	"github.com/rshade/finfocus-vantage/lint"
)

// detector finds secrets in text the way gitleaks' detector does, over a
// gitleaks configuration: the same rules, keywords, secret groups, entropy
// thresholds, path-only rules, global and per-rule allowlists (commits,
// paths, regexes with their target, stop words, AND/OR conditions),
// required rules, the gitleaks:allow comment and the preference of a
// specific rule over a generic one. It is this project's own so that the
// binary links only gitleaks' configuration, not its detector, whose
// sources and reports bring archive, file-type and template libraries
// that every run would pay to initialise (bench/init-budget.sh).
// TestDetectorAgreesWithGitleaks holds it to gitleaks' own on the same
// configuration. Decoding passes are not run (gitleaks' are off here too).
type detector struct {
	cfg       config.Config
	prefilter *ahocorasick.Trie
	// noAllow are the rules that gitleaks' allow comment does not
	// excuse: this project's own (the Vantage rules). A comment in the
	// scanned text waives gitleaks' rules only, as gitleaks documents it,
	// never a Vantage token.
	noAllow map[string]bool
	// maxDecodeDepth is how many decoding passes gitleaks' own decoder
	// (its codec package: base64, hex, percent, unicode escapes) makes
	// after the plain one, as gitleaks' --max-decode-depth; 0 for none.
	maxDecodeDepth int
}

// fragment is text to search: a file's content, or the lines a commit
// added to a file.
type fragment struct {
	raw    string
	path   string
	commit string
	// budget, when set, bounds each rule's work on one file across its
	// fragments: a repository's .gitleaks.toml chooses the rules.
	budget *budget
}

// A rule's work on one file is bounded: past maxRuleMatches matches or
// maxRuleTime, it stops there and the budget says so, so that the scan is
// reported incomplete, naming the rule, never silently short.
const (
	maxRuleMatches = 10000
	maxRuleTime    = 2 * time.Second
)

// budget is what each rule has spent on one file.
type budget struct {
	spent    map[string]time.Duration
	matches  map[string]int
	exceeded map[string]string // rule → why
}

func newBudget() *budget {
	return &budget{spent: map[string]time.Duration{}, matches: map[string]int{}, exceeded: map[string]string{}}
}

// err is the incomplete-scan error for the rules that ran out, or nil.
func (b *budget) err(path string) error {
	if b == nil || len(b.exceeded) == 0 {
		return nil
	}
	ids := make([]string, 0, len(b.exceeded))
	for id, why := range b.exceeded {
		ids = append(ids, fmt.Sprintf("%s (%s)", id, why))
	}
	sort.Strings(ids)
	return fmt.Errorf("%w: gitleaks rule %s stopped on %s before the end of it, so that file was not fully searched; make the rule's regex more specific in .gitleaks.toml",
		lint.ErrIncomplete, strings.Join(ids, ", "), path)
}

// leak is one secret found. line is 0-based in the fragment.
type leak struct {
	rule   string
	secret string
	match  string
	line   int
	column int // 1-based, of the match
	start  int // byte offset of the secret in the fragment
	// matchStart is the byte offset of the whole match, where gitleaks
	// places a finding (its line, for a match over several lines).
	matchStart int
	// end, set for a secret found after decoding, is where its encoded
	// form ends in the fragment (start is where it begins).
	end int
}

const (
	allowSignature = "gitleaks:allow"
	genericRuleID  = "generic"
)

// detectorFor builds a detector over a gitleaks configuration.
func detectorFor(cfg config.Config) *detector {
	kws := make([]string, 0, len(cfg.Keywords))
	for k := range cfg.Keywords {
		kws = append(kws, k)
	}
	return &detector{cfg: cfg, prefilter: ahocorasick.NewTrieBuilder().AddStrings(kws).Build()}
}

// detect returns the secrets in f.
func (d *detector) detect(f fragment) []leak {
	if f.path != "" && f.path == d.cfg.Path {
		return nil
	}
	if pathOrCommitAllowed(f, d.cfg.Allowlists) {
		return nil
	}
	lower := strings.ToLower(f.raw)
	present := map[string]bool{}
	for _, m := range d.prefilter.MatchString(lower) {
		present[lower[m.Pos():int(m.Pos())+len(m.Match())]] = true
	}
	var out []leak
	for _, r := range d.cfg.Rules {
		if len(r.Keywords) > 0 {
			found := false
			for _, k := range r.Keywords {
				if present[strings.ToLower(k)] {
					found = true
					break
				}
			}
			if !found {
				continue
			}
		}
		if f.budget == nil {
			out = append(out, d.detectRule(f, r, false)...)
			continue
		}
		if f.budget.exceeded[r.RuleID] != "" {
			continue
		}
		start := time.Now()
		out = append(out, d.detectRule(f, r, false)...)
		if f.budget.spent[r.RuleID] += time.Since(start); f.budget.spent[r.RuleID] > maxRuleTime {
			f.budget.exceeded[r.RuleID] = fmt.Sprintf("over %v", maxRuleTime)
		}
	}
	if d.maxDecodeDepth > 0 {
		out = append(out, d.detectDecoded(f)...)
	}
	return preferSpecific(out)
}

// decodePass is a decoded form of a fragment and the segments that map
// it back.
type decodePass struct {
	raw  string
	segs []*codec.EncodedSegment
}

// detectDecoded runs the rules on what gitleaks' decoder makes of the
// fragment, pass by pass, as gitleaks does: a match counts only where it
// overlaps decoded text, and is placed on the encoded text.
func (d *detector) detectDecoded(f fragment) []leak {
	var out []leak
	dec := codec.NewDecoder()
	raw, segs := f.raw, []*codec.EncodedSegment(nil)
	for depth := 1; depth <= d.maxDecodeDepth; depth++ {
		raw, segs = dec.Decode(raw, segs)
		if len(segs) == 0 {
			break
		}
		lower := strings.ToLower(raw)
		present := map[string]bool{}
		for _, m := range d.prefilter.MatchString(lower) {
			present[lower[m.Pos():int(m.Pos())+len(m.Match())]] = true
		}
		for _, r := range d.cfg.Rules {
			if len(r.Keywords) > 0 && !slices.ContainsFunc(r.Keywords, func(k string) bool { return present[strings.ToLower(k)] }) {
				continue
			}
			if f.budget != nil && f.budget.exceeded[r.RuleID] != "" {
				continue
			}
			out = append(out, d.detectRuleIn(f, r, false, &decodePass{raw: raw, segs: segs})...)
		}
	}
	return out
}

// detectRule applies one rule to a fragment.
func (d *detector) detectRule(f fragment, r config.Rule, inherited bool) []leak {
	return d.detectRuleIn(f, r, inherited, nil)
}

// detectRuleIn applies one rule to a fragment, or to a decoded form of it.
func (d *detector) detectRuleIn(f fragment, r config.Rule, inherited bool, dp *decodePass) []leak {
	if r.SkipReport && !inherited {
		return nil
	}
	if pathOrCommitAllowed(f, r.Allowlists) {
		return nil
	}
	if r.Path != nil {
		if !r.Path.MatchString(f.path) {
			return nil
		}
		if r.Regex == nil {
			return []leak{{rule: r.RuleID, match: "file detected: " + f.path}}
		}
	}
	if r.Regex == nil {
		return nil
	}
	var out []leak
	// Matches come in order: lines are counted from the previous match,
	// so many matches on one long line stay linear.
	at, line, lineStart := 0, 0, 0
	limit := -1
	if f.budget != nil {
		limit = maxRuleMatches - f.budget.matches[r.RuleID] + 1
	}
	text := f.raw
	if dp != nil {
		text = dp.raw
	}
	matches := r.Regex.FindAllStringIndex(text, limit)
	if f.budget != nil {
		if f.budget.matches[r.RuleID] += len(matches); f.budget.matches[r.RuleID] > maxRuleMatches {
			f.budget.exceeded[r.RuleID] = fmt.Sprintf("over %d matches", maxRuleMatches)
			matches = matches[:max(0, len(matches)-1)]
		}
	}
	for _, m := range matches {
		secret := strings.Trim(text[m[0]:m[1]], "\n")
		lead := strings.Index(text[m[0]:m[1]], secret) // newlines trimmed before it
		decodedEnd := 0
		if dp != nil {
			// A match in decoded text: only where it overlaps what was
			// decoded (the rest was searched already), placed on the
			// encoded text it came from.
			segs := codec.SegmentsWithDecodedOverlap(dp.segs, m[0], m[1])
			if len(segs) == 0 {
				continue
			}
			om := codec.AdjustMatchIndex(segs, []int{m[0], m[1]})
			m, lead, decodedEnd = om, 0, om[1]
			at, line, lineStart = 0, 0, 0 // positions from the start: decoded matches are few
		}
		end := m[0] + lead + len(secret)
		if dp != nil {
			end = min(decodedEnd, len(f.raw))
		}
		if nl := strings.Count(f.raw[at:m[0]], "\n"); nl > 0 {
			line += nl
			lineStart = strings.LastIndexByte(f.raw[at:m[0]], '\n') + at + 1
		}
		at = m[0]
		lineEnd := strings.IndexByte(f.raw[end:], '\n')
		if lineEnd < 0 {
			lineEnd = len(f.raw)
		} else {
			lineEnd += end
		}
		l := leak{rule: r.RuleID, match: secret, secret: secret,
			line: line, column: m[0] - lineStart + 1, start: m[0] + lead, matchStart: m[0] + lead, end: decodedEnd}
		line := f.raw[lineStart:lineEnd]
		if !d.noAllow[r.RuleID] && strings.Contains(line, allowSignature) {
			continue
		}
		if groups := r.Regex.FindStringSubmatch(secret); len(groups) >= 2 {
			if r.SecretGroup > 0 {
				if len(groups) <= r.SecretGroup {
					continue
				}
				l.secret = groups[r.SecretGroup]
			} else {
				for _, g := range groups[1:] {
					if g != "" {
						l.secret = g
						break
					}
				}
			}
			if i := strings.Index(secret, l.secret); i >= 0 && dp == nil {
				l.start += i
			}
		}
		if r.Entropy != 0 && shannonEntropy(l.secret) <= r.Entropy {
			continue
		}
		if leakAllowed(l, f, line, d.cfg.Allowlists) || leakAllowed(l, f, line, r.Allowlists) {
			continue
		}
		out = append(out, l)
	}
	if inherited || len(r.RequiredRules) == 0 || len(out) == 0 || dp != nil {
		return out
	}
	return d.withRequired(f, r, out)
}

// withRequired keeps the findings of a multi-part rule that have, for each
// required rule, a finding of it within the required distance.
func (d *detector) withRequired(f fragment, r config.Rule, primary []leak) []leak {
	found := map[string][]leak{}
	for _, req := range r.RequiredRules {
		if rule, ok := d.cfg.Rules[req.RuleID]; ok {
			found[req.RuleID] = d.detectRule(f, rule, true)
		}
	}
	var out []leak
	for _, p := range primary {
		ok := true
		for _, req := range r.RequiredRules {
			near := false
			for _, q := range found[req.RuleID] {
				if (req.WithinLines == nil || abs(p.line-q.line) <= *req.WithinLines) &&
					(req.WithinColumns == nil || abs(p.column-q.column) <= *req.WithinColumns) {
					near = true
					break
				}
			}
			if !near {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, p)
		}
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// pathOrCommitAllowed reports whether an allowlist excuses the whole
// fragment by its path or commit.
func pathOrCommitAllowed(f fragment, lists []*config.Allowlist) bool {
	if f.path == "" && f.commit == "" {
		return false
	}
	for _, a := range lists {
		commitOK, _ := a.CommitAllowed(f.commit)
		pathOK := a.PathAllowed(f.path)
		if a.MatchCondition == config.AllowlistMatchAnd {
			if len(a.Regexes) > 0 || len(a.StopWords) > 0 {
				continue // decided per finding
			}
			var checks []bool
			if len(a.Commits) > 0 {
				checks = append(checks, commitOK)
			}
			if len(a.Paths) > 0 {
				checks = append(checks, pathOK)
			}
			if allTrue(checks) {
				return true
			}
		} else if commitOK || pathOK {
			return true
		}
	}
	return false
}

// leakAllowed reports whether an allowlist excuses one finding.
func leakAllowed(l leak, f fragment, line string, lists []*config.Allowlist) bool {
	for _, a := range lists {
		target := l.secret
		switch a.RegexTarget {
		case "match":
			target = l.match
		case "line":
			target = line
		}
		regexOK := a.RegexAllowed(target)
		stopOK, _ := a.ContainsStopWord(l.secret)
		if a.MatchCondition == config.AllowlistMatchAnd {
			var checks []bool
			if len(a.Commits) > 0 {
				ok, _ := a.CommitAllowed(f.commit)
				checks = append(checks, ok)
			}
			if len(a.Paths) > 0 {
				checks = append(checks, a.PathAllowed(f.path))
			}
			if len(a.Regexes) > 0 {
				checks = append(checks, regexOK)
			}
			if len(a.StopWords) > 0 {
				checks = append(checks, stopOK)
			}
			if allTrue(checks) {
				return true
			}
		} else if regexOK || stopOK {
			return true
		}
	}
	return false
}

func allTrue(bs []bool) bool {
	for _, b := range bs {
		if !b {
			return false
		}
	}
	return true
}

// preferSpecific drops a generic rule's finding when a specific rule found
// the same secret on the same line, as gitleaks does.
func preferSpecific(ls []leak) []leak {
	var out []leak
	for _, l := range ls {
		keep := true
		if strings.Contains(strings.ToLower(l.rule), genericRuleID) {
			for _, o := range ls {
				if o.line == l.line && o.rule != l.rule && strings.Contains(o.secret, l.secret) &&
					!strings.Contains(strings.ToLower(o.rule), genericRuleID) {
					keep = false
					break
				}
			}
		}
		if keep {
			out = append(out, l)
		}
	}
	return out
}

// shannonEntropy is the Shannon entropy of s in bits per character, as
// gitleaks computes it (characters counted as runes, divided by bytes).
func shannonEntropy(s string) float64 {
	if s == "" {
		return 0
	}
	counts := map[rune]int{}
	for _, c := range s {
		counts[c]++
	}
	inv := 1.0 / float64(len(s))
	var e float64
	for _, n := range counts {
		p := float64(n) * inv
		e -= p * math.Log2(p)
	}
	return e
}
