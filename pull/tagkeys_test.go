package pull

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/rshade/finfocus-vantage/vantage/api"
	"github.com/rshade/finfocus-vantage/vantage/api/apitest"
)

// TestTagsSplitWhereAListedKeyEnds: a tag is split after the longest
// listed key it starts with, so values keep their colons; what no key
// settles is split at the last colon and counted.
func TestTagsSplitWhereAListedKeyEnds(t *testing.T) {
	keys := newTagKeys([]string{"repo", "aws:cloudformation:stack-id", "a", "a:b", "env"})
	for _, tc := range []struct {
		tag, key, value string
		guess           bool
	}{
		{"repo:https://git.example.com:8443/app", "repo", "https://git.example.com:8443/app", false},
		{"aws:cloudformation:stack-id:arn:aws:cloudformation:us-east-1:123456789012:stack/web/1", "aws:cloudformation:stack-id", "arn:aws:cloudformation:us-east-1:123456789012:stack/web/1", false},
		{"env:prod", "env", "prod", false},
		{"env:", "env", "", false},
		{"owner:team", "owner", "team", false},          // not listed, one colon: no doubt
		{"k8s:io/name:web", "k8s:io/name", "web", true}, // not listed, two colons: a guess
		{"a:b:c", "a:b", "c", true},                     // two listed keys fit
		{"a:x:y", "a", "x:y", false},                    // only "a" fits
	} {
		before := keys.Guessed()
		p := keys.split(tc.tag)
		if p.Key != tc.key || p.Value != tc.value || !p.HasValue {
			t.Errorf("split(%q) = %q, %q; want %q, %q", tc.tag, p.Key, p.Value, tc.key, tc.value)
		}
		if guessed := keys.Guessed() > before; guessed != tc.guess {
			t.Errorf("split(%q): counted as a guess %v, want %v", tc.tag, guessed, tc.guess)
		}
	}
	if p := keys.split("bare"); p.Key != "bare" || p.HasValue {
		t.Errorf("a tag without a colon is a key without a value: %+v", p)
	}
	var none *TagKeys
	if p := none.split("url:https://x"); p.Key != "url:https" || none.Guessed() != 0 {
		t.Errorf("no keys: split at the last colon, counting nothing: %+v", p)
	}
}

// TestPullListsTagKeysOnlyWhenItMust: the tagged grouping costs one
// request for the keys; a tag:<key> grouping names its key and jsonl
// splits nothing, so neither asks; a key GET /tags does not list is said.
func TestPullListsTagKeysOnlyWhenItMust(t *testing.T) {
	tagRequests := func(s *apitest.Server) (n int) {
		for _, r := range s.Requests() {
			if r.Path == "/v2/tags" {
				n++
			}
		}
		return n
	}
	pull := func(c *api.Client, format string, groupings ...string) (string, []string) {
		t.Helper()
		q := query(1000)
		q.Groupings = groupings
		var buf bytes.Buffer
		var said []string
		if _, err := Run(context.Background(), c, Options{Query: q, Format: format, Stdout: &buf, Say: func(l string) { said = append(said, l) }}); err != nil {
			t.Fatal(err)
		}
		return buf.String(), said
	}

	s, c := setup(t, 400)
	out, said := pull(c, "focus-jsonl", "provider", "tagged")
	if n := tagRequests(s); n != 1 {
		t.Errorf("tagged: %d requests for the tag keys, want 1", n)
	}
	if len(said) != 0 {
		t.Errorf("every key is listed, yet: %q", said)
	}
	if !strings.Contains(out, `"repo":"https://git.example.com:8443/platform/app"`) {
		t.Errorf("a URL value lost its colon:\n%.600s", out)
	}

	s, c = setup(t, 400)
	out, _ = pull(c, "focus-jsonl", "tag:repo")
	if n := tagRequests(s); n != 0 {
		t.Errorf("tag:repo: %d requests for the tag keys, want 0", n)
	}
	if !strings.Contains(out, `"repo":"https://git.example.com:8443/platform/app"`) {
		t.Errorf("tag:repo: the value lost its colon:\n%.600s", out)
	}
	s, c = setup(t, 400)
	pull(c, "jsonl", "tagged")
	if n := tagRequests(s); n != 0 {
		t.Errorf("jsonl: %d requests for the tag keys, want 0", n)
	}

	s, c = setup(t, 400)
	s.UnlistedTagKeys = []string{"repo"}
	out, said = pull(c, "focus-jsonl", "tagged")
	if !strings.Contains(strings.Join(said, "\n"), "tags were split without certainty") {
		t.Errorf("an unlisted key with colons in its value was not said: %q", said)
	}
	if !strings.Contains(out, `"repo:https://git.example.com":"8443/platform/app"`) || !strings.Contains(out, `repo:https://git.example.com:8443/platform/app`) {
		t.Errorf("an unlisted key: split at the last colon, and x_VantageTags keeps the tag as sent:\n%.800s", out)
	}

	s, c = setup(t, 400)
	s.Inject(apitest.Fault{Status: 403})
	_, said = pull(c, "focus-jsonl", "tagged")
	if !strings.Contains(strings.Join(said, "\n"), "could not list the workspace's tag keys") {
		t.Errorf("a refused GET /tags was not said: %q", said)
	}
}

// BenchmarkSplitTag splits typical tags, with the workspace's keys known
// and without (go test ./pull -run X -bench SplitTag).
func BenchmarkSplitTag(b *testing.B) {
	tags := []string{"environment:production", "aws:ecs:serviceName:frontend", "repo:https://git.example.com:8443/platform/app",
		"aws:cloudformation:stack-id:arn:aws:cloudformation:us-east-1:123456789012:stack/web/0a1b2c3d"}
	for _, tc := range []struct {
		name string
		keys *TagKeys
	}{
		{"keys", newTagKeys([]string{"environment", "team", "aws:ecs:serviceName", "cost-center", "repo", "aws:cloudformation:stack-id"})},
		{"none", nil},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				for _, t := range tags {
					tc.keys.split(t)
				}
			}
		})
	}
}
