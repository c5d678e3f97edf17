package rules

import (
	"bytes"
	"net"
	"net/url"
	"strings"

	"github.com/rshade/finfocus-vantage/internal/lazyre"
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/vantage"
)

// InsecureEndpoint reports API endpoints that would send the token in
// clear text or to a host outside vantage.sh.
var InsecureEndpoint = &lint.Rule{
	ID:       "insecure-endpoint",
	Summary:  "endpoints that would send the token elsewhere",
	Severity: lint.Error,
	Check:    checkInsecureEndpoint,
	Windowed: true,
}

var endpointKeywords = [][]byte{[]byte(vantage.EnvBaseURL), []byte("VANTAGE_HOST"), []byte("VANTAGE_API_HOST")}

// endpointRe finds an assignment of FINFOCUS_VANTAGE_BASE_URL,
// VANTAGE_HOST (the Terraform provider's) or VANTAGE_API_HOST (Vantage's
// MCP server's) in any syntax: KEY=v, KEY: v, "KEY": "v", ENV KEY v.
var endpointRe = lazyre.New(`(?m)\b(FINFOCUS_VANTAGE_BASE_URL|VANTAGE_HOST|VANTAGE_API_HOST)["']?\s*[:=]\s*["']?([^\s"'#,;})]+)|^\s*ENV\s+(FINFOCUS_VANTAGE_BASE_URL|VANTAGE_HOST|VANTAGE_API_HOST)\s+["']?([^\s"'#]+)`)

// endpointShapeRe accepts values that look like a URL or a host name.
var endpointShapeRe = lazyre.New(`^(?:[A-Za-z][A-Za-z0-9+.-]*://[^\s]+|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?|localhost(?::\d+)?)$`)

func checkInsecureEndpoint(pass *lint.Pass) error {
	f := pass.File
	if facts := terraformFacts(f); facts != nil {
		for _, p := range facts.providers {
			if v := p["host"]; v != nil && v.isLiteral {
				if msg := endpointProblem(v.literal); msg != "" {
					sp := tfSpan(f, v, false)
					pass.Reportf(sp, `provider "vantage" host %q %s`, redactURL(v.literal), msg)
				}
			}
		}
	}
	found := false
	if marksOf(f).Upper {
		for _, kw := range endpointKeywords {
			found = found || bytes.Contains(f.Src, kw)
		}
	}
	if !found {
		return nil
	}
	for _, m := range endpointRe().FindAllSubmatchIndex(f.Src, -1) {
		if m[2] < 0 { // the Dockerfile ENV form
			m = []int{m[0], m[1], m[6], m[7], m[8], m[9]}
		}
		name, value := string(f.Src[m[2]:m[3]]), string(f.Src[m[4]:m[5]])
		if !endpointShapeRe().MatchString(value) {
			continue // a reference (checked where it is set) or prose
		}
		if msg := endpointProblem(value); msg != "" {
			sp := f.SpanOf(m[4], m[5])
			sp.Secret = redactURL(value) != value // a password: mask the snippet too
			pass.Reportf(sp, "%s is set to %q, which %s", name, redactURL(value), msg)
		}
	}
	return nil
}

// endpointProblem says what is wrong with an API endpoint, or "". A value
// without a scheme is a host name (VANTAGE_HOST).
func endpointProblem(value string) string {
	host, scheme := value, ""
	if strings.Contains(value, "://") {
		u, err := url.Parse(value)
		if err != nil {
			return ""
		}
		host, scheme = u.Hostname(), u.Scheme
	} else if h, _, err := net.SplitHostPort(value); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == "" || isLoopback(host) {
		return ""
	}
	if scheme != "" && scheme != "https" {
		return "sends the token unencrypted; use https://api.vantage.sh/v2 (plain http is only allowed for loopback addresses)"
	}
	if host != "vantage.sh" && !strings.HasSuffix(host, ".vantage.sh") {
		return "would send the token to " + host + ", outside vantage.sh; use https://api.vantage.sh/v2"
	}
	return ""
}

func isLoopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// redactURL hides a password in a URL (https://user:secret@host) before
// it is quoted in a message.
func redactURL(value string) string {
	if u, err := url.Parse(value); err == nil && u.User != nil {
		return u.Redacted()
	}
	return value
}
