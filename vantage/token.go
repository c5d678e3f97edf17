package vantage

import (
	"encoding/base32"
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/rshade/finfocus-vantage/internal/lazyre"
)

// TokenKind classifies a credential-looking string.
type TokenKind int

// The kinds of value ClassifyToken recognises.
const (
	// NotToken is a value of no recognised shape.
	NotToken TokenKind = iota
	// APIToken is a Vantage API bearer token: vntg_tkn_ and 40 lowercase hex.
	APIToken
	// MalformedAPIToken starts with vntg_tkn_ but has the wrong length or
	// characters, which usually means it was truncated when copied.
	MalformedAPIToken
	// CostReportToken is the plugin documentation's cost report token, cr_…
	CostReportToken
	// WorkspaceToken is the plugin documentation's workspace token, ws_…
	WorkspaceToken
	// ReportID is a Vantage cost report identifier, rprt_…; not a secret.
	ReportID
	// WorkspaceID is a Vantage workspace identifier, wrkspc_…; not a secret.
	WorkspaceID
	// Placeholder is documentation filler such as your_token_here.
	Placeholder
	// EnvReference is a value that contains a ${NAME} reference.
	EnvReference
)

// String returns a short human name for the kind, used in messages.
func (k TokenKind) String() string {
	switch k {
	case APIToken:
		return "Vantage API token"
	case MalformedAPIToken:
		return "malformed Vantage API token"
	case CostReportToken:
		return "cost report token"
	case WorkspaceToken:
		return "workspace token"
	case ReportID:
		return "cost report identifier"
	case WorkspaceID:
		return "workspace identifier"
	case Placeholder:
		return "placeholder"
	case EnvReference:
		return "environment reference"
	}
	return "value"
}

// IsSecret reports whether a value of this kind is a credential that must
// never be committed or printed.
func (k TokenKind) IsSecret() bool {
	return k == APIToken || k == MalformedAPIToken || k == CostReportToken || k == WorkspaceToken
}

// APITokenPrefix starts every Vantage API token.
const APITokenPrefix = "vntg_tkn_"

// APITokenHexLen is the number of lowercase hex characters after the prefix.
const APITokenHexLen = 40

var (
	apiTokenRe = lazyre.New(`^vntg_tkn_[0-9a-f]{40}$`)
	// apiTokenFoldRe is an API token in any case (a log that upper-cased
	// it still carries it).
	apiTokenFoldRe  = lazyre.New(`^(?i:vntg_tkn_[0-9a-f]{40})$`)
	costReportRe    = lazyre.New(`^cr_[A-Za-z0-9]{6,}$`)
	workspaceRe     = lazyre.New(`^ws_[A-Za-z0-9]{6,}$`)
	reportIDRe      = lazyre.New(`^rprt_[0-9a-z]{4,}$`)
	workspaceIDRe   = lazyre.New(`^wrkspc_[0-9a-z]{4,}$`)
	placeholderBody = lazyre.New(`(?i)^(?:your[_\-a-z]*|my[_-]?token|changeme|change[_-]me|x{3,}|\*{3,}|\.{3,}|…|<[^>]*>|\[[^\]]*\]|todo|tbd|fixme|replace[_-]?me|placeholder|dummy|example|sample|token|secret|redacted|none|null|nil|test|fake|abc123|123456|0{6,}|(?:my)?pass(?:word|wd)?|user(?:name)?|admin)$`)
	// envNameShape is a value written as a variable's name (AUTH_TOKEN,
	// API_KEY): documentation naming what goes there.
	envNameShape = lazyre.New(`^[A-Z]+(?:_[A-Z]+)+$`)
)

// ClassifyToken reports the kind of a credential value. The value is
// classified as written: surrounding whitespace is not trimmed.
func ClassifyToken(s string) TokenKind {
	switch {
	case s == "":
		return NotToken
	case strings.Contains(s, "${"):
		return EnvReference
	// One verdict for a placeholder in every rule and file: a token-shaped
	// filler (vntg_tkn_000…0, vntg_tkn_fff…f) is a placeholder here as
	// leaked-token has always called it.
	case IsPlaceholder(s):
		return Placeholder
	case apiTokenRe().MatchString(s):
		return APIToken
	case strings.HasPrefix(s, APITokenPrefix):
		return MalformedAPIToken
	case costReportRe().MatchString(s):
		return CostReportToken
	case workspaceRe().MatchString(s):
		return WorkspaceToken
	case reportIDRe().MatchString(s):
		return ReportID
	case workspaceIDRe().MatchString(s):
		return WorkspaceID
	}
	return NotToken
}

var apiTokenInRe = lazyre.New(`vntg_tkn_[0-9a-f]{40}`)

// APITokenIn returns the first real API token in s (a file name, a
// line), or "".
func APITokenIn(s string) string {
	for _, m := range apiTokenInRe().FindAllString(s, -1) {
		if !IsPlaceholder(m) {
			return m
		}
	}
	return ""
}

// IsPlaceholder reports whether s is documentation filler rather than a
// real credential: your_token_here, changeme, xxxx, <token>, TODO, and the
// same after a known prefix (vntg_tkn_xxxx, cr_your_token).
func IsPlaceholder(s string) bool {
	body := s
	for _, p := range []string{APITokenPrefix, "cr_", "ws_", "rprt_", "wrkspc_"} {
		if strings.HasPrefix(body, p) {
			body = body[len(p):]
			break
		}
	}
	if body == "" {
		return s != ""
	}
	if placeholderBody().MatchString(body) || envNameShape().MatchString(s) {
		return true
	}
	lower := strings.ToLower(body)
	for _, w := range []string{"your_", "your-", "_here", "-here", "placeholder", "changeme", "replace_me", "xxxxx", "example"} {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return sequential(lower) || wordsOnly(body) || sequential(onlyLetters(lower)) && sequential(onlyDigits(lower))
}

// wordsOnly reports a value made of three or more lowercase words joined
// by _ or - (vantage_actual_token_value): prose, not an issued credential,
// which has digits or mixed case.
func wordsOnly(s string) bool {
	return wordsRe().MatchString(s)
}

var wordsRe = lazyre.New(`^[a-z]{2,}(?:[_-][a-z]{2,}){2,}$`)

// onlyLetters and onlyDigits split a value such as a1b2c3d4 into its
// letters and digits, each of which is a run when a person typed it.
func onlyLetters(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r
		}
		return -1
	}, s)
}

func onlyDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// sequential reports a value written by a person rather than issued: one
// made mostly of runs of consecutive letters or digits (the FinFocus
// docs' cr_abc123def456 and ws_xyz789ghi012, 0123456789abcdef) or of one
// repeated character. Issued tokens are random: a 40-hex token has a run
// continuation about once in sixteen characters.
func sequential(s string) bool {
	if len(s) < 6 {
		return false
	}
	steps, same := 0, 0
	for i := 1; i < len(s); i++ {
		a, b := s[i-1], s[i]
		alnum := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }
		switch {
		case !alnum(a) || !alnum(b):
		case b == a+1:
			steps++
		case b == a:
			same++
		}
	}
	n := len(s) - 1
	return steps*10 >= n*6 || same*10 >= n*8
}

// Mask returns a form of a secret that is safe to print: a known prefix,
// an ellipsis and the last four characters (vntg_tkn_…4567). Short or
// unknown values keep less, so that at most a quarter of a value shows.
func Mask(s string) string {
	prefix := ""
	for _, p := range []string{APITokenPrefix, "cr_", "ws_"} {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			prefix = s[:len(p)]
			break
		}
	}
	rest := []rune(s[len(prefix):])
	if len(rest) < 16 {
		return prefix + "…"
	}
	return prefix + "…" + string(rest[len(rest)-4:])
}

// secretRe finds credential-shaped substrings in free text: API tokens
// (even truncated ones) and cr_/ws_ tokens long enough to be real.
var secretRe = lazyre.New(`(?i:vntg_tkn_)[0-9A-Za-z]{4,}|\b(?:cr|ws)_[A-Za-z0-9]{12,}\b`)

// Redact masks every credential-shaped substring of text, for anything
// that is about to be printed: source snippets, error messages, logs.
func Redact(text string) string {
	if !strings.Contains(text, "vntg_tkn_") && !strings.Contains(text, "cr_") && !strings.Contains(text, "ws_") &&
		!strings.Contains(strings.ToLower(text), "vntg_tkn_") {
		return text
	}
	// Repeat until nothing changes: a mask's last characters next to what
	// follows could otherwise form a token again.
	for i := 0; i < 4; i++ {
		next := secretRe().ReplaceAllStringFunc(text, func(m string) string {
			// A real token followed by a word (…example, …old) is a
			// token with a suffix, not a placeholder.
			if len(m) >= len(APITokenPrefix)+APITokenHexLen && apiTokenFoldRe().MatchString(m[:len(APITokenPrefix)+APITokenHexLen]) {
				return Mask(m[:len(APITokenPrefix)+APITokenHexLen])
			}
			if IsPlaceholder(m) {
				return m
			}
			return Mask(m)
		})
		if next == text {
			break
		}
		text = next
	}
	return text
}

// Scrubber masks every spelling of known secrets in text that came from
// elsewhere (an API error body, a redirect's Location, a transport
// error): the secret as it is, in any case, without its prefix (the bare
// hex of an API token), and with any of its characters percent-encoded
// (%5F), JSON-escaped (\u005f) or hex-escaped (\x5f). Redact runs after,
// for tokens the scrubber was not told of.
type Scrubber struct {
	res  []*regexp.Regexp
	mask []string
}

// NewScrubber returns a scrubber for the secrets given; empty ones and
// ones shorter than 8 characters are ignored (they would mask ordinary
// words).
func NewScrubber(secrets ...string) *Scrubber {
	s := &Scrubber{}
	for _, sec := range secrets {
		if len(sec) < 8 {
			continue
		}
		forms := []string{sec}
		for _, p := range []string{APITokenPrefix, "cr_", "ws_"} {
			if body := strings.TrimPrefix(sec, p); body != sec && len(body) >= 16 {
				forms = append(forms, body)
			}
		}
		pats := make([]string, 0, len(forms)+6)
		for _, f := range forms {
			pats = append(pats, spellings(f))
		}
		// Encoded whole: base64 (standard or URL-safe, padding optional)
		// and base32 in either case; reversed; and the hex body grouped
		// by separators (3f9a-1c7e…, "3f9a 1c7e …").
		for _, enc := range []string{base64.RawStdEncoding.EncodeToString([]byte(sec)), base64.RawURLEncoding.EncodeToString([]byte(sec))} {
			pats = append(pats, regexp.QuoteMeta(enc))
		}
		pats = append(pats, "(?i:"+regexp.QuoteMeta(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte(sec)))+")",
			spellings(reverse(sec)))
		if body := forms[len(forms)-1]; len(body) >= 16 {
			var g strings.Builder
			for i, c := range []byte(body) {
				if i > 0 {
					g.WriteString(`[\s\-.:_/,]{0,3}`)
				}
				g.WriteString("(?i:" + regexp.QuoteMeta(string(c)) + ")")
			}
			pats = append(pats, g.String())
		}
		for _, p := range pats {
			s.res = append(s.res, regexp.MustCompile(p))
			s.mask = append(s.mask, Mask(sec))
		}
	}
	return s
}

// reverse is s backwards.
func reverse(s string) string {
	b := []byte(s)
	slices.Reverse(b)
	return string(b)
}

// spellings is a pattern matching s with each character in any case and
// optionally escaped.
func spellings(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		lower, upper := strings.ToLower(string(c)), strings.ToUpper(string(c))
		alts := []string{regexp.QuoteMeta(lower)}
		if upper != lower {
			alts = append(alts, regexp.QuoteMeta(upper))
		}
		for _, ch := range []byte{lower[0], upper[0]} {
			h := fmt.Sprintf("%02x", ch)
			// %5f or %5F, \u005f, \x5f, in either case of the hex digits.
			alts = append(alts, "%(?i:"+h+")", `\\u00(?i:`+h+")", `\\x(?i:`+h+")")
		}
		b.WriteString("(?:" + strings.Join(alts, "|") + ")")
	}
	return b.String()
}

// Scrub masks the known secrets in text, then anything credential-shaped.
func (s *Scrubber) Scrub(text string) string {
	if s != nil {
		for i, re := range s.res {
			text = re.ReplaceAllLiteralString(text, s.mask[i])
		}
	}
	return Redact(text)
}
