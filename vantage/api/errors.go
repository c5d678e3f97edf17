package api

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// AuthError is a 401 or 403 answer: the token was rejected, or lacks the
// right to what was asked.
type AuthError struct {
	Status  int
	Message string
}

// Error says what happened and what to do.
func (e *AuthError) Error() string {
	if e.Status == 403 {
		return "the Vantage API refused access (403 Forbidden)" + detail(e.Message) + "; give the token access to this report or workspace, or use a token that has it"
	}
	return "the Vantage API rejected the token (401 Unauthorized)" + detail(e.Message) + "; check that the token is current and was copied whole, or create a new one in Vantage (Settings → API Access Tokens)"
}

// NotFoundError is a 404 answer.
type NotFoundError struct {
	Path    string
	Message string
}

// Error says what was not found.
func (e *NotFoundError) Error() string {
	return fmt.Sprintf("the Vantage API has no %s (404 Not Found)%s", e.Path, detail(e.Message))
}

// RateLimitError is a 429 answer that retries did not get past.
type RateLimitError struct {
	Rate       Rate
	RetryAfter time.Duration
}

// Error says when to try again.
func (e *RateLimitError) Error() string {
	msg := "the Vantage API rate limit was exceeded (429) and retries ran out"
	if !e.Rate.Reset.IsZero() {
		msg += "; the limit resets at " + e.Rate.Reset.UTC().Format(time.RFC3339)
	}
	return msg + "; try again later or raise params.max_retries"
}

// APIError is any other error answer.
type APIError struct {
	Status   int
	Messages []string
}

// Error gives the status and the API's messages.
func (e *APIError) Error() string {
	msg := fmt.Sprintf("the Vantage API answered %d", e.Status)
	switch {
	case e.Status == 402:
		msg += " (Payment Required): this account cannot query costs through the API"
	case e.Status >= 500:
		msg += " (server error)"
	}
	if len(e.Messages) > 0 {
		msg += ": " + strings.Join(e.Messages, "; ")
	}
	return msg
}

// Errors of the client's own checks.
var (
	// ErrForeignHost means a next link or redirect pointed at a host other
	// than the base URL's: the token is never sent there.
	ErrForeignHost = errors.New("points at another host")
	// ErrPaginationLoop means the API returned a page already read.
	ErrPaginationLoop = errors.New("pagination does not advance")
	// ErrInsecureBaseURL means a base URL that is neither https nor loopback.
	ErrInsecureBaseURL = errors.New("insecure base URL")
	// ErrBadResponse means a body that is not the JSON the API documents.
	ErrBadResponse = errors.New("malformed response")
)

func detail(msg string) string {
	if msg == "" {
		return ""
	}
	return ": " + msg
}
