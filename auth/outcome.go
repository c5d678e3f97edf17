package auth

import (
	"fmt"
	"strings"
	"time"

	"github.com/rshade/finfocus-vantage/vantage"
)

// Header is the one-line verdict printed before the findings.
func (o *Outcome) Header(now time.Time) string {
	switch o.Verdict {
	case Unknown:
		return "unknown: the token could not be checked: " + vantage.Redact(o.Err.Error())
	case Invalid:
		return "invalid: " + vantage.Redact(o.Err.Error())
	case Malformed:
		return "malformed: " + vantage.Redact(o.Err.Error())
	}
	bt := o.Me.BearerToken
	s := fmt.Sprintf("verified: token %q (scopes: %s)", bt.Description, strings.Join(bt.Scope, ", "))
	if created := bt.Created(); !created.IsZero() {
		s += fmt.Sprintf(", created %s (%d days ago)", created.Format(vantage.DateLayout), daysBetween(created, now))
	}
	if o.Report != nil {
		s += fmt.Sprintf("; cost report %q", o.Report.Title)
	}
	return s
}

// Fields is the verdict as JSON fields.
func (o *Outcome) Fields(now time.Time) map[string]any {
	m := map[string]any{"verdict": string(o.Verdict)}
	if o.Err != nil {
		m["error"] = vantage.Redact(o.Err.Error())
	}
	if o.Me != nil {
		bt := o.Me.BearerToken
		m["description"], m["scopes"], m["created_at"] = bt.Description, bt.Scope, bt.CreatedAt
		if created := bt.Created(); !created.IsZero() {
			m["age_days"] = daysBetween(created, now)
		}
	}
	if o.Report != nil {
		m["report_title"] = o.Report.Title
	}
	return m
}

// daysBetween counts calendar days from a to b.
func daysBetween(a, b time.Time) int {
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
	return int(day(b).Sub(day(a.UTC())).Hours() / 24)
}
