package rules

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/vantage"
)

// TokenInHistory reports Vantage tokens anywhere in the git history: a
// token removed from the files is still in every clone until revoked. It
// runs with --history.
var TokenInHistory = &lint.Rule{
	ID:       "token-in-history",
	Summary:  "tokens anywhere in the git history",
	Severity: lint.Error,
	Optional: true,
	CheckAll: checkTokenInHistory,
}

func checkTokenInHistory(pass *lint.Pass) error {
	s := pass.Settings
	repos := s.Repos
	if len(repos) == 0 && s.Repo != "" {
		repos = []string{s.Repo}
	}
	if len(repos) == 0 {
		return errors.New("the history scan needs a git work tree")
	}
	var errs []error
	for _, repo := range repos {
		if err := historyOf(pass, repo); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// historyOf scans one repository's history (every ref, or
// --history-range) through git's plumbing (history.go): every blob a
// commit brought, whole, its commit messages and its path names. A
// history git cannot read to the end makes the scan incomplete; a
// shallow clone is said in a notice and the report is marked partial.
func historyOf(pass *lint.Pass, repo string) error {
	s := pass.Settings
	ctx := pass.Context
	if ctx == nil {
		ctx = context.Background()
	}
	vd, err := secretDetector(false)
	if err != nil {
		return err
	}
	var g *repoGitleaks
	if s.AllSecrets {
		// gitleaks' rules as the repository configures them (under
		// review, as its base does); never the Vantage rules.
		if g = gitleaksFor(s, repo); g.err != nil {
			return g.err
		}
		for _, a := range g.applied {
			s.Applied(a)
		}
	}
	shown := lint.DisplayName(s.Cwd, repo)
	incomplete := func(why error) error {
		return fmt.Errorf("%w: the history of %s could not be read to the end (%s), so not all of it was scanned; repair or fully fetch the repository (git fsck, git fetch --unshallow)",
			lint.ErrIncomplete, shown, lint.Printable(vantage.Redact(firstLine(why.Error()))))
	}
	h := &historyReader{repo: repo, ctx: ctx}
	if h.shallow() {
		what := fmt.Sprintf("the history of %s is shallow", shown)
		s.Partial(what)
		pass.Report(lint.Diagnostic{Path: shown, Severity: lint.Notice, Span: lint.Span{Anchor: "shallow"},
			Message: what + " (cloned with a depth): commits before its boundary were not read; fetch them (git fetch --unshallow, or actions/checkout with fetch-depth: 0) for a whole-history scan"})
	}
	ids, err := h.commits(s.HistoryRange)
	if err != nil {
		return incomplete(err)
	}
	if err := h.startCat(); err != nil {
		return incomplete(err)
	}
	defer h.stopCat()

	hs := &historyScan{h: h, vantage: vd, gitleaks: g, memo: map[string][]historyHit{}}
	type key struct{ commit, file, secret string }
	seen := map[key]bool{}
	var found []historyFinding
	var missing []string
	add := func(hf historyFinding) {
		if g != nil && !isVantageRule(hf.hit.rule) && g.ignoredAt(hf.commit, hf.file, hf.hit.rule, hf.hit.line) {
			return
		}
		k := key{hf.commit, hf.where + "\x00" + hf.file, hf.hit.value}
		if !seen[k] {
			seen[k] = true
			found = append(found, hf)
		}
	}
	walkErr := h.diffs(ids, func(cd commitDiff) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		for _, e := range cd.entries {
			if e.blob == "" {
				continue // deleted here
			}
			for _, hit := range hs.inName(e.path) {
				add(historyFinding{commit: cd.commit, file: e.path, where: "name", hit: hit})
			}
			if e.mode == "160000" {
				continue // a submodule's commit
			}
			hits, err := hs.blob(e.blob, e.path, cd.commit)
			if errors.Is(err, errMissing) {
				missing = append(missing, e.blob)
				continue
			}
			if err != nil {
				return err
			}
			if len(hits) == 0 {
				continue
			}
			// What a parent's version of the path already held was
			// reported where it was added (or lies beyond the range).
			had := map[string]bool{}
			for _, pb := range e.parents {
				if pb == "" {
					continue
				}
				ph, err := hs.blob(pb, e.path, cd.commit)
				if err != nil && !errors.Is(err, errMissing) {
					return err
				}
				for _, p := range ph {
					had[p.value] = true
				}
			}
			for _, hit := range hits {
				if !had[hit.value] {
					add(historyFinding{commit: cd.commit, file: e.path, hit: hit})
				}
			}
		}
		return nil
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	var partial error
	if walkErr != nil {
		partial = incomplete(walkErr)
	}
	// Commit messages, and the dates findings are reported with.
	dates := map[string]string{}
	for _, id := range ids {
		if partial != nil {
			break
		}
		date, msg, err := h.commitObject(id)
		if err != nil {
			partial = incomplete(err)
			break
		}
		dates[id] = date
		for _, hit := range hs.inText(msg) {
			add(historyFinding{commit: id, file: "COMMIT_MSG", where: "message", hit: hit})
		}
	}
	if partial == nil && len(hs.overBudget) > 0 {
		partial = fmt.Errorf("%w (and %d more blobs)", hs.overBudget[0], len(hs.overBudget)-1)
	}
	if partial == nil && len(missing) > 0 {
		partial = incomplete(fmt.Errorf("%d objects are missing, such as %s", len(missing), missing[0]))
	}
	sort.SliceStable(found, func(i, j int) bool {
		a, b := found[i], found[j]
		if a.file != b.file {
			return a.file < b.file
		}
		return a.commit < b.commit
	})
	for _, hf := range found {
		reportHistory(pass, repo, hf, dates[hf.commit])
	}
	return partial
}

// historyFinding is a secret found in the history: in a file's content at
// a commit, in a path's name (where "name") or in a commit's message
// (where "message").
type historyFinding struct {
	commit, file, where string
	hit                 historyHit
}

// reportHistory reports one secret found in the history.
func reportHistory(pass *lint.Pass, repo string, hf historyFinding, date string) {
	s := pass.Settings
	k := hf.hit
	what, fix := "a secret", "rotate it with whoever issued it now"
	if kind := vantage.ClassifyToken(k.value); kind.IsSecret() && isVantageRule(k.rule) {
		what, fix = "a Vantage "+strings.TrimPrefix(kind.String(), "Vantage "), "revoke it in Vantage now"
	} else if k.rule != "" {
		what = fmt.Sprintf("a secret (gitleaks rule %s)", k.rule)
	}
	short := hf.commit
	if len(short) > 7 {
		short = short[:7]
	}
	if date != "" {
		date = " (" + date + ")"
	}
	name := hf.file
	if s.Cwd != "" {
		name = lint.DisplayName(s.Cwd, filepath.Join(repo, filepath.FromSlash(hf.file)))
	}
	where := "was committed in " + short + date
	anchor := hf.commit + "\x00" + k.value
	switch hf.where {
	case "name":
		where = "is in the name of a file committed in " + short + date
		anchor = hf.commit + "\x00name\x00" + k.value
		// The name itself is the leak: shown with the secret masked.
		name = strings.ReplaceAll(name, k.value, vantage.Mask(k.value))
	case "message":
		where = "is in the message of commit " + short + date
		anchor = hf.commit + "\x00message\x00" + k.value
	}
	pass.Report(lint.Diagnostic{Path: name, DetectorRule: k.rule, Commit: hf.commit, AuthorDate: strings.Trim(date, " ()"),
		Span: lint.Span{Line: k.line, Col: k.col, EndLine: k.line, EndCol: k.col + len([]rune(k.value)), Anchor: anchor},
		Message: fmt.Sprintf("%s (%s) %s and stays in the history even where it was later removed; %s (rewriting history does not un-leak it)",
			what, vantage.Mask(k.value), where, fix)})
}

// limitedBuffer keeps the first 4 KiB written to it: enough of git's
// stderr to say what failed, never unbounded.
type limitedBuffer struct{ bytes.Buffer }

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := 4096 - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// firstLine is s up to its first newline.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
