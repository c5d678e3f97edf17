package pull

import (
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"sort"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
)

// Parquet output: typed columns, written with parquet-go in row groups of
// parquetGroupRows rows, Snappy-compressed (Zstd's encoders cost about
// 140 MB more at peak), so memory stays bounded whatever the pull's size.
// Money and quantities are DECIMAL(38,18): 20 digits before the point and
// 18 after; an amount that does not fit is an error (exit 4), never a
// rounded number. Periods are TIMESTAMP (microseconds, UTC); FOCUS Tags is
// a MAP<STRING,STRING>.

// DecimalScale is the scale of every Parquet decimal (precision 38).
const DecimalScale = 18

// parquetGroupRows bounds the rows buffered before a row group is written.
const parquetGroupRows = 16 << 10

// parquetBatch is how many rows are handed to the writer at once.
const parquetBatch = 256

// decimal38 is a DECIMAL(38,18) as Parquet stores it: 16 bytes, big-endian
// two's complement of the unscaled value.
type decimal38 = [16]byte

var maxUnscaled = new(big.Int).Exp(big.NewInt(10), big.NewInt(38), nil)

// toDecimal38 converts a decimal string exactly, or says why it cannot.
func toDecimal38(s string) (decimal38, error) {
	var out decimal38
	neg := strings.HasPrefix(s, "-")
	digits := strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	intPart, frac, _ := strings.Cut(digits, ".")
	if intPart == "" && frac == "" || !allDigits(intPart) || !allDigits(frac) {
		return out, fmt.Errorf("%q is not a decimal number", s)
	}
	if t := strings.TrimRight(frac, "0"); len(t) > DecimalScale {
		return out, fmt.Errorf("%q has more than %d decimal places and does not fit DECIMAL(38,%d); use a text format (jsonl, csv) for this pull", s, DecimalScale, DecimalScale)
	} else {
		frac = t
	}
	v, _ := new(big.Int).SetString(intPart+frac+strings.Repeat("0", DecimalScale-len(frac)), 10)
	if v.Cmp(maxUnscaled) >= 0 {
		return out, fmt.Errorf("%q has more than %d digits before the point and does not fit DECIMAL(38,%d)", s, 38-DecimalScale, DecimalScale)
	}
	if neg {
		v.Neg(v)
	}
	// Two's complement in 16 bytes.
	if v.Sign() < 0 {
		v.Add(v, new(big.Int).Lsh(big.NewInt(1), 128))
	}
	b := v.Bytes()
	copy(out[16-len(b):], b)
	if neg && v.Sign() == 0 {
		out = decimal38{}
	}
	return out, nil
}

// decimalString is the inverse of toDecimal38, for tests and checks.
func decimalString(d decimal38) string {
	v := new(big.Int).SetBytes(d[:])
	if d[0]&0x80 != 0 {
		v.Sub(v, new(big.Int).Lsh(big.NewInt(1), 128))
	}
	r := new(big.Rat).SetFrac(v, new(big.Int).Exp(big.NewInt(10), big.NewInt(DecimalScale), nil))
	return r.FloatString(DecimalScale)
}

// optDecimal converts "" to null.
func optDecimal(s string) (*decimal38, error) {
	if s == "" {
		return nil, nil
	}
	d, err := toDecimal38(s)
	return &d, err
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func writerOptions(o WriterOptions) []parquet.WriterOption {
	opts := []parquet.WriterOption{parquet.MaxRowsPerRowGroup(parquetGroupRows), parquet.Compression(&parquet.Snappy)}
	keys := make([]string, 0, len(o.Metadata))
	for k := range o.Metadata {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		opts = append(opts, parquet.KeyValueMetadata(k, o.Metadata[k]))
	}
	return opts
}

// rawParquetRow is a row of --format parquet: Vantage's fields, typed.
type rawParquetRow struct {
	AccruedAt         string            `parquet:"accrued_at"`
	ChargePeriodStart time.Time         `parquet:"charge_period_start,timestamp(microsecond)"`
	ChargePeriodEnd   time.Time         `parquet:"charge_period_end,timestamp(microsecond)"`
	Provider          *string           `parquet:"provider,optional"`
	AccountID         *string           `parquet:"account_id,optional"`
	BillingAccountID  *string           `parquet:"billing_account_id,optional"`
	Service           *string           `parquet:"service,optional"`
	Region            *string           `parquet:"region,optional"`
	ResourceID        *string           `parquet:"resource_id,optional"`
	ResourceName      *string           `parquet:"resource_name,optional"`
	Amount            decimal38         `parquet:"amount,decimal(18:38)"`
	Currency          string            `parquet:"currency"`
	UsageAmount       *decimal38        `parquet:"usage_amount,optional,decimal(18:38)"`
	UsageUnit         *string           `parquet:"usage_unit,optional"`
	Tags              map[string]string `parquet:"tags,optional"`
	TagsRaw           *string           `parquet:"tags_raw,optional"`
	CostCategory      *string           `parquet:"cost_category,optional"`
	CostSubcategory   *string           `parquet:"cost_subcategory,optional"`
}

// batch hands rows to a parquet-go writer parquetBatch at a time.
type batch[T any] struct {
	w   *parquet.GenericWriter[T]
	buf []T
}

func newBatch[T any](w io.Writer, o WriterOptions) batch[T] {
	return batch[T]{w: parquet.NewGenericWriter[T](w, writerOptions(o)...)}
}

// add buffers a row and writes the buffer once it is full.
func (b *batch[T]) add(row T) error {
	b.buf = append(b.buf, row)
	if len(b.buf) < parquetBatch {
		return nil
	}
	return b.flush()
}

func (b *batch[T]) flush() error {
	if len(b.buf) == 0 {
		return nil
	}
	_, err := b.w.Write(b.buf)
	clear(b.buf)
	b.buf = b.buf[:0]
	return err
}

// Close writes what is buffered and the file's footer.
func (b *batch[T]) Close() error { return firstErr(b.flush(), b.w.Close()) }

type rawParquet struct {
	batch[rawParquetRow]
	per period
}

func newRawParquet(w io.Writer, o WriterOptions) *rawParquet {
	return &rawParquet{batch: newBatch[rawParquetRow](w, o), per: o.period(false)}
}

func (p *rawParquet) Write(raw json.RawMessage) error {
	r, err := mapRow(raw, p.per)
	if err != nil {
		return &RowError{err}
	}
	amount, err := toDecimal38(r.Amount)
	if err != nil {
		return &RowError{fmt.Errorf("amount %w", err)}
	}
	ua, err := optDecimal(r.UsageAmount)
	if err != nil {
		return &RowError{fmt.Errorf("usage amount %w", err)}
	}
	return p.add(rawParquetRow{
		AccruedAt: r.AccruedAt, ChargePeriodStart: r.Start, ChargePeriodEnd: r.End,
		Provider: optString(r.Provider), AccountID: optString(r.AccountID), BillingAccountID: optString(r.BillingAccountID),
		Service: optString(r.Service), Region: optString(r.Region), ResourceID: optString(r.ResourceID), ResourceName: optString(r.ResourceName),
		Amount: amount, Currency: r.Currency, UsageAmount: ua, UsageUnit: optString(r.UsageUnit),
		Tags: tagMap(r.Tags, r.RawTags), TagsRaw: optString(r.RawTags),
		CostCategory: optString(r.CostCategory), CostSubcategory: optString(r.CostSubcategory),
	})
}

// tagMap is the tags as a map (nil for a row without tags); a tag with no
// value maps to "", and the raw strings keep the difference.
func tagMap(tags []tagPair, raw string) map[string]string {
	if raw == "" {
		return nil
	}
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[t.Key] = t.Value
	}
	return m
}

// focusParquetRow is a row of --format focus-parquet, in FOCUSColumns'
// order (a test checks the names and order match).
type focusParquetRow struct {
	BilledCost              decimal38  `parquet:"BilledCost,decimal(18:38)"`
	BillingAccountId        string     `parquet:"BillingAccountId"`
	BillingAccountName      *string    `parquet:"BillingAccountName,optional"`
	BillingCurrency         string     `parquet:"BillingCurrency"`
	BillingPeriodEnd        time.Time  `parquet:"BillingPeriodEnd,timestamp(microsecond)"`
	BillingPeriodStart      time.Time  `parquet:"BillingPeriodStart,timestamp(microsecond)"`
	ChargeCategory          string     `parquet:"ChargeCategory"`
	ChargeClass             *string    `parquet:"ChargeClass,optional"`
	ChargeDescription       *string    `parquet:"ChargeDescription,optional"`
	ChargePeriodEnd         time.Time  `parquet:"ChargePeriodEnd,timestamp(microsecond)"`
	ChargePeriodStart       time.Time  `parquet:"ChargePeriodStart,timestamp(microsecond)"`
	ContractedCost          decimal38  `parquet:"ContractedCost,decimal(18:38)"`
	EffectiveCost           decimal38  `parquet:"EffectiveCost,decimal(18:38)"`
	InvoiceIssuerName       string     `parquet:"InvoiceIssuerName"`
	ListCost                decimal38  `parquet:"ListCost,decimal(18:38)"`
	PricingQuantity         *decimal38 `parquet:"PricingQuantity,optional,decimal(18:38)"`
	PricingUnit             *string    `parquet:"PricingUnit,optional"`
	ProviderName            string     `parquet:"ProviderName"`
	PublisherName           string     `parquet:"PublisherName"`
	ServiceCategory         string     `parquet:"ServiceCategory"`
	ServiceName             string     `parquet:"ServiceName"`
	ConsumedQuantity        *decimal38 `parquet:"ConsumedQuantity,optional,decimal(18:38)"`
	ConsumedUnit            *string    `parquet:"ConsumedUnit,optional"`
	RegionId                *string    `parquet:"RegionId,optional"`
	ResourceId              *string    `parquet:"ResourceId,optional"`
	ResourceName            *string    `parquet:"ResourceName,optional"`
	SubAccountId            *string    `parquet:"SubAccountId,optional"`
	Tags                    *string    `parquet:"Tags,optional"`
	RegionName              *string    `parquet:"RegionName,optional"`
	SubAccountName          *string    `parquet:"SubAccountName,optional"`
	XVantageProvider        string     `parquet:"x_VantageProvider"`
	XVantageAccruedAt       string     `parquet:"x_VantageAccruedAt"`
	XVantageTags            *string    `parquet:"x_VantageTags,optional"`
	XVantageCostCategory    *string    `parquet:"x_VantageCostCategory,optional"`
	XVantageCostSubcategory *string    `parquet:"x_VantageCostSubcategory,optional"`
	XVantageChargeType      *string    `parquet:"x_VantageChargeType,optional"`
	XRowId                  string     `parquet:"x_RowId"`
}

type focusParquet struct {
	batch[focusParquetRow]
	per period
	fv  focusValues
}

func newFOCUSParquet(w io.Writer, o WriterOptions) *focusParquet {
	return &focusParquet{batch: newBatch[focusParquetRow](w, o), per: o.period(true)}
}

func (p *focusParquet) Write(raw json.RawMessage) error {
	r, err := mapRow(raw, p.per)
	if err != nil {
		return &RowError{err}
	}
	toFOCUS(r, &p.fv)
	v := &p.fv.v
	cost, err := toDecimal38(r.Amount)
	if err != nil {
		return &RowError{fmt.Errorf("amount %w", err)}
	}
	qty, err := optDecimal(v[15])
	if err != nil {
		return &RowError{fmt.Errorf("usage amount %w", err)}
	}
	consumed, err := optDecimal(v[21])
	if err != nil {
		return &RowError{fmt.Errorf("usage amount %w", err)}
	}
	return p.add(focusParquetRow{
		BilledCost: cost, BillingAccountId: v[1], BillingAccountName: optString(v[2]), BillingCurrency: v[3],
		BillingPeriodEnd: p.fv.bEnd, BillingPeriodStart: p.fv.bStart, ChargeCategory: v[6], ChargeClass: optString(v[7]),
		ChargeDescription: optString(v[8]), ChargePeriodEnd: p.fv.cEnd, ChargePeriodStart: p.fv.cStart,
		ContractedCost: cost, EffectiveCost: cost, InvoiceIssuerName: v[13], ListCost: cost,
		PricingQuantity: qty, PricingUnit: optString(v[16]), ProviderName: v[17], PublisherName: v[18],
		ServiceCategory: v[19], ServiceName: v[20], ConsumedQuantity: consumed, ConsumedUnit: optString(v[22]),
		RegionId: optString(v[23]), ResourceId: optString(v[24]), ResourceName: optString(v[25]), SubAccountId: optString(v[26]),
		Tags: optString(v[27]), RegionName: optString(v[28]), SubAccountName: optString(v[29]),
		XVantageProvider: v[30], XVantageAccruedAt: v[31], XVantageTags: optString(v[32]),
		XVantageCostCategory: optString(v[33]), XVantageCostSubcategory: optString(v[34]), XVantageChargeType: optString(v[35]),
		XRowId: v[36],
	})
}
