package rules

import (
	"fmt"
	"time"

	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/vantage"
)

// StaleRotation reports tokens past their environment's rotation policy.
var StaleRotation = &lint.Rule{
	ID:        "stale-rotation",
	Summary:   "tokens past the rotation policy of their environment",
	Severity:  lint.Error,
	Kinds:     configKinds,
	Prefilter: mentionsVantageLower,
	Check:     checkStaleRotation,
}

// RotationDays is the rotation policy per environment, in days.
var RotationDays = map[string]int{"production": 90, "staging": 180, "development": 365}

// RotationWarnDays is how long before the due date a warning starts.
const RotationWarnDays = 14

func checkStaleRotation(pass *lint.Pass) error {
	v, ok := pluginConfig(pass.File)
	if !ok || v.cfg == nil {
		return nil
	}
	c := v.cfg
	env, from := Environment(pass.File, c, pass.Settings)
	n := c.Get("credentials.rotated_at")
	if n == nil {
		if env == "production" {
			at := lint.Span{Line: c.Start.Line, Col: c.Start.Col, Anchor: "credentials.rotated_at"}
			if cr := c.Get("credentials"); cr != nil {
				at = span(cr.Key)
				at.Anchor = "credentials.rotated_at"
			}
			pass.Report(lint.Diagnostic{Span: at, Severity: lint.Notice,
				Message: fmt.Sprintf(`production config (from %s) has no "credentials.rotated_at"; add the date the token was last rotated so its %d-day rotation can be tracked`, from, RotationDays[env])})
		}
		return nil
	}
	if n.Kind != vantage.Scalar {
		return nil
	}
	rotated, err := time.Parse(vantage.DateLayout, n.Text)
	if err != nil {
		return nil // config-schema reports the bad date
	}
	ReportRotation(pass, valueSpan(n, false), rotated, env, from, "rotated")
	return nil
}

// ReportRotation reports a token last rotated (or created) on date when it
// is past, near or ahead of its environment's policy. verb names the event
// in messages ("rotated", "created").
func ReportRotation(pass *lint.Pass, sp lint.Span, date time.Time, env, from, verb string) {
	if sev, msg, ok := RotationProblem(date, pass.Settings.Now, env, from, verb); ok {
		pass.Report(lint.Diagnostic{Span: sp, Severity: sev, Message: msg})
	}
}

// RotationProblem says what is wrong with a token last rotated (or
// created) on date, judged on day now by the policy of env: its severity
// and message, and whether there is anything to say.
func RotationProblem(date, now time.Time, env, from, verb string) (lint.Severity, string, bool) {
	if now.IsZero() {
		now = time.Now()
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	date = time.Date(date.Year(), date.Month(), date.Day(), 0, 0, 0, 0, time.UTC)
	policy := RotationDays[env]
	due := date.AddDate(0, 0, policy)
	age := int(today.Sub(date).Hours() / 24)
	left := int(due.Sub(today).Hours() / 24)
	switch {
	case date.After(today):
		return lint.Error, fmt.Sprintf("token %s on %s, which is in the future; set the date the token was actually %s", verb, date.Format(vantage.DateLayout), verb), true
	case left < 0:
		return lint.Error, fmt.Sprintf("token %s %d days ago (%s); %s tokens (from %s) must be rotated every %d days: create a new token in Vantage, update the secret, then revoke the old one",
			verb, age, date.Format(vantage.DateLayout), env, from, policy), true
	case left <= RotationWarnDays:
		return lint.Warning, fmt.Sprintf("token is due for rotation in %d days (by %s, %d-day %s policy); plan the rotation now", left, due.Format(vantage.DateLayout), policy, env), true
	}
	return 0, "", false
}
