// Package pull streams cost data from the Vantage API to a file: pages of
// GET /costs → a row writer (jsonl, csv, FOCUS csv or jsonl) → totals
// reconciled with exact decimal arithmetic → the output committed
// atomically. Rows are never all held in memory.
package pull
