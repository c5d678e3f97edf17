package rules

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rshade/finfocus-vantage/lint"
)

// The history is read through git's plumbing, never its porcelain: a
// scanned repository (or the user's git config) chooses colour, pretty
// formats, diff drivers, big-file thresholds, root-commit display,
// replace objects and .gitattributes, and each of those could blind or
// hang a reader of `git log -p`. Here:
//
//   - `git rev-list` lists the commits (every ref, or the range asked);
//   - `git diff-tree --stdin -r -z -c --raw` lists, per commit, each path
//     whose blob differs from every parent (a merge's own content, the
//     root commit's files, type changes) with the blobs' IDs, NUL-framed;
//   - one long-lived `git cat-file --batch` returns each blob and commit
//     object, size-prefixed, so no content can be mistaken for framing.
//
// A blob is searched whole, in windows; a secret is reported at the commit
// whose version of a path holds it and no parent's version does (as a
// commit's added lines would). Commit messages and path names are
// searched too. Replace objects and grafts are ignored, and the output of
// git that does not parse stops git and makes the scan incomplete.

// historyEnv are the settings every git of the history reader runs with,
// on top of lint.HardenGit's: no replace objects, no grafts, no lazy
// fetch of missing objects.
var historyEnv = []string{"GIT_NO_REPLACE_OBJECTS=1", "GIT_GRAFT_FILE=" + os.DevNull, "GIT_NO_LAZY_FETCH=1"}

// historyConfig overrides configuration that could change the plumbing's
// output, whatever the user's or the repository's config says.
var historyConfig = []string{"-c", "advice.graftFileDeprecated=false", "-c", "core.quotePath=false", "-c", "diff.renames=false", "-c", "diff.ignoreSubmodules=none", "-c", "core.bigFileThreshold=2g"}

// historyReader reads one repository's history.
type historyReader struct {
	repo string
	ctx  context.Context

	cat    *exec.Cmd
	catIn  io.WriteCloser
	catOut *bufio.Reader
	catErr limitedBuffer
}

// commitDiff is one commit's changed paths.
type commitDiff struct {
	commit  string
	entries []pathChange
}

// pathChange is one path a commit changed: its new blob and the blobs the
// parents had there ("" where a parent had none).
type pathChange struct {
	path    string
	mode    string
	blob    string
	parents []string
}

// gitCmd is a git command in the repository, hardened for the history.
func (h *historyReader) gitCmd(args ...string) *exec.Cmd {
	all := append([]string{"-C", filepath.Clean(h.repo)}, historyConfig...)
	cmd := exec.CommandContext(h.ctx, "git", append(all, args...)...)
	cmd.Env = append(os.Environ(), historyEnv...)
	return cmd
}

// startCat starts the long-lived object reader.
func (h *historyReader) startCat() error {
	h.cat = h.gitCmd("cat-file", "--batch")
	h.cat.Stderr = &h.catErr
	in, err := h.cat.StdinPipe()
	if err != nil {
		return err
	}
	out, err := h.cat.StdoutPipe()
	if err != nil {
		return err
	}
	if err := h.cat.Start(); err != nil {
		return err
	}
	h.catIn, h.catOut = in, bufio.NewReaderSize(out, 64<<10)
	return nil
}

// stopCat ends the object reader.
func (h *historyReader) stopCat() {
	if h.cat == nil {
		return
	}
	h.catIn.Close()
	if h.cat.Process != nil {
		h.cat.Process.Kill()
	}
	h.cat.Wait()
	h.cat = nil
}

// errMissing is an object the repository does not have.
var errMissing = errors.New("missing object")

// object asks for an object and returns its type and a reader of exactly
// its size bytes; the caller reads it to the end (or calls discard).
func (h *historyReader) object(id string) (typ string, size int64, body io.Reader, err error) {
	if _, err := io.WriteString(h.catIn, id+"\n"); err != nil {
		return "", 0, nil, fmt.Errorf("git cat-file: %w", err)
	}
	header, err := h.catOut.ReadString('\n')
	if err != nil {
		return "", 0, nil, fmt.Errorf("git cat-file: %w", err)
	}
	f := strings.Fields(header)
	if len(f) == 2 && f[1] == "missing" {
		return "", 0, nil, fmt.Errorf("%w %s", errMissing, id)
	}
	if len(f) != 3 || f[0] != id {
		return "", 0, nil, fmt.Errorf("git cat-file answered %q for %s", lint.Printable(firstLine(header)), id)
	}
	size, err = strconv.ParseInt(f[2], 10, 64)
	if err != nil || size < 0 {
		return "", 0, nil, fmt.Errorf("git cat-file gave size %q for %s", lint.Printable(f[2]), id)
	}
	if size == 0 {
		// An empty object: only the newline cat-file ends it with.
		if c, err := h.catOut.ReadByte(); err != nil || c != '\n' {
			return "", 0, nil, fmt.Errorf("git cat-file: empty object %s not followed by a newline", id)
		}
	}
	return f[1], size, &objectBody{r: h.catOut, left: size}, nil
}

// objectBody reads one object's bytes, then the newline cat-file ends it
// with.
type objectBody struct {
	r    *bufio.Reader
	left int64
}

func (b *objectBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	if b.left == 0 {
		if c, err := b.r.ReadByte(); err != nil || c != '\n' {
			return n, fmt.Errorf("git cat-file: object not followed by a newline")
		}
	}
	if err == io.EOF && b.left > 0 {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

// discard reads what is left of an object.
func discard(body io.Reader) error {
	_, err := io.Copy(io.Discard, body)
	return err
}

// commitObject reads a commit's author date (YYYY-MM-DD, as %as) and
// message.
func (h *historyReader) commitObject(id string) (date, message string, err error) {
	typ, size, body, err := h.object(id)
	if err != nil {
		return "", "", err
	}
	if typ != "commit" || size > 16<<20 {
		discard(body)
		return "", "", fmt.Errorf("%s is a %s of %d bytes, not a commit", id, lint.Printable(typ), size)
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		return "", "", err
	}
	head, msg, _ := bytes.Cut(raw, []byte("\n\n"))
	for _, line := range bytes.Split(head, []byte("\n")) {
		if rest, ok := bytes.CutPrefix(line, []byte("author ")); ok {
			date = authorDate(string(rest))
		}
	}
	return date, string(msg), nil
}

// authorDate formats an author line's "<unix seconds> <±hhmm>" tail as
// the author's local date.
func authorDate(author string) string {
	f := strings.Fields(author)
	if len(f) < 2 {
		return ""
	}
	secs, err := strconv.ParseInt(f[len(f)-2], 10, 64)
	tz := f[len(f)-1]
	if err != nil || len(tz) != 5 {
		return ""
	}
	h, err1 := strconv.Atoi(tz[1:3])
	m, err2 := strconv.Atoi(tz[3:5])
	if err1 != nil || err2 != nil {
		return ""
	}
	off := (h*60 + m) * 60
	if tz[0] == '-' {
		off = -off
	}
	return time.Unix(secs, 0).In(time.FixedZone("", off)).Format("2006-01-02")
}

// commits lists the commits to read, newest first.
func (h *historyReader) commits(rangeSpec string) ([]string, error) {
	args := []string{"rev-list"}
	if rangeSpec != "" {
		args = append(args, "--end-of-options", rangeSpec)
	} else {
		args = append(args, "--all")
	}
	cmd := h.gitCmd(args...)
	var stderr limitedBuffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git rev-list: %s", lint.Printable(firstLine(strings.TrimSpace(stderr.String()+" "+err.Error()))))
	}
	var ids []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if l == "" {
			continue
		}
		if !isObjectID(l) {
			return nil, fmt.Errorf("git rev-list printed %q, not a commit ID", lint.Printable(l))
		}
		ids = append(ids, l)
	}
	return ids, nil
}

// isObjectID reports a full SHA-1 or SHA-256 object ID in lower-case hex.
func isObjectID(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// diffs streams each commit's changed paths to fn. The output is parsed
// strictly: anything unexpected stops git and is an error.
func (h *historyReader) diffs(ids []string, fn func(commitDiff) error) error {
	cmd := h.gitCmd("diff-tree", "--stdin", "-r", "-z", "-c", "--raw", "--no-renames", "--root", "--no-abbrev", "--no-ext-diff", "--no-textconv", "--ignore-submodules=none")
	var stderr limitedBuffer
	cmd.Stderr = &stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("git diff-tree: %w", err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		w := bufio.NewWriter(in)
		for _, id := range ids {
			if _, err := w.WriteString(id + "\n"); err != nil {
				break
			}
		}
		w.Flush()
		in.Close()
	}()
	perr := parseDiffTree(bufio.NewReaderSize(out, 64<<10), fn)
	if perr != nil && cmd.Process != nil {
		cmd.Process.Kill() // stop it; the drain below lets it exit
	}
	io.Copy(io.Discard, out)
	wg.Wait()
	werr := cmd.Wait()
	switch {
	case perr != nil:
		return perr
	case werr != nil || stderr.Len() > 0:
		why := strings.TrimSpace(stderr.String())
		if why == "" {
			why = werr.Error()
		}
		return fmt.Errorf("git diff-tree: %s", lint.Printable(firstLine(why)))
	}
	return nil
}

// parseDiffTree reads `diff-tree -z -c --raw` output: a commit ID, then
// for each changed path a ":…" (":" per parent) field and the path.
func parseDiffTree(r *bufio.Reader, fn func(commitDiff) error) error {
	var cur *commitDiff
	flush := func() error {
		if cur == nil {
			return nil
		}
		c := *cur
		cur = nil
		return fn(c)
	}
	for {
		tok, err := r.ReadString(0)
		if err == io.EOF && tok == "" {
			return flush()
		}
		if err != nil {
			return fmt.Errorf("git diff-tree output ends mid-record")
		}
		tok = tok[:len(tok)-1]
		if strings.HasPrefix(tok, ":") {
			if cur == nil {
				return fmt.Errorf("git diff-tree output has a change before any commit")
			}
			pc, err := parseRaw(tok)
			if err != nil {
				return err
			}
			p, err := r.ReadString(0)
			if err != nil {
				return fmt.Errorf("git diff-tree output ends before a path")
			}
			pc.path = p[:len(p)-1]
			cur.entries = append(cur.entries, pc)
			continue
		}
		tok = strings.TrimPrefix(tok, "\n")
		if !isObjectID(tok) {
			return fmt.Errorf("git diff-tree output has %q where a commit ID belongs", lint.Printable(firstLine(tok)))
		}
		if err := flush(); err != nil {
			return err
		}
		cur = &commitDiff{commit: tok}
	}
}

// parseRaw reads one raw field: n colons for n parents, n+1 modes, n+1
// object IDs, then the status letters.
func parseRaw(tok string) (pathChange, error) {
	n := len(tok) - len(strings.TrimLeft(tok, ":"))
	f := strings.Fields(tok[n:])
	if n < 1 || len(f) != 2*(n+1)+1 {
		return pathChange{}, fmt.Errorf("git diff-tree output has a malformed change %q", lint.Printable(tok))
	}
	pc := pathChange{mode: f[n], blob: f[2*n+1]}
	for i := n + 1; i < 2*n+1; i++ {
		id := f[i]
		if !isObjectID(id) {
			return pathChange{}, fmt.Errorf("git diff-tree output has a malformed object ID %q", lint.Printable(id))
		}
		if strings.Trim(id, "0") == "" {
			id = ""
		}
		pc.parents = append(pc.parents, id)
	}
	if !isObjectID(pc.blob) {
		return pathChange{}, fmt.Errorf("git diff-tree output has a malformed object ID %q", lint.Printable(pc.blob))
	}
	if strings.Trim(pc.blob, "0") == "" {
		pc.blob = "" // deleted here
	}
	return pc, nil
}

// shallow reports whether the repository is a shallow clone.
func (h *historyReader) shallow() bool {
	out, err := h.gitCmd("rev-parse", "--is-shallow-repository").Output()
	return err == nil && strings.TrimSpace(string(out)) == "true"
}

// historyHit is a secret found in a blob, a name or a message, with its
// 1-based position there.
type historyHit struct {
	value, rule string
	line, col   int
}

// historyScan searches what the history reader returns, each blob once.
type historyScan struct {
	h        *historyReader
	vantage  *detector
	gitleaks *repoGitleaks // nil without --all-secrets
	memo     map[string][]historyHit
	buf      []byte
	// overBudget holds the blobs a repository's gitleaks rule could not
	// search to the end.
	overBudget []error
}

// isVantageRule reports whether a detector rule is one of the Vantage
// rules (the others are gitleaks').
func isVantageRule(id string) bool {
	for _, v := range vantageRuleIDs() {
		if v == id {
			return true
		}
	}
	return false
}

// blob returns the secrets in a blob, as seen at path (gitleaks' path
// allowlists), searching each blob once.
func (hs *historyScan) blob(id, path, commit string) ([]historyHit, error) {
	key := id
	if hs.gitleaks != nil {
		key = id + "\x00" + path
	}
	if hits, ok := hs.memo[key]; ok {
		return hits, nil
	}
	typ, _, body, err := hs.h.object(id)
	if err != nil {
		return nil, err
	}
	var hits []historyHit
	if typ == "blob" {
		hits, err = hs.search(body, path, commit)
	}
	if errors.Is(err, lint.ErrIncomplete) {
		hs.overBudget = append(hs.overBudget, err) // what was found stands
		err = nil
	}
	if derr := discard(body); err == nil {
		err = derr
	}
	if err != nil {
		return nil, err
	}
	hs.memo[key] = hits
	return hits, nil
}

// search reads a blob in windows (bounded memory at any size), UTF-16
// decoded, and returns the secrets in it: the Vantage rules everywhere,
// gitleaks' rules on text only (gitleaks skips binary files).
func (hs *historyScan) search(body io.Reader, path, commit string) ([]historyHit, error) {
	if hs.buf == nil {
		hs.buf = make([]byte, lint.WindowSize)
	}
	text := lint.TextReader(body)
	var out []historyHit
	b := newBudget()
	binary := false
	lineBase, colBase, carry := 0, 0, 0
	for first := true; ; first = false {
		n, err := io.ReadFull(text, hs.buf[carry:])
		end := carry + n
		last := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !last {
			return nil, err
		}
		if first {
			binary = bytes.IndexByte(hs.buf[:min(end, 8<<10)], 0) >= 0
		}
		f := lint.NewFile(path, hs.buf[:end])
		keep := len(f.Src)
		if !last {
			keep -= lint.WindowOverlap // the next window sees these whole
		}
		hits := hs.detect(f, path, commit, binary, b)
		for _, h := range hits {
			if h.start >= keep {
				continue
			}
			line, col := f.Position(h.start)
			if line == 1 {
				col += colBase
			}
			out = append(out, historyHit{value: h.value, rule: h.rule, line: line + lineBase, col: col})
		}
		if last {
			return out, b.err(path + " at " + commit[:min(7, len(commit))])
		}
		next := end - lint.WindowOverlap
		consumed := hs.buf[:next]
		if nl := bytes.Count(consumed, []byte{'\n'}); nl > 0 {
			lineBase += nl
			colBase = len([]rune(string(consumed[bytes.LastIndexByte(consumed, '\n')+1:])))
		} else {
			colBase += len([]rune(string(consumed)))
		}
		copy(hs.buf, hs.buf[next:end])
		carry = lint.WindowOverlap
	}
}

// detect runs the detectors on text.
func (hs *historyScan) detect(f *lint.File, path, commit string, binary bool, b *budget) []secretHit {
	src := f.Src
	var hits []secretHit
	// Every route files take (vantageSecretsIn), gated the same way.
	if g := gatesOf(f); g.any() {
		hits = vantageSecretsIn(f, hs.vantage, g)
	}
	if hs.gitleaks != nil && !binary {
		for _, h := range detectChunks(src, func(chunk string) []leak {
			return hs.gitleaks.detector.detect(fragment{raw: chunk, path: path, commit: commit, budget: b})
		}) {
			if h.value != "" { // as gitleaks reports it: no judgement of this project's
				hits = append(hits, h)
			}
		}
	}
	return hits
}

// inText returns the secrets in a commit message.
func (hs *historyScan) inText(msg string) []historyHit {
	f := lint.NewFile("", []byte(msg))
	var out []historyHit
	for _, h := range hs.detect(f, "", "", false, nil) {
		line, col := f.Position(h.start)
		out = append(out, historyHit{value: h.value, rule: h.rule, line: line, col: col})
	}
	return out
}

// inName returns the Vantage secrets in a path's name.
func (hs *historyScan) inName(path string) []historyHit {
	if !hasDetectorKeyword([]byte(path)) {
		return nil
	}
	var out []historyHit
	for _, h := range detectChunks([]byte(path), func(chunk string) []leak { return hs.vantage.detect(fragment{raw: chunk}) }) {
		out = append(out, historyHit{value: h.value, rule: h.rule, line: 1, col: 1})
	}
	return out
}
